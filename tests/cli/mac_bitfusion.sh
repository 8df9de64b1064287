#!/usr/bin/env bash
# Mixed-precision CLI run on the Bit Fusion array, and the exit-2 error for a precision a fixed
# unit cannot execute. Usage: bash tests/cli/mac_bitfusion.sh /path/to/accsim (from the repo root).
set -u
ACCSIM="$1"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# CIFAR-10 QNN: conv0 at 8 bits, the rest at 2 bits, one run.
"$ACCSIM" run --arch configs/arch/bitfusion.yaml --workload workloads/bitfusion/cifar10.yaml --out "$out/bf" \
  > "$out/bf.txt" 2>&1 || fail "bitfusion run failed: $(cat "$out/bf.txt")"
# Values derived by hand (16 BitBricks of 2x2 bits per fusion unit, docs/models/mac.md):
# - 9 layers, conv0 first;
# - conv0 = batch 16 x 32x32 outputs x 128 channels x 3x3x3 = 56,623,104 MACs, all at w8 x a8
#   (mac.int8xint8.acc_int32), which needs (8/2)x(8/2) = 16 bricks: 1 product per lane-cycle, so
#   no products_per_lane_cycle figure;
# - conv1 at w2 x a2 needs one brick: 16 products per lane-cycle;
# - the MAC actions of the run sum to its MACs.
python3 - "$out/bf/summary.json" <<'PY' || fail "bit fusion values"
import json, sys
j = json.load(open(sys.argv[1]))
L = {l["name"]: l for l in j["layers"]}
assert [l["name"] for l in j["layers"]][0] == "conv0" and len(L) == 9, list(L)
assert L["conv0"]["macs"] == 56623104, L["conv0"]["macs"]
assert L["conv0"]["actions"]["mac.int8xint8.acc_int32"] == 56623104, L["conv0"]["actions"]
assert "mac.products_per_lane_cycle" not in L["conv0"]["figures"], L["conv0"]["figures"]
assert L["conv1"]["figures"]["mac.products_per_lane_cycle"] == 16, L["conv1"]["figures"]
assert "mac.int2xint2.acc_int32" in L["conv1"]["actions"], L["conv1"]["actions"]
macs = sum(v for k, v in j["total"]["actions"].items() if k.startswith("mac."))
assert macs == j["total"]["macs"], (macs, j["total"]["macs"])
PY

# Same run twice: byte-identical outputs.
"$ACCSIM" run --arch configs/arch/bitfusion.yaml --workload workloads/bitfusion/cifar10.yaml --out "$out/bf2" \
  > /dev/null 2>&1 || fail "second run failed"
cmp -s "$out/bf/layers.csv" "$out/bf2/layers.csv" || fail "layers.csv differs between identical runs"

# A 16-bit network on the fixed 8-bit array: exit 2, one line naming the file, the layer and the widths.
"$ACCSIM" run --arch configs/arch/fixed8-iso-area.yaml --workload workloads/bitfusion/cifar10-int16.yaml \
  > "$out/err.txt" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "expected exit 2, got $rc"
grep -q "cifar10-int16.yaml:[0-9]*: layers\[0\] (layer 'conv0')" "$out/err.txt" || fail "error does not name the layer: $(cat "$out/err.txt")"
grep -q "int16" "$out/err.txt" || fail "error does not name the precision: $(cat "$out/err.txt")"
[ "$(wc -l < "$out/err.txt")" -eq 1 ] || fail "error is not one line: $(cat "$out/err.txt")"
echo PASS
