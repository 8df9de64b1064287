#!/usr/bin/env python3
"""Runs the Bit Fusion benchmarks (workloads/bitfusion) on the Bit Fusion array and on the fixed
8-/16-bit arrays of equal area, and prints the markdown tables of docs/models/mac.md.

Usage: python3 scripts/bitfusion_table.py [path/to/accsim]   (from the repository root)
Every figure comes from the summary.json of an `accsim run`; nothing is computed here except
ratios and geometric means.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

ACCSIM = sys.argv[1] if len(sys.argv) > 1 else "build/accsim"
NETS = ["alexnet", "lenet5", "cifar10", "vgg7", "resnet18", "lstm"]
# (column, arch, workload suffix)
RUNS = [
    ("bf", "bitfusion", ""),           # Bit Fusion at the published per-layer precisions
    ("bf8", "bitfusion", "-int8"),     # same hardware, every operand at 8 bits
    ("bf16", "bitfusion", "-int16"),   # same hardware, every operand at 16 bits
    ("fx8", "fixed8-iso-area", ""),    # fixed int8 array of equal area, published precisions
    ("fx16", "fixed16-iso-area", "-int16"),  # fixed int16 array of equal area at 16 bits (Eyeriss stand-in)
    ("st", "stripes-iso-area", ""),    # Stripes-like bit-serial array of equal area, paper precisions
]


def run(arch, workload):
    with tempfile.TemporaryDirectory() as out:
        cmd = [ACCSIM, "run", "--arch", f"configs/arch/{arch}.yaml", "--workload",
               f"workloads/bitfusion/{workload}.yaml", "--out", out]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "summary.json")) as f:
            total = json.load(f)["total"]
    return total["cycles"], total["energy_pj"] / 1e6, total["energy_breakdown_pj"].get("dram", 0) / 1e6


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def main():
    res = {}
    for net in NETS:
        for col, arch, suffix in RUNS:
            res[(net, col)] = run(arch, net + suffix)
    print("Cycles (clock cycles at 500 MHz) and energy (uJ, DRAM share in brackets), batch 16:\n")
    print("| network | Bit Fusion, paper precisions | Bit Fusion, all 8-bit | Bit Fusion, all 16-bit "
          "| fixed int8 iso-area | fixed int16 iso-area, 16-bit | Stripes-like iso-area |")
    print("|---|---|---|---|---|---|---|")
    for net in NETS:
        cells = []
        for col, _, _ in RUNS:
            c, e, d = res[(net, col)]
            cells.append(f"{c:,} cy / {e:,.1f} uJ ({100 * d / e:.0f} % DRAM)")
        print(f"| {net} | " + " | ".join(cells) + " |")
    print("\nRatios (baseline / Bit Fusion at paper precisions; > 1 means Bit Fusion is better):\n")
    print("| network | speedup vs BF 8-bit | speedup vs BF 16-bit | speedup vs fixed8 | energy vs fixed8 "
          "| speedup vs fixed16 | energy vs fixed16 | speedup vs Stripes-like | energy vs Stripes-like |")
    print("|---|---|---|---|---|---|---|---|---|")
    cols = {k: [] for k in ("bf8c", "bf16c", "fx8c", "fx8e", "fx16c", "fx16e", "stc", "ste")}
    for net in NETS:
        bc, be, _ = res[(net, "bf")]
        r = {
            "bf8c": res[(net, "bf8")][0] / bc, "bf16c": res[(net, "bf16")][0] / bc,
            "fx8c": res[(net, "fx8")][0] / bc, "fx8e": res[(net, "fx8")][1] / be,
            "fx16c": res[(net, "fx16")][0] / bc, "fx16e": res[(net, "fx16")][1] / be,
            "stc": res[(net, "st")][0] / bc, "ste": res[(net, "st")][1] / be,
        }
        for k, v in r.items():
            cols[k].append(v)
        print(f"| {net} | " + " | ".join(f"{r[k]:.2f}x" for k in cols) + " |")
    print("| geomean | " + " | ".join(f"{geomean(v):.2f}x" for v in cols.values()) + " |")


if __name__ == "__main__":
    main()
