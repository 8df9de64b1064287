# Sourced by the CLI tests that export models with Debian's torch (and onnx): sets ACCSIM from $1, a
# temporary folder T removed on exit, fail(), PY, and skips (exit 77, ctest SKIP_RETURN_CODE) when
# one of the Python modules named in TORCH_TEST_MODULES (default "torch") is missing.
set -u
ACCSIM="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
for module in ${TORCH_TEST_MODULES:-torch}; do
  "$PY" -c "import $module" 2>/dev/null || { echo "SKIP: python3 module '$module' missing"; exit 77; }
done
