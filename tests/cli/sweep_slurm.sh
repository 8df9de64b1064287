#!/usr/bin/env bash
# scripts/slurm/sweep.sbatch under a real Slurm: a private single-node cluster from Debian's
# slurm-wlm (scripts/slurm/local-slurm.sh), the docs' submit command shape, shards as an array job,
# the merge after them (afterany); the merged result must equal a local unsharded sweep, Slurm's
# output files must land under the sweep's folder, and a failing shard must be reported by the
# merge rather than leave it pending. Exit 77 (ctest SKIP) only when Slurm is not installed or
# cannot be started here; everything is bounded (about a minute).
set -euo pipefail
B="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in sbatch squeue sinfo; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool missing (scripts/setup.sh installs slurm-wlm)"; exit 77; }
done
# Slurm jobs need a directory every node sees; the repository's build/ is one on a single node.
T="$(mktemp -d "$PWD/build/slurm-test.XXXXXX")"
S="$(mktemp -d "${TMPDIR:-/tmp}/accsim-slurm.XXXXXX")"
trap 'scripts/slurm/local-slurm.sh stop "$S" >/dev/null 2>&1 || true; rm -rf "$T" "$S"' EXIT
if ! scripts/slurm/local-slurm.sh start "$S" > "$T/start.out" 2>&1; then
  echo "SKIP: a local Slurm could not be started: $(tail -1 "$T/start.out")"; exit 77
fi
export SLURM_CONF="$S/slurm.conf"
wait_jobs() {  # until the private cluster's queue is empty (only this test submits to it), at most 120 s
  local q
  for _ in $(seq 240); do
    # An squeue that fails (controller busy) is not an empty queue.
    q=$(squeue -h 2>/dev/null) && [ -z "$q" ] && return 0
    sleep 0.5
  done
  fail "jobs still queued after 120 s: $(squeue 2>&1)"
}
SWEEP=(--arch configs/arch/systolic-32x32.yaml --workload gemm:m=96,n=64,k=128
       --grid compute.rows=4..32*2 --grid compute.cols=4,16 --quiet)   # 8 points
"$B" sweep "${SWEEP[@]}" --out "$T/ref"
# As in docs/sweeps.md: no partition, the script's CPU count, from the repository root.
ACCSIM="$B" scripts/slurm/sweep.sbatch submit "$T/run" 2 --time=00:05:00 -- "${SWEEP[@]}" > "$T/submit.out"
grep -q "submitted shards as job array [0-9]* and the merge as job [0-9]*" "$T/submit.out" || fail "$(cat "$T/submit.out")"
wait_jobs
[ -f "$T/run/merged/results.csv" ] || fail "no merged results; $(cat "$T"/run/slurm/*.out 2>/dev/null)"
for f in sweep.json results.jsonl results.csv; do cmp "$T/ref/$f" "$T/run/merged/$f" || fail "$f differs"; done
ls "$T"/run/slurm/shard-*_0.out "$T"/run/slurm/shard-*_1.out "$T"/run/slurm/merge-*.out >/dev/null \
  || fail "Slurm output files are not under the sweep's folder: $(ls -R "$T/run")"
ls slurm-*.out >/dev/null 2>&1 && fail "slurm-*.out files in the working folder"
# A shard that fails at once (a binary that is not accsim): the merge still runs and names it.
printf '#!/bin/sh\n[ "$1" = merge ] && exec "%s" "$@"\necho broken >&2; exit 3\n' "$B" > "$T/broken"
chmod +x "$T/broken"
ACCSIM="$T/broken" scripts/slurm/sweep.sbatch submit "$T/bad" 2 --time=00:05:00 -- "${SWEEP[@]}" > "$T/submit2.out"
wait_jobs
grep -q "shard(s) 0 1 of 2 did not start or failed" "$T"/bad/slurm/merge-*.out \
  || fail "the merge did not report the failed shards: $(cat "$T"/bad/slurm/*.out)"
echo ok
