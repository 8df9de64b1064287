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
# Energy-only keys: points differing only in them are re-priced from a simulated point's actions
# (forked mode) and must equal simulating each (process mode), byte for byte; --points couples an
# energy table with its node.
E=(--arch configs/arch/systolic-32x32.yaml --workload workloads/bert-base-encoder-layer.yaml
   --grid compute.rows=8,32 --grid compute.dataflow=os,ws --grid dram.pj_per_bit=2,8,32 --quiet)
"$B" sweep "${E[@]}" --jobs 1 --out "$T/e-fork"
ACCSIM_SWEEP_MODE=process "$B" sweep "${E[@]}" --jobs 2 --out "$T/e-proc"
cmp "$T/e-fork/results.jsonl" "$T/e-proc/results.jsonl" || fail "re-priced rows differ from simulated ones"
printf 'energy_table,technology_nm\n45nm,45\n16nm,16\n7nm,7\n' > "$T/tech.csv"
P=(--arch configs/arch/systolic-32x32.yaml --workload gemm:m=128,n=768,k=768 --points "$T/tech.csv" --quiet)
"$B" sweep "${P[@]}" --jobs 1 --out "$T/t-fork"
ACCSIM_SWEEP_MODE=process "$B" sweep "${P[@]}" --jobs 1 --out "$T/t-proc"
cmp "$T/t-fork/results.jsonl" "$T/t-proc/results.jsonl" || fail "re-priced technology rows differ"
[ "$(grep -o '"cycles":[0-9]*' "$T/t-fork/results.jsonl" | sort -u | wc -l)" = 1 ] || fail "energy tables changed cycles"
[ "$(grep -o '"energy_pj":[0-9.e+]*' "$T/t-fork/results.jsonl" | sort -u | wc -l)" = 3 ] || fail "energy tables gave equal energy"
set +e
out=$(ACCSIM_SWEEP_MODE=threads "$B" sweep "${G[@]}" --out "$T/x" 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && grep -q "ACCSIM_SWEEP_MODE must be fork or process" <<<"$out" || fail "bad mode: rc=$rc $out"
echo ok
