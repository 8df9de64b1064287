#!/usr/bin/env python3
"""Refits the two fitted GPU energies of configs/energy/gpu-7nm.yaml (docs/models/sparse-tensor-core.md,
"Operand values and the two fitted numbers") on H. He's A100 pair (thonking.ai 2024: an 8192^3 16-bit
matmul at 295 TFLOPS on torch.zeros and 257 TFLOPS on torch.randn under the 400 W limit).

Method (unchanged since round 7): run the shape on the A100 SXM config with the limit off, so the
run at the boost clock gives every component's power and the unthrottled kernel's throughput TF0.
The clock the limit forces is s = TF / TF0 of boost. With core voltage v(s) = 1 - slope x (1 - s)
(compute.power.voltage_slope) the board draws
    static + core x s x v(s)^2 + dram x s = limit
(core: every component the block prices; dram: HBM; static: constant + SM static). zeros has no
toggles, so it fixes the SM-active energy; randn then fixes the toggle energy.

Usage: fit_power.py ACCSIM SLOPE   (prints both values in pJ and the arithmetic)
"""
import json
import subprocess
import sys

LIMIT_W, BITS = 400.0, 16384  # A100 SXM4 board limit; SM datapath bits (4 TCs x 256 lanes x 16 bit)


def boost_run(accsim, data):
    out = subprocess.run([accsim, "run", "--arch", "configs/arch/a100.yaml", "--workload",
                          f"gemm:m=8192,n=8192,k=8192,dtype=fp16,data={data}", "--set",
                          "compute.power.board_limit_w=0", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    t = json.loads(out)["total"]
    secs = t["latency_s"]
    watts = {k: v * 1e-12 / secs for k, v in t["energy_breakdown_pj"].items()}
    return t, watts, t["counters"]["throughput_tflops_dense_equiv"]


def needed_core_w(watts, s, slope):
    v = 1 - slope * (1 - s)
    return (LIMIT_W - watts["static"] - watts.get("dram", 0.0) * s) / (s * v * v)


def main():
    accsim, slope = sys.argv[1], float(sys.argv[2])
    t, w, tf0 = boost_run(accsim, "zeros")
    s = 295 / tf0
    others = sum(v for k, v in w.items() if k not in ("static", "dram", "sm_active", "sm_toggle"))
    active_w = needed_core_w(w, s, slope) - others
    cycles_per_s = t["actions"]["sm.active_cycles"] / t["latency_s"]
    p_active = active_w / cycles_per_s / BITS * 1e12
    print(f"zeros: TF0 {tf0:.2f}, s {s:.5f}, static {w['static']:.2f} W, dram {w.get('dram', 0):.2f} W, "
          f"other core {others:.2f} W -> sm_active {active_w:.2f} W at boost = {p_active:.5f} pJ/bit")
    t, w, tf0 = boost_run(accsim, "randn")
    s = 257 / tf0
    scale = p_active / (w["sm_active"] / (t["actions"]["sm.active_cycles"] / t["latency_s"]) / BITS * 1e12)
    others = sum(v for k, v in w.items() if k not in ("static", "dram", "sm_active", "sm_toggle")) + w["sm_active"] * scale
    toggle_w = needed_core_w(w, s, slope) - others
    p_toggle = toggle_w / (t["actions"]["sm.datapath_bit_toggles"] / t["latency_s"]) * 1e12
    print(f"randn: TF0 {tf0:.2f}, s {s:.5f}, static {w['static']:.2f} W, dram {w.get('dram', 0):.2f} W, "
          f"other core {others:.2f} W -> sm_toggle {toggle_w:.2f} W at boost = {p_toggle:.5f} pJ/toggle")
    print(f"gpu_active_cycle_per_datapath_bit: {p_active:.5f}\ngpu_datapath_bit_toggle: {p_toggle:.5f}")


if __name__ == "__main__":
    main()
