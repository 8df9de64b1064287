#!/usr/bin/env bash
# One command: install what is missing, build Release, run accsim.
# With no arguments it runs the default job; otherwise the arguments go to `accsim`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
accsim_install_packages
cmake -S "$ACCSIM_ROOT" -B "$ACCSIM_BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$ACCSIM_BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target accsim >/dev/null
cd "$ACCSIM_ROOT"
if [ $# -eq 0 ]; then
  exec "$ACCSIM_BUILD/accsim" run --arch configs/arch/systolic-32x32.yaml --workload workloads/resnet50.yaml
fi
exec "$ACCSIM_BUILD/accsim" "$@"
