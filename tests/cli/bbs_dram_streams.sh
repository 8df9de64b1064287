#!/usr/bin/env bash
# The bbs array hands a timing DRAM (dram.kind: timing) its CSB weight values, CSB indices, input
# vectors and outputs as address streams (sim/hw/bbs/bbs_layout.hpp); burst counts derived by hand
# below. Usage: bash tests/cli/bbs_dram_streams.sh ACCSIM
set -euo pipefail
accsim="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# bbs-fpga19 (64 PEs, K = 32 banks, int16, 200 MHz = 5 ns/cycle) with a DDR4-3200 timing memory
# (64 B bursts, 25.6 GB/s) and weights fetched from DRAM (no preload).
python3 - "$tmp" <<'PY'
import re, sys
s = open("configs/arch/bbs-fpga19.yaml").read()
s = re.sub(r"dram:\n(  .*\n)+", "dram:\n  kind: timing\n  preset: ddr4-3200\n", s)
open(sys.argv[1] + "/bbs-ddr4.yaml", "w").write(s.replace("preload_weights: true", "preload_weights: false"))
PY
python3 - "$accsim" "$tmp/bbs-ddr4.yaml" <<'PY'
import json, subprocess, sys
accsim, arch = sys.argv[1], sys.argv[2]
def run(workload, *sets):
    cmd = [accsim, "run", "--arch", arch, "--workload", workload, "--format", "json"]
    for s in sets: cmd += ["--set", s]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)["total"]
def expect(name, got, want):
    if got != want: sys.exit(f"FAIL {name}: {got}, expected {want}")
dense = "gemm:m=1,n=64,k=256,dtype=int16"
# Dense 64 x 256, K = 32: bank length 8 -> 3 index bits; CSB = 64 rows x 8 slots x 32 lanes:
# values 16384 x 2 B = 32768 B = 512 bursts, indices 16384 x 3 bit = 6144 B = 96 bursts; one
# input vector 256 x 2 B = 512 B = 8 bursts -> 616 reads; outputs 64 x 2 B = 128 B = 2 writes.
t = run(dense)
a = t["actions"]
expect("ddr4 read bursts", a["dram.read_bursts"], 616)
expect("ddr4 write bursts", a["dram.write_bursts"], 2)
expect("ddr4 read bytes", t["dram_read_bytes"], 32768 + 6144 + 512)
# Stalls come from the timing model: 39424 B at 25.6 GB/s is 1540 ns = 308 cycles of bus time at
# least, before the 17 compute cycles; row misses and CL add a few more.
lo = 308 + t["compute_cycles"]
if not lo <= t["cycles"] <= lo * 1.1: sys.exit(f"FAIL cycles {t['cycles']} outside [{lo}, {lo * 1.1}]")
# ... and follow its timings: CL + 40 tCK = 25 ns delays the last read, hence the layer, by 5 cycles.
slow = run(dense, "dram.timing.CL=62")
expect("stall cycles with CL + 40", slow["stall_cycles"] - t["stall_cycles"], 5)
# LPDDR4-3200 moves 32 B bursts: twice the count.
a = run(dense, "dram.preset=lpddr4-3200")["actions"]
expect("lpddr4 read bursts", a["dram.read_bursts"], 1232)
expect("lpddr4 write bursts", a["dram.write_bursts"], 4)
# Bank-balanced 87.5 % sparse (bank size 8): 1 slot per row: values 64 x 32 x 2 B = 4096 B = 64
# bursts, indices 2048 x 3 bit = 768 B = 12 bursts, inputs 8 -> 84 reads.
a = run("gemm:m=1,n=64,k=256,dtype=int16,prune=bank:8:0.875")["actions"]
expect("sparse read bursts", a["dram.read_bursts"], 84)
# n = 256 in four 64-row chunks (one per 38912 B weight-buffer slot of 32 KiB: not resident),
# m = 2 vectors in one vector tile: reads 4 x (512 + 96) + 2 x 8 = 2448; each chunk stores its 64
# rows of both vectors, 2 segments of 128 B, 512 B apart (row-major M x N): 4 x 2 x 2 = 16 writes.
t = run("gemm:m=2,n=256,k=256,dtype=int16", "compute.buffers.weights.size_kb=64")
expect("chunked read bursts", t["actions"]["dram.read_bursts"], 2448)
expect("chunked write bursts", t["actions"]["dram.write_bursts"], 16)
print("ok")
PY
# Streams are not folded: a layer of more than 4e6 tiles is refused (exit 2), not run for minutes.
# m = 1e8 vectors, 16 per vector tile (8 KiB / 512 B) -> 6.25e6 tiles.
set +e
"$accsim" run --arch "$tmp/bbs-ddr4.yaml" --workload gemm:m=100000000,n=64,k=256,dtype=int16 >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 2 ] || { echo "FAIL: exit $rc for 6.25e6 stream tiles"; exit 1; }
grep -q "6.25e+06 pipeline tiles with address streams" "$tmp/err" || { echo "FAIL: message"; cat "$tmp/err"; exit 1; }
