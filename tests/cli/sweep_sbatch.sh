#!/usr/bin/env bash
# scripts/slurm/sweep.sbatch: its submit/shard/merge logic, driven through a stand-in `sbatch`
# that runs each array task as a separate process at once, must reproduce the unsharded sweep.
# (tests/cli/sweep_slurm.sh runs the same script under a real Slurm when one is available.)
set -euo pipefail
B="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$T/sbatch" <<'SB'
#!/usr/bin/env bash
# Stand-in for sbatch: parses the options the script uses and runs the job right away.
array=""; dep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --array=*) array="${1#--array=}" ;;
    --dependency=*) dep="${1#--dependency=}" ;;
    --*) ;;
    *) break ;;
  esac
  shift
done
script="$1"; shift
echo "job array=${array:-none} dependency=${dep:-none} mode=$1" >> "$FAKE_SBATCH_LOG"
if [ -n "$array" ]; then
  pids=()
  for i in $(seq "${array%-*}" "${array#*-}"); do
    SLURM_ARRAY_TASK_ID=$i SLURM_CPUS_PER_TASK=1 bash "$script" "$@" 2>>"$FAKE_SBATCH_LOG" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "task failed" >&2; exit 1; }; done
else
  bash "$script" "$@" 2>>"$FAKE_SBATCH_LOG" || exit 1
fi
echo "$((1000 + RANDOM % 1000))"
SB
chmod +x "$T/sbatch"
export FAKE_SBATCH_LOG="$T/log"

SWEEP=(--arch configs/arch/systolic-32x32.yaml --workload gemm:m=96,n=64,k=128
       --grid compute.rows=4..32*2 --grid compute.cols=4,16 --grid workload.prune=dense,nm:2:4 --quiet)  # 16 points
"$B" sweep "${SWEEP[@]}" --out "$T/ref"
ACCSIM="$B" SBATCH="$T/sbatch" scripts/slurm/sweep.sbatch submit "$T/run" 3 --time=00:05:00 -- "${SWEEP[@]}" \
  > "$T/submit.out" || { cat "$T/log"; fail "submit failed"; }
grep -q "submitted shards as job array" "$T/submit.out" || fail "submit output: $(cat "$T/submit.out")"
grep -q "job array=0-2 dependency=none mode=shard" "$T/log" || fail "no 3-task array: $(cat "$T/log")"
grep -q "array=none dependency=afterany:[0-9]* mode=merge" "$T/log" || fail "merge not dependent (afterany): $(cat "$T/log")"
for f in sweep.json results.jsonl results.csv; do cmp "$T/ref/$f" "$T/run/merged/$f" || fail "$f differs"; done
# A shard that never ran: the merge job still runs and names it (exit 1).
rm -rf "$T/run/shards/1"
set +e
out=$(ACCSIM="$B" SLURM_CPUS_PER_TASK=1 bash scripts/slurm/sweep.sbatch merge "$T/run" 3 2>&1); rc=$?
set -e
[ $rc -eq 1 ] && grep -q "shard(s) 1 of 3 did not start or failed" <<<"$out" || fail "missing shard: rc=$rc $out"
set +e
scripts/slurm/sweep.sbatch submit "$T/x" zero -- --arch a 2>/dev/null; rc=$?
set -e
[ $rc -eq 2 ] || fail "bad SHARDS accepted (rc=$rc)"
echo ok
