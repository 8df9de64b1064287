#!/usr/bin/env bash
# Sweeps that fail well: a typo is caught before anything runs or is written (so the corrected
# command just works), --dry-run lists the points, --points runs explicit points (CSV or JSONL) with
# the same ids as the grid, --jobs is capped at the usable cores, and malformed rows met by --resume
# or merge are one located line with exit 2.
set -euo pipefail
B="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=(--arch configs/arch/systolic-32x32.yaml --workload gemm:m=64,n=64,k=64 --quiet)
expect2() {  # PATTERN CMD...: exit 2 with one error line matching PATTERN
  local pat="$1"; shift
  set +e; out=$("$@" 2>&1 >/dev/null); rc=$?; set -e
  [ $rc -eq 2 ] && grep -q -- "$pat" <<<"$out" || fail "$* -> rc=$rc: $out"
  grep -q "internal error\|Traceback" <<<"$out" && fail "$* -> $out"
  return 0
}
# The typo: no directory is left behind, and the corrected command runs.
expect2 "compute.rowz=4: --set: compute.rowz: unknown key" "$B" sweep "${A[@]}" --grid compute.rowz=4,8 --out "$T/s"
[ ! -e "$T/s" ] || fail "a failed sweep left $T/s"
"$B" sweep "${A[@]}" --grid compute.rows=4,8 --out "$T/s" || fail "the corrected command was refused"
[ "$(grep -c . "$T/s/results.jsonl")" = 2 ] || fail "corrected sweep: expected 2 rows"
# A bad value of a valid key, found before the first point.
expect2 "compute.dataflow=xx" "$B" sweep "${A[@]}" --grid compute.dataflow=os,xx --out "$T/v"
[ ! -e "$T/v" ] || fail "a failed sweep left $T/v"
# --dry-run: the points on stdout (header + 6), every value checked, nothing written.
"$B" sweep "${A[@]}" --grid compute.rows=4,8 --grid compute.dataflow=os,ws,is --dry-run --out "$T/d" > "$T/dry.csv"
[ "$(wc -l < "$T/dry.csv")" = 7 ] || fail "dry run lists $(wc -l < "$T/dry.csv") lines, expected 7"
head -1 "$T/dry.csv" | grep -qx "point,point_id,workload,compute.rows,compute.dataflow" || fail "dry-run header"
[ ! -e "$T/d" ] || fail "--dry-run wrote $T/d"
expect2 "compute.dataflow=xx" "$B" sweep "${A[@]}" --grid compute.dataflow=xx --dry-run
# A sample of a huge range checks the values it draws, not all of them (a million children before).
timeout 60 "$B" sweep "${A[@]}" --grid compute.rows=1..1000000 --random 3 --seed 1 --dry-run > "$T/huge.csv" \
  || fail "--dry-run of 3 points drawn from a 1,000,000-value range did not finish in 60 s"
[ "$(wc -l < "$T/huge.csv")" = 4 ] || fail "huge-range dry run lists $(wc -l < "$T/huge.csv") lines, expected 4"
# --points: a CSV and a JSONL of the same two points give the same rows, with the grid's point ids.
printf 'compute.rows,compute.dataflow\n8,os\n4,is\n' > "$T/p.csv"
printf '{"compute.rows": 8, "compute.dataflow": "os"}\n{"compute.rows": "4", "compute.dataflow": "is"}\n' > "$T/p.jsonl"
"$B" sweep "${A[@]}" --points "$T/p.csv" --out "$T/pc"
"$B" sweep "${A[@]}" --points "$T/p.jsonl" --out "$T/pj"
cmp "$T/pc/results.jsonl" "$T/pj/results.jsonl" || fail "CSV and JSONL points differ"
"$B" sweep "${A[@]}" --grid compute.rows=4,8 --grid compute.dataflow=os,ws,is --out "$T/g"
for id in $(cut -d, -f2 "$T/pc/results.csv" | tail -n +2); do
  grep -q "\"point_id\":\"$id\"" "$T/g/results.jsonl" || fail "point $id of --points is not a grid point id"
done
printf 'compute.rows,compute.dataflow\n8,os\n8,os\n' > "$T/dup.csv"
expect2 "dup.csv:3: the same point as line 2" "$B" sweep "${A[@]}" --points "$T/dup.csv" --out "$T/x"
printf 'compute.rows\n8,os\n' > "$T/wide.csv"
expect2 "wide.csv:2: 2 fields, the header has 1" "$B" sweep "${A[@]}" --points "$T/wide.csv" --out "$T/x"
printf '{"compute.rows": [8]}\n' > "$T/arr.jsonl"
expect2 "arr.jsonl:1: 'compute.rows' must be a string or a number" "$B" sweep "${A[@]}" --points "$T/arr.jsonl" --out "$T/x"
expect2 "replaces --grid" "$B" sweep "${A[@]}" --points "$T/p.csv" --grid compute.rows=4 --out "$T/x"
# Rows carry the compute/stall split and the energy by component.
head -1 "$T/g/results.csv" | grep -q "cycles,compute_cycles,stall_cycles,latency_s,energy_pj,energy_mac_pj," \
  || fail "no compute/stall or energy columns: $(head -1 "$T/g/results.csv")"
# --jobs above the usable cores: a warning, capped, same results.
cores=$(nproc)
"$B" sweep "${A[@]}" --grid compute.rows=4,8 --jobs $((cores + 5)) --out "$T/jj" 2> "$T/jj.err"
grep -q "warning: --jobs $((cores + 5)) is more than the $cores cores" "$T/jj.err" || fail "no --jobs warning: $(cat "$T/jj.err")"
cmp "$T/s/results.jsonl" "$T/jj/results.jsonl" || fail "capped --jobs changed the results"
# A single-valued option given twice is an error.
expect2 "--out given twice" "$B" sweep "${A[@]}" --grid compute.rows=4 --out "$T/a" --out "$T/b"
# Malformed rows under --resume and merge: located, exit 2, nothing written by merge.
bad_row() {  # SED-EXPRESSION PATTERN
  rm -rf "$T/bad" "$T/m"; cp -r "$T/g" "$T/bad"; sed -i "$1" "$T/bad/results.jsonl"
  expect2 "$2" "$B" sweep "${A[@]}" --grid compute.rows=4,8 --grid compute.dataflow=os,ws,is --resume --out "$T/bad"
  expect2 "$2" "$B" merge "$T/bad" --out "$T/m"
  [ ! -e "$T/m/sweep.json" ] || fail "merge wrote sweep.json before checking the rows"
}
bad_row '2s/"point":1/"point":"1"/' "results.jsonl:2: 'point' must be an integer"
bad_row '3s/"point_id":"[0-9a-f]*"/"point_id":12/' "results.jsonl:3: 'point_id' must be a string"
bad_row '1s/"params":{[^}]*},//' "results.jsonl:1: missing 'params'"
bad_row '4s/"status":"ok"/"status":1/' "results.jsonl:4: 'status' must be"
rm -rf "$T/bad"; cp -r "$T/g" "$T/bad"; echo '{"dimensions": 3}' > "$T/bad/sweep.json"
expect2 "sweep.json: missing 'dimensions'" "$B" merge "$T/bad" --out "$T/m"
echo ok
