#!/usr/bin/env bash
# One command: install what is missing, build everything with tests, run every test (ctest).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
accsim_install_packages
cmake -S "$ACCSIM_ROOT" -B "$ACCSIM_BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
cmake --build "$ACCSIM_BUILD" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
cd "$ACCSIM_BUILD"
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"
