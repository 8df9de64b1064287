#!/usr/bin/env bash
# Stream-K on the H100 model, dense and 2:4 (issue #11: "sparse kernels get split-K/stream-K too").
# 3072x3072x10240 fp16: the sm90 128x256 dense tile and the 256(weights)x128 sparse tile both make
# 24 x 12 = 288 tiles = 2 full waves of 132 + 24. CUTLASS's sm90 rule (get_num_sk_tiles): one
# full wave data-parallel (132 tiles), the other 156 tiles stream-K over min(132, 156 x k-steps / 8)
# = 132 units. Without stream-K the dense kernel ran 3 waves: 317.6 us at d45b2ce; cuBLAS 248 us.
set -u
ACCSIM=$1
fail() { echo "FAIL: $*"; exit 1; }
# At the boost clock: the power limit (which lowers the clock on random operand values) is not what
# this test is about.
run() { "$ACCSIM" run --arch configs/arch/h100.yaml --set compute.power.board_limit_w=0 --workload "gemm:m=3072,n=3072,k=10240,dtype=fp16$1" --format json |
  python3 -c "
import json,sys; j=json.load(sys.stdin); l=j['layers'][0]; c=l['counters']
print(l['kernel'], int(c.get('stream_k_units', 0)), int(c.get('stream_k_tiles', 0)), l['latency_s'] * 1e6)"; }
read -r kd ud td lat_d <<<"$(run '')" || fail "dense run"
read -r ks us ts lat_s <<<"$(run ',prune=nm:2:4')" || fail "2:4 run"
case "$kd" in sm90_gemm_*_streamk) ;; *) fail "dense kernel $kd is not stream-K" ;; esac
case "$ks" in sm90_spgemm_*_streamk) ;; *) fail "2:4 kernel $ks is not stream-K" ;; esac
[ "$ud $td" = "132 156" ] || fail "dense units/tiles $ud $td, want 132 156"
[ "$us $ts" = "132 156" ] || fail "2:4 units/tiles $us $ts, want 132 156"
# The tail wave is gone: 288 tiles are 2.18 waves, so about 2.18/3 of the 3-wave time plus the
# fixup (< 10 %): 317.6 x 2.18 / 3 x 1.1 = 254 us.
python3 -c "import sys; d=float(sys.argv[1]); sys.exit(0 if 200 < d < 254 else 1)" "$lat_d" || fail "dense latency $lat_d us"
# Whole waves in every sm90 tile (8192^2 on 128 SMs: 2048-8192 tiles, multiples of 256 CTAs):
# the rule finds no stream-K work, the kernel is data-parallel and has no stream-K counters.
out=$("$ACCSIM" run --arch configs/arch/h100.yaml --set compute.sms=128 --workload gemm:m=8192,n=8192,k=1024,dtype=fp16 \
  --format json) || fail "whole-wave run"
grep -q '"stream_k_units"' <<<"$out" && fail "stream-K counters on a whole-wave GEMM"
grep -q '_streamk' <<<"$out" && fail "stream-K kernel on a whole-wave GEMM"
echo ok
