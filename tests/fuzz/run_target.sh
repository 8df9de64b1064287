#!/usr/bin/env bash
# Runs one libFuzzer target: replays its regression corpus (tests/fuzz/regression/TARGET: every
# crasher of issue #16) and seed corpus once, then fuzzes for SECONDS (0: replay only) from the seeds
# into a scratch corpus. Exit 0 only when no input crashed, hung (> 10 s) or hit exit-1 territory.
# Usage: tests/fuzz/run_target.sh FUZZ_BINARY TARGET SECONDS [STATS_FILE]   (from the repository root)
set -uo pipefail
BIN="$1" TARGET="$2" SECONDS_TO_RUN="$3" STATS="${4:-}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -x "$BIN" ] || { echo "run_target: $BIN not built (configure with -DACCSIM_FUZZ=ON, CXX=clang++)"; exit 77; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# Leak checks stay on (ASan's default) for the replay; libFuzzer's own RSS and malloc limits catch
# inputs that would allocate unboundedly (2 GiB, as issue #16's "would need N GB" bound).
export ASAN_OPTIONS="abort_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
OPTS=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -artifact_prefix="$WORK/" -print_final_stats=1)
dirs=()
for d in "$ROOT/tests/fuzz/regression/$TARGET" "$ROOT/tests/fuzz/corpus/$TARGET"; do
  [ -d "$d" ] && [ -n "$(ls -A "$d")" ] && dirs+=("$d")
done
# Replay: each file once.
if ! "$BIN" "${OPTS[@]}" -runs=0 "${dirs[@]}" >"$WORK/replay.log" 2>&1; then
  echo "FAIL $TARGET: replaying the corpora crashed"; grep -E "ERROR|internal error|SUMMARY|Test unit written" "$WORK/replay.log" | head -8
  exit 1
fi
[ "$SECONDS_TO_RUN" -gt 0 ] || { echo "ok   $TARGET: replayed $(find "${dirs[@]}" -type f | wc -l) inputs"; exit 0; }
mkdir -p "$WORK/corpus"
"$BIN" "${OPTS[@]}" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 "$WORK/corpus" "${dirs[@]}" >"$WORK/fuzz.log" 2>&1
rc=$?
runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$WORK/fuzz.log" | grep -oE "[0-9]+$" | tail -1)
[ -n "$STATS" ] && echo "$TARGET ${runs:-0} $rc" >>"$STATS"
if [ $rc -ne 0 ]; then
  echo "FAIL $TARGET after ${runs:-?} cases:"; grep -E "ERROR|internal error|SUMMARY|Test unit written|deadly signal|timeout" "$WORK/fuzz.log" | head -8
  mkdir -p "$ROOT/build-asan/fuzz-artifacts" && cp "$WORK"/crash-* "$WORK"/timeout-* "$WORK"/oom-* "$WORK"/leak-* "$ROOT/build-asan/fuzz-artifacts/" 2>/dev/null
  exit 1
fi
echo "ok   $TARGET: ${runs:-0} cases in ${SECONDS_TO_RUN} s, no crash, hang or exit-1"
