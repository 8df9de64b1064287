#!/usr/bin/env bash
# One command: install what is missing, build Release, run accsim.
# With no arguments it runs the default job (ResNet-50 on the 32x32 systolic array); otherwise the
# arguments go to `accsim` unchanged, with relative paths taken from the caller's directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
accsim_install_packages
cmake -S "$ACCSIM_ROOT" -B "$ACCSIM_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$ACCSIM_BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target accsim >/dev/null
if [ $# -eq 0 ]; then
  cd "$ACCSIM_ROOT"
  exec "$ACCSIM_BUILD/accsim" run --arch configs/arch/systolic-32x32.yaml --workload workloads/resnet50.yaml
fi
exec "$ACCSIM_BUILD/accsim" "$@"
