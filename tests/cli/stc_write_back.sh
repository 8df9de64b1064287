#!/usr/bin/env bash
# Issue #11 round 6: L2 is write-back and HBM serves reads first, so a compute-bound GEMM's C
# write-back does not delay the next waves' operand reads. A100 12288x3072x768 fp16 2:4 (clock
# unlimited by power): its HBM traffic, 21,528,576 B read + 75,497,472 B written, needs
# 96.0e6 / (1555e9 / 1.41e9 = 1102.8 B/clk) = 87,968 cycles, half its ~180,000 compute-bound
# cycles; so with 1555 GB/s it may take longer than with unlimited HBM only by the write-back
# that no read follows: the last of its 11 waves, 75,497,472 / 11 / 1102.8 = 6,224 cycles.
# (Round 5's in-order queue: 213,996 vs 179,710, 34,286 cycles more.)
set -euo pipefail
ACCSIM=$1
fail() { echo "FAIL: $*"; exit 1; }
run() {
  "$ACCSIM" run --arch configs/arch/a100.yaml --workload "gemm:m=12288,n=3072,k=768,dtype=fp16,prune=nm:2:4" \
    --set compute.power.board_limit_w=0 --set dram.bandwidth_gb_s="$1" --format json |
    python3 -c 'import json, sys; d = json.load(sys.stdin); l = d["layers"][0]; print(l["cycles"], d["total"]["dram_write_bytes"], int(l["counters"]["waves"]))'
}
read -r hbm wb waves <<<"$(run 1555)" || fail "1555 GB/s run"
read -r free wb_free _ <<<"$(run 100000)" || fail "unlimited run"
[ "$wb" = 75497472 ] && [ "$wb_free" = 75497472 ] || fail "write-back bytes $wb / $wb_free, want 75497472"
[ "$waves" = 11 ] || fail "waves $waves, want 11"
[ "$hbm" -ge "$free" ] && [ $((hbm - free)) -le 6224 ] || fail "1555 GB/s $hbm cycles vs unlimited $free: more than 6,224 apart"
echo "ok: $hbm cycles at 1555 GB/s, $free unlimited"
