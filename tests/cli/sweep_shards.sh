#!/usr/bin/env bash
# Shards run as separate, concurrent processes and merged give the unsharded result, byte for byte.
set -euo pipefail
B="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
G=(--arch configs/arch/systolic-32x32.yaml --workload gemm:m=64,n=64,k=64 --workload gemm:m=128,n=32,k=256
   --grid compute.rows=4..32*2 --grid compute.cols=8,16,32 --grid compute.dataflow=os,ws,is --quiet)  # 72 points
"$B" sweep "${G[@]}" --out "$T/all"
pids=()
for i in 0 1 2 3 4; do "$B" sweep "${G[@]}" --shard "$i/5" --jobs 1 --out "$T/s$i" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || fail "a shard failed"; done
# Shards are disjoint and cover every point.
total=0
for i in 0 1 2 3 4; do total=$((total + $(wc -l < "$T/s$i/results.jsonl"))); done
[ "$total" -eq 72 ] || fail "shards hold $total rows, expected 72"
[ "$(cat "$T"/s*/results.jsonl | grep -o '"point_id":"[0-9a-f]*"' | sort -u | wc -l)" -eq 72 ] || fail "shards overlap"
"$B" merge "$T"/s0 "$T"/s1 "$T"/s2 "$T"/s3 "$T"/s4 --out "$T/merged" --quiet
for f in sweep.json results.jsonl results.csv; do cmp "$T/all/$f" "$T/merged/$f" || fail "$f differs"; done
# A missing shard makes merge fail (exit 1) unless --allow-partial.
set +e
"$B" merge "$T"/s0 "$T"/s1 --out "$T/partial" --quiet 2>/dev/null; rc=$?
set -e
[ $rc -eq 1 ] || fail "partial merge rc=$rc"
# Shards of a different sweep cannot be merged.
"$B" sweep "${G[@]}" --grid compute.cols=8 --shard 0/5 --out "$T/other" 2>/dev/null && fail "duplicate grid key accepted" || true
"$B" sweep --arch configs/arch/systolic-32x32.yaml --workload gemm:m=8,n=8,k=8 --shard 1/5 --quiet --out "$T/other"
set +e
out=$("$B" merge "$T"/s0 "$T/other" --out "$T/bad" 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && grep -q "different sweep" <<<"$out" || fail "merging different sweeps: rc=$rc $out"
echo ok
