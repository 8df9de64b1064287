#!/usr/bin/env bash
# The sparse tensor core hands a timing HBM (dram.kind: timing) the addresses of every operand
# panel, metadata block, output tile and split-K partial it moves (sim/hw/stc/stc_streams.hpp):
# burst counts derived by hand below; bytes equal to the bandwidth path's; deterministic.
# Usage: bash tests/cli/stc_dram_streams.sh ACCSIM
set -euo pipefail
accsim="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/mixed.yaml" <<'YAML'
format: accsim-trace
version: 1
name: stc-streams-mixed
defaults:
  weights: {dtype: int8}
  activations: {dtype: int8}
  outputs: {dtype: int8}
  accumulators: {dtype: int32}
layers:
- {name: conv1, op: conv2d, in_channels: 3, out_channels: 64, in_h: 224, in_w: 224, kernel: 7, stride: 2, padding: 3}
- {name: conv2, op: conv2d, in_channels: 64, out_channels: 64, in_h: 56, in_w: 56, kernel: 3, stride: 1, padding: 1,
   weights: {dtype: int8, compression: {pattern: nm, n: 2, m: 4}}}
- {name: fc, op: linear, tokens: 8, in_features: 768, out_features: 3072,
   weights: {dtype: int8, compression: {pattern: nm, n: 2, m: 4}}}
YAML
python3 - "$accsim" "$tmp" <<'PY'
import json, subprocess, sys
accsim, tmp = sys.argv[1], sys.argv[2]
timing = "configs/arch/a100-timing.yaml"
def run(arch, workload, *sets):
    cmd = [accsim, "run", "--arch", arch, "--workload", workload, "--format", "json"]
    for s in sets: cmd += ["--set", s]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
def total(*a): return json.loads(run(*a))["total"]
def expect(name, got, want):
    if got != want: sys.exit(f"FAIL {name}: {got}, expected {want}")
# m = n = 128, K = 256, fp16 2:4 on the configured 128x128 tile (library fixed): k-step 64 dense
# K, 4 k-steps, one thread block. Per k-step: activations 128 rows x 64 x 2 B = 16384 B (rows of
# 512 B: 128 segments of 128 B = 4 bursts of 32 B each), compressed weights 128 x 64 x 1 B =
# 8192 B (128 segments of 64 B = 2 bursts), metadata 128 x 64 / 8 B = 1024 B (two 512 B blocks of
# CUTLASS's ColumnMajorInterleaved<2> = 32 bursts): 512 + 256 + 32 = 800 bursts, x 4 = 3200.
# Epilogue: 128 x 128 x 2 B = 32768 B of whole output rows = 1024 bursts.
tiny = "gemm:m=128,n=128,k=256,dtype=fp16,prune=nm:2:4"
for layout in ("row_major", "tiled"):
    t = total(timing, tiny, "compute.kernels.library=fixed", f"compute.dram_layout={layout}")
    expect(f"{layout} read bursts", t["actions"]["dram.read_bursts"], 3200)
    expect(f"{layout} write bursts", t["actions"]["dram.write_bursts"], 1024)
    expect(f"{layout} read bytes", t["dram_read_bytes"], 4 * 25600)
    expect(f"{layout} write bytes", t["dram_write_bytes"], 32768)
# Every layer moves exactly the bytes of the bandwidth queue at the same peak (2048 GB/s: the
# kernel choice depends on it): dense, 2:4, split-K (m = 8), implicit-GEMM convolution (fractional
# unique-input bytes), a batched GEMM whose repeating waves are stored once (issue #16: 14000
# thread blocks of the fixed 128x128 tile, 216 per wave = 65 waves, more than the 64 that trigger it).
cases = [("gemm:m=1024,n=1024,k=1024,dtype=fp16", ()),
         ("gemm:m=512,n=2048,k=1024,dtype=fp16,prune=nm:2:4", ("compute.dram_layout=tiled",)),
         ("gemm:m=8,n=768,k=768,dtype=int8,prune=nm:2:4", ()),
         ("gemm:m=64,n=64,k=64,dtype=fp16,batch=14000", ("compute.kernels.library=fixed",)),
         (tmp + "/mixed.yaml", ())]
for workload, sets in cases:
    a = json.loads(run(timing, workload, *sets))
    b = json.loads(run("configs/arch/a100.yaml", workload, "dram.bandwidth_gb_s=2048", *sets))
    for la, lb in zip(a["layers"], b["layers"]):
        for key in ("dram_read_bytes", "dram_write_bytes"):
            expect(f"{workload} {la['name']} {key}", la[key], lb[key])
    expect(f"{workload} layers", len(a["layers"]), len(b["layers"]))
    if a["total"]["actions"]["dram.read_bursts"] * 32 < a["total"]["dram_read_bytes"]:
        sys.exit(f"FAIL {workload}: fewer bursts than bytes / 32")
# Deterministic: the same run twice is byte-identical.
expect("determinism", run(timing, tmp + "/mixed.yaml"), run(timing, tmp + "/mixed.yaml"))
print("ok")
PY
# A bad layout name is one line naming the key, exit status 2.
set +e
err=$("$accsim" run --arch configs/arch/a100-timing.yaml --workload gemm:m=64,n=64,k=64,dtype=fp16 \
  --set compute.dram_layout=blocked 2>&1 >/dev/null)
rc=$?
set -e
[[ $rc -eq 2 ]] || { echo "FAIL: exit $rc for a bad dram_layout"; exit 1; }
grep -q "dram_layout" <<<"$err" || { echo "FAIL: error does not name dram_layout: $err"; exit 1; }
echo "ok"
