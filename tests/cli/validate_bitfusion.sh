#!/usr/bin/env bash
# The `bitfusion` validation suite (Bit Fusion vs its Eyeriss baseline, ISCA'18) through the
# stand-in evaluator. The suite as a whole does not pass (AlexNet and ResNet-18, whose shapes the
# authors' Bit Fusion run did not downsample; the RNN/LSTM Eyeriss runs above the shared 192-bit
# interface: docs/models/mac.md "Against the paper"); this test pins the rows that reproduce within
# the paper's 25 %.
# Usage: bash tests/cli/validate_bitfusion.sh ACCSIM
set -uo pipefail
accsim="$1"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
out=$(python3 scripts/validate_suite.py validation/bitfusion --accsim "$accsim")
rc=$?
echo "$out"
[ "$rc" -le 1 ] || { echo "FAIL: evaluator exit $rc"; exit 1; }
for row in svhn_speedup cifar10_speedup lenet5_speedup vgg7_speedup \
           svhn_energy cifar10_energy lenet5_energy vgg7_energy rnn_energy lstm_energy; do
  grep -q "^ok   ${row} " <<<"$out" || { echo "FAIL: ${row} out of tolerance"; exit 1; }
done
