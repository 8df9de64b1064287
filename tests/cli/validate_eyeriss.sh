#!/usr/bin/env bash
# The `eyeriss` validation suite (validation/eyeriss: Eyeriss JSSC'17 AlexNet CONV layers) passes
# `accsim validate`; determinism of the eyeriss block, and Bit Fusion's Eyeriss baseline free of
# the chip's clock network. Usage: bash tests/cli/validate_eyeriss.sh ACCSIM
set -euo pipefail
accsim="$1"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
"$accsim" validate --suite eyeriss
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in a b; do
  "$accsim" run --arch configs/arch/eyeriss.yaml --workload workloads/eyeriss/alexnet-conv-b4.yaml --format json >"$tmp/$i.json"
done
cmp "$tmp/a.json" "$tmp/b.json" || { echo "FAIL: two identical runs differ"; exit 1; }
# Bit Fusion's Eyeriss baseline prices at its table's voltage with no clock network (its energies
# are the authors' fixed per-access figures): the clock component must stay exactly 0 there.
"$accsim" run --arch configs/arch/eyeriss-bitfusion.yaml --workload workloads/bitfusion/lenet5.yaml --format json >"$tmp/bf.json"
python3 - "$tmp/bf.json" <<'PY' || { echo "FAIL: eyeriss-bitfusion gained clock energy"; exit 1; }
import json, sys
e = json.load(open(sys.argv[1]))["total"]["energy_breakdown_pj"]
sys.exit(0 if e.get("clock") == 0 and e["mac"] > 0 else 1)
PY
