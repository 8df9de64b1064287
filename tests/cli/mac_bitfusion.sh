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
rows=$(($(wc -l < "$out/bf/layers.csv") - 1))
[ "$rows" -ge 9 ] || fail "expected 9 layers in layers.csv, got $rows"
grep -q '^conv0,' "$out/bf/layers.csv" || fail "conv0 missing from layers.csv"

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
