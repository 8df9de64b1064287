#!/usr/bin/env bash
# Many points per process (forked workers running points in-process) give byte-identical results
# to one `accsim run` child per point (ACCSIM_SWEEP_MODE=process), whatever --jobs; a worker that
# dies is reported as a failed point, not a hang.
set -euo pipefail
B="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
G=(--arch configs/arch/systolic-32x32.yaml --workload workloads/bert-base-encoder-layer.yaml
   --workload gemm:m=64,n=128,k=256 --grid compute.rows=4..64*4 --grid compute.cols=8,32
   --grid compute.dataflow=os,ws,is --grid workload.prune=dense,nm:2:4 --random 40 --seed 3 --quiet)
"$B" sweep "${G[@]}" --jobs 1 --out "$T/fork1"
"$B" sweep "${G[@]}" --jobs 2 --out "$T/fork2"
ACCSIM_SWEEP_MODE=process "$B" sweep "${G[@]}" --jobs 2 --out "$T/proc"
for f in results.jsonl results.csv sweep.json; do
  cmp "$T/fork1/$f" "$T/fork2/$f" || fail "$f differs between --jobs 1 and 2"
  cmp "$T/fork1/$f" "$T/proc/$f" || fail "$f differs between forked workers and one process per point"
done
[ "$(grep -c '"status":"ok"' "$T/fork1/results.jsonl")" = 40 ] || fail "expected 40 ok rows"
set +e
out=$(ACCSIM_SWEEP_MODE=threads "$B" sweep "${G[@]}" --out "$T/x" 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && echo "$out" | grep -q "ACCSIM_SWEEP_MODE must be fork or process" || fail "bad mode: rc=$rc $out"
echo ok
