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
run() { "$ACCSIM" run --arch configs/arch/h100.yaml --set compute.power.board_limit_w=0 ${ACCSIM_SET:-} --workload "gemm:m=3072,n=3072,k=10240,dtype=fp16$1" --format json |
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
# A caller's workspace limit (PyTorch grants cuBLASLt 1 MiB, aten/src/ATen/cuda/CUDABlas.cpp) rules
# out stream-K: the 156 stream-K tiles' 132 units need 132 fp32 accumulator tiles of 128 x 256 x 4 B
# = 17.3 MB of partials. The kernel is then data-parallel, the 3-wave time of d45b2ce (317.6 us).
read -r kl ul tl lat_l <<<"$(ACCSIM_SET='--set compute.kernels.workspace_limit_kb=1024' run '')" || fail "limited run"
case "$kl" in *_streamk) fail "stream-K kernel $kl under a 1 MiB workspace" ;; esac
[ "$ul" = 0 ] || fail "stream-K units $ul under a 1 MiB workspace"
python3 -c "import sys; d=float(sys.argv[1]); sys.exit(0 if d > float(sys.argv[2]) else 1)" "$lat_l" "$lat_d" ||
  fail "limited latency $lat_l us not above stream-K's $lat_d us"
# A library without stream-K (cuSPARSELt 0.4.0) likewise.
read -r kn _ _ _ <<<"$(ACCSIM_SET='--set compute.kernels.stream_k=false' run ',prune=nm:2:4')" || fail "no-stream-K run"
case "$kn" in *_streamk) fail "stream-K kernel $kn with stream_k=false" ;; esac
# Bad values are located errors (exit 2, naming the key).
for bad in workspace_limit_kb=-2 workspace_limit_kb=1e12 stream_k=maybe; do
  err=$("$ACCSIM" run --arch configs/arch/h100.yaml --set "compute.kernels.$bad" --workload gemm:m=64,n=64,k=64,dtype=fp16 2>&1)
  rc=$?
  [ "$rc" = 2 ] || fail "$bad: exit $rc, want 2"
  grep -q "compute.kernels.${bad%%=*}" <<<"$err" || fail "$bad: error does not name the key: $err"
done
echo ok
