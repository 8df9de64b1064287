#!/usr/bin/env bash
# `accsim list` prints every registered kind from its declaration (sim/core/registry.hpp): summary,
# supported sim.modes, native ops and parameters with defaults and units; it exits 0 and takes no
# arguments.
# Usage: bash tests/cli/list.sh /path/to/accsim   (from the repository root)
set -uo pipefail
ACCSIM="$1"
out="$("$ACCSIM" list)" || { echo "FAIL: accsim list exited $?"; exit 1; }
fail=0
expect() {  # expect FIXED_LINE_FRAGMENT
  if grep -qF -- "$1" <<<"$out"; then echo "ok   $1"; else echo "FAIL missing: $1"; fail=1; fi
}
expect "Compute blocks (compute.kind)"
expect "MAC units (mac.kind)"
expect "Memory models (dram.kind)"
expect "  systolic: dense R x C systolic array"
expect "  bbs: bank-balanced sparse PE array"
expect "  sparse_tensor_core: GPU of SMs"
expect "  bandwidth: one channel"
expect "  bit_fusion: Bit Fusion fusion unit"
# Capabilities: bbs and stc run in event mode only; systolic also steps cycles.
grep -A1 "^  bbs:" <<<"$out" | grep -qx "    sim.mode: event" || { echo "FAIL bbs modes"; fail=1; }
grep -A1 "^  systolic:" <<<"$out" | grep -qx "    sim.mode: event cycle" || { echo "FAIL systolic modes"; fail=1; }
# Parameters with their defaults and units, under each kind's own prefix.
grep -qE "^    compute\.rows +integer +32 +PEs +array height$" <<<"$out" || { echo "FAIL compute.rows row"; fail=1; }
grep -qE "^    dram\.bandwidth_gb_s +number +0 +GB/s " <<<"$out" || { echo "FAIL dram.bandwidth_gb_s row"; fail=1; }
grep -qE "^    dram\.kind +string +bandwidth " <<<"$out" || { echo "FAIL dram.kind row"; fail=1; }
# Extra arguments are a usage error (exit 2).
"$ACCSIM" list extra >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL list extra: exit $rc, expected 2"; fail=1; }
exit $fail
