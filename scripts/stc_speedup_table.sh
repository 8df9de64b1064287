#!/usr/bin/env bash
# Dense vs 2:4-sparse GEMMs on the sparse_tensor_core model: prints the markdown table of
# docs/models/sparse-tensor-core.md. Usage: scripts/stc_speedup_table.sh [path/to/accsim]
set -euo pipefail
ACCSIM=${1:-build/accsim}
row() {  # arch label m n k dtype
  local arch=$1 label=$2 m=$3 n=$4 k=$5 dt=$6
  local spec="gemm:m=$m,n=$n,k=$k,dtype=$dt"
  local d s
  d=$("$ACCSIM" run --arch "configs/arch/$arch.yaml" --workload "$spec" --format json)
  s=$("$ACCSIM" run --arch "configs/arch/$arch.yaml" --workload "$spec,prune=nm:2:4" --format json)
  python3 - "$label" "$d" "$s" <<'PY'
import json, sys
label, d, s = sys.argv[1], json.loads(sys.argv[2])["layers"][0], json.loads(sys.argv[3])["layers"][0]
c = lambda l, k: l["counters"][k]
print(f"| {label} | {d['cycles']:,} | {s['cycles']:,} | {d['cycles'] / s['cycles']:.2f}x "
      f"| {c(d, 'throughput_tflops_dense_equiv'):.0f} | {c(s, 'throughput_tflops_dense_equiv'):.0f} "
      f"| {int(c(d, 'waves'))} / {int(c(s, 'waves'))} | {d['stall_cycles'] / d['cycles'] * 100:.0f}% / {s['stall_cycles'] / s['cycles'] * 100:.0f}% |")
PY
}
echo "| GEMM (M x N x K) | dense cycles | 2:4 cycles | speedup | dense TFLOPS | 2:4 TFLOPS (dense-equiv.) | waves d/s | stall d/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for s in 1024 2048 4096 8192 16384; do row a100 "A100 fp16 ${s}^3" $s $s $s fp16; done
for m in 128 256 512 1024 2048 4096; do row a100 "A100 fp16 BERT ${m} x 768 x 3072" $m 768 3072 fp16; done
for m in 128 512 4096; do row a100 "A100 fp16 BERT ${m} x 3072 x 768" $m 3072 768 fp16; done
for m in 128 4096; do row a100 "A100 int8 BERT ${m} x 768 x 3072" $m 768 3072 int8; done
for s in 4096 8192 16384; do row h100 "H100 fp16 ${s}^3" $s $s $s fp16; done
