#!/usr/bin/env bash
# scripts/gpu_medians.py: per board, dtype and kind medians of the GPU suites (issue #11's targets),
# from `accsim validate --out`; a missing argument is a usage error (exit 2).
set -u
ACCSIM=$(readlink -f "$1")
fail() { echo "FAIL: $*"; exit 1; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
"$ACCSIM" validate --suite gpu-dense --out "$out/v" >/dev/null 2>&1
[ -s "$out/v/validation.csv" ] || fail "validate wrote no csv"
python3 scripts/gpu_medians.py "$out/v/validation.csv" >"$out/t" || fail "script failed"
head -1 "$out/t" | grep -q "^| board | dtype | kind | rows | median error | target |$" || fail "header: $(head -1 "$out/t")"
# Every dense row of the suite lands in exactly one group: the row counts add up to the csv's.
rows=$(grep -c '^gpu-dense,' "$out/v/validation.csv")
sum=$(awk -F'|' 'NR > 2 { s += $5 } END { print s }' "$out/t")
[ "$rows" -eq "$sum" ] || fail "groups hold $sum rows, the suite $rows"
grep -q "^| A100 SXM | fp16 | dense | " "$out/t" || fail "no A100 SXM fp16 dense group: $(cat "$out/t")"
python3 scripts/gpu_medians.py >/dev/null 2>&1; [ $? -eq 2 ] || fail "no argument: want exit 2"
echo ok
