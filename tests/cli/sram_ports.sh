#!/bin/bash
# Systolic operand buffers with banks and ports: conflicts counted and timed, the same in event and
# cycle mode; ports 0 (default) changes nothing; bad values and blocks without the model refuse.
set -euo pipefail
ACCSIM="$1"
ARCH=configs/arch/systolic-32x32.yaml
GEMM=gemm:m=64,n=64,k=129,dtype=int8
FREE="--set dram.bandwidth_gb_s=1e6 --set dram.latency_ns=0"
PORTS="--set compute.buffers.ifmap.banks=32 --set compute.buffers.ifmap.ports=1 --set compute.buffers.filter.banks=32 --set compute.buffers.filter.ports=1"
field() { python3 -c "import json,sys; t=json.load(sys.stdin)['total']; print(int($1))"; }
# K = 129: T - 1 = 128 = 0 mod 32, so every active lane of a step reads the same bank. Per fold
# 32 x 129 reads in 160 steps -> 3968 extra cycles; 2 x 2 folds -> 15872 (unit test derives it).
base=$("$ACCSIM" run --arch $ARCH --workload $GEMM $FREE --format json | field "t['cycles']")
for mode in event cycle; do
  out=$("$ACCSIM" run --arch $ARCH --workload $GEMM $FREE $PORTS --set sim.mode=$mode --format json)
  stall=$(field "t['counters']['sram_bank_stall_cycles']" <<<"$out")
  cycles=$(field "t['cycles']" <<<"$out")
  [ "$stall" = 15872 ] || { echo "FAIL $mode: stall $stall, expected 15872"; exit 1; }
  [ "$cycles" = $((base + 15872)) ] || { echo "FAIL $mode: cycles $cycles, expected $base + 15872"; exit 1; }
done
# Ports 0 (the default) is SCALE-Sim's ideal buffer: nothing counted.
out=$("$ACCSIM" run --arch $ARCH --workload $GEMM $FREE --set compute.buffers.ifmap.banks=32 --format json)
if grep -q bank_conflict <<<"$out"; then echo "FAIL: conflicts counted with ports 0"; exit 1; fi
expect2() {
  set +e; err=$("$ACCSIM" "$@" 2>&1 >/dev/null); rc=$?; set -e
  [ $rc -eq 2 ] && grep -qF "$want" <<<"$err" || { echo "FAIL: '$*' rc $rc: $err"; exit 1; }
}
want="compute.buffers.ifmap.ports: must be >= 0" expect2 run --arch $ARCH --workload $GEMM --set compute.buffers.ifmap.ports=-1
want="compute.buffers.weights.ports: unknown key" expect2 run --arch configs/arch/bbs-fpga19.yaml --workload workloads/bbs/ptb-lstm.yaml --set compute.buffers.weights.ports=2
echo ok
