#!/usr/bin/env bash
# Fuzzes every reader (tests/fuzz/targets) for SECONDS each (default 60) with libFuzzer, ASan and
# UBSan, after replaying the regression and seed corpora. Builds build-asan/ with clang when needed.
# Prints cases run per target; exits 1 if any target crashed, hung or hit an internal error
# (artifacts in build-asan/fuzz-artifacts/). Usage: scripts/fuzz.sh [SECONDS] [TARGET ...]
# Long campaigns on a shared machine: nice -n 19 scripts/fuzz.sh 3600
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
SECS="${1:-60}"
shift || true
accsim_install_packages
B="${ACCSIM_ASAN_BUILD:-$ACCSIM_ROOT/build-asan}"
CC=clang CXX=clang++ cmake -S "$ACCSIM_ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON \
  -DACCSIM_SANITIZE=ON -DACCSIM_FUZZ=ON >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$ACCSIM_ROOT"/tests/fuzz/targets/*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
cmake --build "$B" -j "$(nproc 2>/dev/null || echo 2)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
cd "$ACCSIM_ROOT"
STATS="$(mktemp)"
trap 'rm -f "$STATS"' EXIT
fail=0
for t in "${targets[@]}"; do
  bash tests/fuzz/run_target.sh "$B/tests/fuzz/fuzz_$t" "$t" "$SECS" "$STATS" || fail=1
done
awk '{n += $2; if ($3 != 0) bad++} END {printf "accsim fuzz: %d cases over %d targets, %d failing target(s)\n", n, NR, bad}' "$STATS"
exit $fail
