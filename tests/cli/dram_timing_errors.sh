#!/bin/bash
# dram.kind=timing input errors: one located line, exit status 2.
set -uo pipefail
ACCSIM="$1"
A=configs/arch/systolic-32x32-timing.yaml
W=gemm:m=64,n=64,k=64
expect() {  # expect PATTERN args...
  local pat="$1"; shift
  out=$("$ACCSIM" run "$@" 2>&1); rc=$?
  [ $rc -eq 2 ] || { echo "exit $rc, want 2: $*"; exit 1; }
  grep -q -- "$pat" <<<"$out" || { echo "message '$out' lacks '$pat'"; exit 1; }
}
expect "dram.bandwidth_gb_s: is a dram.kind=bandwidth parameter" --arch configs/arch/systolic-32x32.yaml --workload $W --set dram.kind=timing
expect "dram.address_mapping: must list each of" --arch $A --workload $W --set dram.address_mapping=RoRoBgBaCoCh
expect "dram.preset" --arch $A --workload $W --set dram.preset=ddr9
expect "dram.write_high: needs" --arch $A --workload $W --set dram.write_high=64
expect "dram.timing.XYZ" --arch $A --workload $W --set dram.timing.XYZ=3
expect "compute.dram_layout" --arch $A --workload $W --set compute.dram_layout=zigzag
# And a good run works.
"$ACCSIM" run --arch $A --workload $W >/dev/null || { echo "valid timing run failed"; exit 1; }
echo ok
