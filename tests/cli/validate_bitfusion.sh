#!/usr/bin/env bash
# The `bitfusion` validation suite (Bit Fusion vs its Eyeriss baseline, ISCA'18) through the
# stand-in evaluator. The suite as a whole does not pass yet (energy reductions, docs/models/mac.md
# "Against the paper"); this test pins the speedups that do reproduce within the paper's 25 %.
# Usage: bash tests/cli/validate_bitfusion.sh ACCSIM
set -uo pipefail
accsim="$1"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
out=$(python3 scripts/validate_suite.py validation/bitfusion --accsim "$accsim")
rc=$?
echo "$out"
[ "$rc" -le 1 ] || { echo "FAIL: evaluator exit $rc"; exit 1; }
for net in alexnet svhn vgg7 resnet18 rnn lstm; do
  grep -q "^ok   ${net}_speedup " <<<"$out" || { echo "FAIL: ${net}_speedup out of tolerance"; exit 1; }
done
