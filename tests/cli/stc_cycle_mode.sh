#!/usr/bin/env bash
# sim.mode: cycle on the sparse tensor core steps mma issue per warp scheduler and gives the same
# compute (and total) cycles as event mode: A100 and H100, dense and 2:4, a split-K shape.
set -u
ACCSIM=$1
fail() { echo "FAIL: $*"; exit 1; }
for arch in a100 h100; do
  for w in gemm:m=4096,n=4096,k=4096,dtype=fp16 gemm:m=4096,n=4096,k=4096,dtype=fp16,prune=nm:2:4 \
           gemm:m=8,n=768,k=768,dtype=int8,prune=nm:2:4 gemm:m=100,n=300,k=1000,dtype=int8; do
    e=$("$ACCSIM" run --arch configs/arch/$arch.yaml --workload $w --format csv | awk -F, 'NR==2 {print $4","$5}') || fail "$arch $w event"
    c=$("$ACCSIM" run --arch configs/arch/$arch.yaml --workload $w --set sim.mode=cycle --format csv | awk -F, 'NR==2 {print $4","$5}') || fail "$arch $w cycle"
    [ -n "$e" ] && [ "$e" = "$c" ] || fail "$arch $w: event $e, cycle $c (cycles,compute_cycles)"
  done
done
echo ok
