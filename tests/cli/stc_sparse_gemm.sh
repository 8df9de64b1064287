#!/usr/bin/env bash
# The A100 sparse-tensor-core config from the command line: a 2:4 GEMM runs and is faster than the
# dense one; weights that are not N:M are rejected with one line and exit status 2.
set -u
ACCSIM=$1
fail() { echo "FAIL: $*"; exit 1; }
# Total cycles, read by name from the JSON output (not by CSV column position).
cycles() {
  "$ACCSIM" run --arch configs/arch/a100.yaml --workload "$1" --format json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["total"]["cycles"])'
}
dense=$(cycles gemm:m=2048,n=2048,k=2048,dtype=fp16) || fail "dense run"
sparse=$(cycles gemm:m=2048,n=2048,k=2048,dtype=fp16,prune=nm:2:4) || fail "sparse run"
[ -n "$dense" ] && [ -n "$sparse" ] || fail "no cycles in the csv output"
[ "$sparse" -lt "$dense" ] || fail "2:4 ($sparse cycles) not faster than dense ($dense)"
err=$("$ACCSIM" run --arch configs/arch/a100.yaml --workload gemm:m=256,n=256,k=256,dtype=fp16,prune=unstructured:0.5 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 2 ] || fail "non-N:M weights: exit $rc, expected 2"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "expected one error line, got: $err"
case "$err" in *"not N:M"*) ;; *) fail "message does not say not N:M: $err" ;; esac

# Issue #11: H100 with a 1:8 core ran out of shared memory on every shape; a kernel that fits is chosen.
h=$("$ACCSIM" run --arch configs/arch/h100.yaml --workload gemm:m=1024,n=1024,k=1024,dtype=fp16,prune=nm:1:8 \
    --set compute.sparsity.format=nm --set compute.sparsity.n=1 --set compute.sparsity.m=8 --format json) || fail "H100 nm:1:8"
case "$h" in *'"kernel": "sm90_spgemm_'*) ;; *) fail "H100 nm:1:8: no sm90 sparse kernel named" ;; esac
# Issue #16: 2^32+1 batched 64^3 GEMMs ended in std::bad_alloc; identical waves are now planned
# once (tests/cli/stc_batched_bounded.sh runs batch=1e8), and only a layer whose waves the timeline
# cannot step in bounded time is refused, before planning: 1e11 instances of one 64x64 tile are
# 1e11 / 216 = 462962963 waves at 2 CTAs per SM on 108 SMs (limit 5e7).
err=$(timeout 20 "$ACCSIM" run --arch configs/arch/a100.yaml --workload gemm:m=64,n=64,k=64,batch=100000000000,dtype=fp16 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 2 ] || fail "batch=1e11: exit $rc, expected 2 ($err)"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "batch=1e11: expected one error line, got: $err"
case "$err" in *"100000000000 thread blocks run as 462962963 waves"*"limit 50000000 waves"*) ;; *) fail "batch=1e11: no wave estimate: $err" ;; esac
# Hopper's legacy path: an sm80 (mma.sync) kernel on the H100 runs its tensor cores at
# compute.mma_sync_rate (0.5) of the rated peak, wgmma at the full rate. Out of (0, 1]: exit 2.
sm80() {
  "$ACCSIM" run --arch configs/arch/h100.yaml --set compute.kernels.library=fixed --set compute.tile.warpgroup=false \
    --set compute.tile.m=128 --set compute.tile.n=128 --set compute.tile.k_bytes=64 --set compute.tile.warp_m=64 \
    --set compute.tile.warp_n=64 --set compute.tile.stages=3 --set compute.mma_sync_rate="$1" \
    --workload gemm:m=4096,n=4096,k=4096,dtype=fp16 --format json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["total"]["cycles"])'
}
full=$(sm80 1.0) || fail "H100 sm80 kernel at rate 1"
half=$(sm80 0.5) || fail "H100 sm80 kernel at rate 0.5"
[ "$half" -gt "$full" ] || fail "mma_sync_rate 0.5 ($half cycles) not slower than 1.0 ($full)"
err=$("$ACCSIM" run --arch configs/arch/h100.yaml --set compute.mma_sync_rate=1.5 \
      --workload gemm:m=256,n=256,k=256,dtype=fp16 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 2 ] || fail "mma_sync_rate=1.5: exit $rc, expected 2"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "mma_sync_rate=1.5: expected one error line, got: $err"
case "$err" in *"mma_sync_rate"*) ;; *) fail "mma_sync_rate=1.5: key not named: $err" ;; esac
echo "ok: dense $dense cycles, 2:4 $sparse cycles"
