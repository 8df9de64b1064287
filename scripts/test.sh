#!/usr/bin/env bash
# One command: install what is missing, build everything with tests, run every test (ctest); then
# the same suite built with clang under AddressSanitizer + UndefinedBehaviorSanitizer, which also
# replays the fuzz regression and seed corpora and fuzzes every reader briefly (tests/fuzz,
# docs/reliability.md). ACCSIM_SANITIZE=0 skips the sanitizer stage (quick local runs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
accsim_install_packages
cmake -S "$ACCSIM_ROOT" -B "$ACCSIM_BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
cmake --build "$ACCSIM_BUILD" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
JOBS="$(nproc 2>/dev/null || echo 2)"
(cd "$ACCSIM_BUILD" && ctest --output-on-failure -j "$JOBS" "$@")
[ "${ACCSIM_SANITIZE:-1}" = 0 ] && exit 0
ASAN_BUILD="${ACCSIM_ASAN_BUILD:-$ACCSIM_ROOT/build-asan}"
CC=clang CXX=clang++ cmake -S "$ACCSIM_ROOT" -B "$ASAN_BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON \
  -DACCSIM_SANITIZE=ON -DACCSIM_FUZZ=ON >/dev/null
cmake --build "$ASAN_BUILD" -j "$JOBS" >/dev/null
# Leaks are reported at exit of every test process; a report fails the test (ASan's default).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_stack_use_after_return=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
(cd "$ASAN_BUILD" && ctest --output-on-failure -j "$JOBS" "$@")
