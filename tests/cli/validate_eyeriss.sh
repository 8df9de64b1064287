#!/usr/bin/env bash
# The `eyeriss` validation suite (validation/eyeriss: Eyeriss JSSC'17 AlexNet CONV layers) through
# the stand-in evaluator, plus determinism of the eyeriss block. Usage: bash tests/cli/validate_eyeriss.sh ACCSIM
set -euo pipefail
accsim="$1"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
python3 scripts/validate_suite.py validation/eyeriss --accsim "$accsim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in a b; do
  "$accsim" run --arch configs/arch/eyeriss.yaml --workload workloads/eyeriss/alexnet-conv-b4.yaml --format json >"$tmp/$i.json"
done
cmp "$tmp/a.json" "$tmp/b.json" || { echo "FAIL: two identical runs differ"; exit 1; }
