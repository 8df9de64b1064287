#!/usr/bin/env bash
# accsim sweep: grid size, row contents, determinism across --jobs, bad specs, random sampling.
set -euo pipefail
B="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
A=configs/arch/systolic-32x32.yaml
fail() { echo "FAIL: $*" >&2; exit 1; }

# 2 workloads x rows {4,8,16,32} (geometric range) x dataflow {os,ws} = 16 points.
G=(--arch "$A" --workload gemm:m=64,n=64,k=64 --workload gemm:m=32,n=128,k=64
   --grid compute.rows=4..32*2 --grid compute.dataflow=os,ws --quiet)
"$B" sweep "${G[@]}" --jobs 1 --out "$T/j1"
"$B" sweep "${G[@]}" --jobs 2 --out "$T/j3"
[ "$(wc -l < "$T/j1/results.jsonl")" -eq 16 ] || fail "expected 16 rows"
[ "$(wc -l < "$T/j1/results.csv")" -eq 17 ] || fail "expected header + 16 csv lines"
# Final files are sorted by point index, so --jobs changes nothing, byte for byte.
cmp "$T/j1/results.csv" "$T/j3/results.csv" || fail "csv differs between --jobs 1 and 3"
cmp "$T/j1/results.jsonl" "$T/j3/results.jsonl" || fail "jsonl differs between --jobs 1 and 3"
head -1 "$T/j1/results.csv" | grep -q '^point,point_id,workload,compute.rows,compute.dataflow,status,cycles,compute_cycles,stall_cycles,latency_s,energy_pj,' \
  || fail "csv header: $(head -1 "$T/j1/results.csv")"
head -1 "$T/j1/results.csv" | grep -q 'energy_dram_pj' || fail "no per-component energy column"
# Each row equals a direct `accsim run` of that point (row 5 = workload 0, rows=16, ws: index 0*8+2*2+1).
row=$(sed -n 6p "$T/j1/results.jsonl")
grep -q '"point":5,' <<<"$row" || fail "row 5 is not point 5: $row"
grep -q '"compute.rows":"16","compute.dataflow":"ws"' <<<"$row" || fail "point 5 params: $row"
direct=$("$B" run --arch "$A" --workload gemm:m=64,n=64,k=64 --set compute.rows=16 --set compute.dataflow=ws --format json \
         | grep -A1 '"total": {' | tail -1 | tr -dc 0-9)
[ -n "$direct" ] || fail "no total cycles from accsim run"
grep -q "\"cycles\":$direct," <<<"$row" || fail "sweep cycles differ from accsim run ($direct): $row"

