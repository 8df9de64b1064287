#!/usr/bin/env bash
# scripts/slurm/sweep.sbatch under a real Slurm (e.g. Debian slurm-wlm on one node): shards as an
# array job, then the dependent merge; the merged result must equal a local unsharded sweep.
# Skipped, with a message, when no Slurm controller answers.
set -euo pipefail
B="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! command -v sbatch >/dev/null || ! timeout 10 sinfo -h >/dev/null 2>&1; then
  echo "SKIP: no Slurm here (sbatch/sinfo missing or no controller); tests/cli/sweep_sbatch.sh covers the script logic"
  exit 0
fi
# Slurm jobs need a directory every node sees; the repository's build/ is one on a single node.
T="$(mktemp -d "$PWD/build/slurm-test.XXXXXX")"
trap 'rm -rf "$T"' EXIT
SWEEP=(--arch configs/arch/systolic-32x32.yaml --workload gemm:m=96,n=64,k=128
       --grid compute.rows=4..32*2 --grid compute.cols=4,16 --quiet)
"$B" sweep "${SWEEP[@]}" --out "$T/ref"
ACCSIM="$B" scripts/slurm/sweep.sbatch submit "$T/run" 2 --cpus-per-task=1 --time=00:05:00 \
  --output="$T/slurm-%A_%a.out" -- "${SWEEP[@]}" > "$T/submit.out"
ids=$(grep -o 'job array [0-9]*\|job [0-9]*;\?' "$T/submit.out" | tr -dc '0-9 ')
for _ in $(seq 240); do
  [ -z "$(squeue -h -j "$(echo $ids | tr ' ' ,)" 2>/dev/null)" ] && break
  sleep 1
done
[ -f "$T/run/merged/results.csv" ] || fail "no merged results; $(cat "$T"/slurm-*.out 2>/dev/null)"
for f in sweep.json results.jsonl results.csv; do cmp "$T/ref/$f" "$T/run/merged/$f" || fail "$f differs"; done
echo ok
