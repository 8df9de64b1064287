#!/usr/bin/env bash
# Installs the Debian packages accsim needs (only those missing) and builds it in build/.
# Sourced by run.sh and test.sh; quiet when everything is already there.
set -euo pipefail

ACCSIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACCSIM_BUILD="${ACCSIM_BUILD:-$ACCSIM_ROOT/build}"

ACCSIM_PACKAGES=(
  g++ cmake make pkg-config
  libsystemc-dev libyaml-cpp-dev libboost-dev nlohmann-json3-dev libeigen3-dev
  libgtest-dev googletest
  python3 python3-numpy python3-matplotlib python3-yaml
  python3-torch  # scripts/export_trace.py's PyTorch path, exercised by tests/cli/trace.sh
  slurm-wlm munge  # a private one-node Slurm for tests/cli/sweep_slurm.sh (scripts/slurm/local-slurm.sh)
  clang libclang-rt-14-dev  # the ASan+UBSan build and the libFuzzer targets (scripts/test.sh, scripts/fuzz.sh)
  python3-torchvision  # torchvision models exported at test time (tests/cli/torchvision.sh)
  python3-onnx  # ONNX external-data models written at test time (tests/cli/onnx_external.sh)
  time  # GNU time: peak RSS of the batch=1e8 run (tests/cli/stc_batched_bounded.sh)
)

accsim_install_packages() {
  local missing=()
  for pkg in "${ACCSIM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "accsim setup: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

