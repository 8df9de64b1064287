#!/usr/bin/env bash
# A long fuzz campaign (docs/reliability.md, "Long run"): rounds of SECONDS per target, round-robin
# over the fuzz binaries in BIN_DIR, each target keeping its own growing corpus in WORK/corpus/TARGET
# between rounds (so coverage carries over), until TOTAL cases ran or the UTC time STOP_AT passed.
# Appends "round target cases exit_status" lines to WORK/stats; crashers go to WORK/artifacts/.
# Same limits as tests/fuzz/run_target.sh. Run it niced on a shared machine:
#   nice -n 19 tests/fuzz/campaign.sh BIN_DIR WORK SECONDS TOTAL STOP_AT(HH:MM)
set -uo pipefail
BIN_DIR="$1" WORK="$2" SECS="$3" TOTAL="$4" STOP_AT="$5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ASAN_OPTIONS="abort_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$WORK/artifacts" "$WORK/logs"
touch "$WORK/stats"
done_cases() { awk '{n += $3} END {print n + 0}' "$WORK/stats"; }
stop_s=$(date -u -d "$STOP_AT" +%s)
round=$(awk 'END {print $1 + 0}' "$WORK/stats")
while [ "$(done_cases)" -lt "$TOTAL" ] && [ "$(date -u +%s)" -lt "$stop_s" ]; do
  round=$((round + 1))
  for bin in "$BIN_DIR"/fuzz_*; do
    t="${bin##*/fuzz_}"
    [ "$(date -u +%s)" -lt "$stop_s" ] || break
    mkdir -p "$WORK/corpus/$t"
    seeds=()
    for d in "$ROOT/tests/fuzz/regression/$t" "$ROOT/tests/fuzz/corpus/$t"; do [ -d "$d" ] && seeds+=("$d"); done
    log="$WORK/logs/$t.$round.log"
    "$bin" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -artifact_prefix="$WORK/artifacts/$t-" \
      -print_final_stats=1 -max_total_time="$SECS" -max_len=65536 "$WORK/corpus/$t" "${seeds[@]}" >"$log" 2>&1
    rc=$?
    runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" | tail -1)
    echo "$round $t ${runs:-0} $rc" >>"$WORK/stats"
  done
done
awk '{n[$2] += $3; if ($4 != 0) bad[$2]++; tot += $3} END {for (t in n) printf "%-22s %10d cases, %d failing round(s)\n", t, n[t], bad[t] + 0; printf "total %d cases\n", tot}' "$WORK/stats" | sort