# Bad specs: exit 2 with one clear line naming the problem.
set +e
out=$("$B" sweep --arch "$A" --workload gemm:m=8,n=8,k=8 --grid compute.rows=4,4 --out "$T/bad1" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "value '4' given twice" <<<"$out" || fail "duplicate value: rc=$rc $out"
out=$("$B" sweep --arch "$A" --workload gemm:m=8,n=8,k=8 --grid workload.prune=nm:5:4 --out "$T/bad2" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "workload.prune=nm:5:4" <<<"$out" || fail "bad prune: rc=$rc $out"
out=$("$B" sweep --arch "$A" --workload gemm:m=8,n=8,k=8 --grid compute.rowz=4 --out "$T/bad3" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "compute.rowz: unknown key" <<<"$out" || fail "unknown key: rc=$rc $out"
out=$("$B" sweep --arch "$A" --workload gemm:m=8,n=8,k=8 --grid compute.rows=8..4 --out "$T/bad4" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "is empty" <<<"$out" || fail "empty range: rc=$rc $out"
out=$("$B" sweep "${G[@]}" --out "$T/j1" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "pass --resume" <<<"$out" || fail "reused --out: rc=$rc $out"
# --keep-going records an infeasible point as a status=error row instead of stopping.
"$B" sweep --arch "$A" --workload gemm:m=8,n=8,k=8 --grid compute.rows=0,4 --keep-going --quiet --out "$T/kg"; rc=$?
[ $rc -eq 0 ] || fail "keep-going rc=$rc"
set -e
grep -q '"status":"error","error":"--set: compute.rows: must be > 0' "$T/kg/results.jsonl" || fail "no error row"

# Seeded random sampling: 7 distinct points of 400, the same for the same seed, others for another.
R=(--arch "$A" --workload gemm:m=16,n=16,k=16 --grid compute.rows=1..20 --grid compute.cols=1..20 --random 7 --quiet)
"$B" sweep "${R[@]}" --seed 11 --out "$T/r1"
"$B" sweep "${R[@]}" --seed 11 --jobs 1 --out "$T/r2"
"$B" sweep "${R[@]}" --seed 12 --out "$T/r3"
[ "$(wc -l < "$T/r1/results.jsonl")" -eq 7 ] || fail "random 7 gave $(wc -l < "$T/r1/results.jsonl") rows"
cmp "$T/r1/results.csv" "$T/r2/results.csv" || fail "same seed, different sample"
cmp -s "$T/r1/results.csv" "$T/r3/results.csv" && fail "different seeds gave the same sample"
# Workload parameters on a trace go through `accsim run --workload-set`: 4-bit weights move fewer
# DRAM bytes than 8-bit ones, and each row equals the direct run.
"$B" sweep --arch "$A" --workload workloads/bert-base-encoder-layer.yaml --grid workload.wbits=4,8 --quiet --out "$T/wb"
bytes4=$(sed -n 1p "$T/wb/results.jsonl" | grep -o '"dram_read_bytes":[0-9]*' | tr -dc 0-9)
bytes8=$(sed -n 2p "$T/wb/results.jsonl" | grep -o '"dram_read_bytes":[0-9]*' | tr -dc 0-9)
[ "$bytes4" -lt "$bytes8" ] || fail "wbits=4 reads $bytes4 bytes, wbits=8 $bytes8"
json=$("$B" run --arch "$A" --workload workloads/bert-base-encoder-layer.yaml --workload-set wbits=4 --format json)
# awk reads a here-string, so no producer can die of SIGPIPE under pipefail when the match comes early.
direct=$(awk '/"total": \{/ {t = 1} t && /"dram_read_bytes"/ {gsub(/[^0-9]/, ""); print; exit}' <<<"$json")
[ "$direct" = "$bytes4" ] || fail "sweep ($bytes4) and run --workload-set ($direct) differ"

# Several --arch files are one more swept dimension; a point keeps the id it has in a one-arch sweep.
mkdir -p "$T/arch"
ln -s "$PWD/configs/energy" "$T/energy"
sed 's/^name: .*/name: systolic-16x16/; s/^  rows: 32/  rows: 16/; s/^  cols: 32/  cols: 16/' "$A" > "$T/arch/s16.yaml"
"$B" sweep --arch "$A" --arch "$T/arch/s16.yaml" --workload gemm:m=64,n=64,k=64 --grid compute.dataflow=os,ws \
  --quiet --out "$T/archs"
"$B" sweep --arch "$T/arch/s16.yaml" --workload gemm:m=64,n=64,k=64 --grid compute.dataflow=os,ws --quiet --out "$T/one"
head -1 "$T/archs/results.csv" | grep -q '^point,point_id,arch,workload,compute.dataflow,' || fail "arch column"
[ "$(wc -l < "$T/archs/results.jsonl")" -eq 4 ] || fail "2 archs x 2 dataflows should be 4 rows"
for id in $(grep -o '"point_id":"[0-9a-f]*"' "$T/one/results.jsonl"); do
  grep -q "$id" "$T/archs/results.jsonl" || fail "id $id of the one-arch sweep is not in the two-arch sweep"
done
# The 16x16 rows really ran the 16x16 file: its peak is 256 MACs/cycle.
grep "s16.yaml" "$T/archs/results.jsonl" | grep -q '"peak_macs_per_cycle":256.0' || fail "16x16 arch not used"
echo "ok"
