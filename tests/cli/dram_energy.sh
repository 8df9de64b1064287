#!/bin/bash
# dram.kind timing: DRAM energy = the timing model's action counts x the per-action prices of the
# preset (hand-derived in tests/unit/hw/memory/dram_energy_test.cpp), and no pJ/bit on the bytes.
set -euo pipefail
ACCSIM="$1"
python3 - "$ACCSIM" <<'PY'
import json, subprocess, sys
accsim = sys.argv[1]
# preset -> (ACT, read burst, write burst, REF, background mW per rank), pJ
prices = {"ddr4-3200": (3408.0, 2208.0, 1920.0, 695520.0, 412.8),
          "lpddr4-3200": (1204.6875, 1347.5, 990.0, 22386.0, 37.05),
          "hbm3": (309.76, 706.56, 706.56, 35997.5, 78.32)}  # REF, standby: CMU-SAFARI HBM3E rails
for preset, (act, rd, wr, ref, bg) in prices.items():
    out = subprocess.run([accsim, "run", "--arch", "configs/arch/systolic-32x32-timing.yaml",
                          "--workload", "gemm:m=8,n=512,k=512,dtype=int8", "--set", "dram.preset=" + preset,
                          "--format", "json"], capture_output=True, text=True, check=True).stdout
    t = json.loads(out)["total"]
    a = t["actions"]
    if a["dram.activates"] <= 0 or a["dram.read_bursts"] <= 0 or a["dram.write_bursts"] <= 0:
        sys.exit(f"{preset}: no DRAM commands counted: {a}")
    expect = (a["dram.activates"] * act + a["dram.read_bursts"] * rd + a["dram.write_bursts"] * wr
              + a["dram.refreshes"] * ref + a["dram.background_rank_ns"] * bg)
    got = t["energy_breakdown_pj"]["dram"]
    if abs(got - expect) > 1e-6 * expect:
        sys.exit(f"{preset}: dram energy {got} pJ, expected {expect} pJ from {a}")
    bits = 8 * (t["dram_read_bytes"] + t["dram_write_bytes"])
    print(f"{preset}: {got / 1e3:.1f} nJ, {got / bits:.2f} pJ/bit")
PY
