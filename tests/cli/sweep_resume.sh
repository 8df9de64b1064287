#!/usr/bin/env bash
# A sweep killed with SIGKILL mid-run, plus a torn last row, resumes to exactly the uninterrupted result.
set -euo pipefail
B="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
G=(--arch configs/arch/systolic-32x32.yaml --workload gemm:m=256,n=256,k=256
   --grid compute.rows=1..30 --grid compute.cols=4,8 --quiet)   # 60 points
"$B" sweep "${G[@]}" --out "$T/full"

"$B" sweep "${G[@]}" --jobs 1 --out "$T/cut" &
pid=$!
for _ in $(seq 3000); do   # wait (up to 60 s: slow under sanitizers or load) for some rows, then kill
  [ -f "$T/cut/results.jsonl" ] && [ "$(wc -l < "$T/cut/results.jsonl")" -ge 5 ] && break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
n=$(wc -l < "$T/cut/results.jsonl")
[ "$n" -ge 1 ] || fail "no rows before the kill"
# Simulate a row cut short by the kill (no newline at the end, half a JSON object).
printf '{"point":59,"point_id":"0123456789abcdef","params":{"workl' >> "$T/cut/results.jsonl"
printf '59,0123456789abcdef,"gemm:m=2' >> "$T/cut/results.csv"
set +e
out=$("$B" sweep "${G[@]}" --out "$T/cut" 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && grep -q -- "--resume" <<<"$out" || fail "rerun without --resume: rc=$rc $out"
"$B" sweep "${G[@]}" --resume --out "$T/cut"
cmp "$T/full/results.jsonl" "$T/cut/results.jsonl" || fail "resumed jsonl differs"
cmp "$T/full/results.csv" "$T/cut/results.csv" || fail "resumed csv differs"
# Resuming with a different grid is refused: the ids would not describe the same sweep.
set +e
out=$("$B" sweep "${G[@]}" --grid compute.dataflow=ws --resume --out "$T/cut" 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && grep -q "different sweep" <<<"$out" || fail "grid change on resume: rc=$rc $out"
echo "ok ($n rows survived the kill)"
