#!/usr/bin/env python3
"""Speedup over dense and energy per inference against sparsity for bank-balanced, unstructured and
block pruning on the same bank-balanced PE array (configs/arch/bbs-fpga19.yaml).

Every number comes from an `accsim run` of a pruned matrix-vector product; the masks are real
(synthetic Laplace weights magnitude-pruned per pattern, sim/workload/weight_mask.cpp).

    python3 scripts/bbs_sparsity_table.py --accsim build/accsim
writes docs/data/bbs_sparsity.csv and docs/data/bbs_sparsity.md.
"""
import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

ARCH = "configs/arch/bbs-fpga19.yaml"
# One 1024 x 1024 weight matrix at batch 1 (an LSTM step's SpMV; K = 32 banks of 32 columns). Small
# enough that even the dense CSB matrix (2.75 MB) stays resident in the 4 MiB weight buffer, so the
# comparison is about the array, not about DRAM streaming.
ROWS, COLS, BATCH = 1024, 1024, 1
SPARSITIES = [0.50, 0.60, 0.70, 0.75, 0.80, 0.85, 0.875, 0.90, 0.95]
PATTERNS = {
    "bank": lambda s: f"bank:32:{s}",          # banks of 32 = the hardware's bank length
    "unstructured": lambda s: f"unstructured:{s}",
    "block4x4": lambda s: f"block:4x4:{s}",
}


def run(accsim, prune, batch):
    spec = f"gemm:m={batch},n={ROWS},k={COLS},dtype=int16"
    if prune:
        spec += f",prune={prune}"
    cmd = [accsim, "run", "--arch", ARCH, "--set", "compute.on_unbalanced=run", "--workload", spec, "--format", "json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    total = json.loads(out)["total"]
    c = total["counters"]
    return {
        "cycles": total["cycles"],
        "compute_cycles": total["compute_cycles"],
        "effectual_macs": total["effectual_macs"],
        # Per inference = per input vector.
        "energy_uj": total["energy_pj"] / 1e6 / batch,
        "onchip_energy_uj": (total["energy_pj"] - total["energy_breakdown_pj"].get("dram", 0.0)) / 1e6 / batch,
        "latency_us": total["latency_s"] * 1e6,
        "conflict_stall_pe_cycles": int(c["conflict_stall_pe_cycles"]),
        "imbalance_idle_pe_cycles": int(c["imbalance_idle_pe_cycles"]),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accsim", default="build/accsim", help="path of the accsim binary")
    ap.add_argument("--out", default="docs/data", help="output folder")
    ap.add_argument("--batch", type=int, default=BATCH, help="input vectors per run (1 = SpMV)")
    args = ap.parse_args()

    dense = run(args.accsim, None, args.batch)
    rows = []
    for s in SPARSITIES:
        for name, prune in PATTERNS.items():
            r = run(args.accsim, prune(s), args.batch)
            rows.append({
                "pattern": name,
                "target_sparsity": s,
                "actual_sparsity": round(1 - r["effectual_macs"] / (ROWS * COLS * args.batch), 4),
                "cycles": r["cycles"],
                "latency_us": round(r["latency_us"], 3),
                "speedup_vs_dense": round(dense["cycles"] / r["cycles"], 3),
                "compute_speedup_vs_dense": round(dense["compute_cycles"] / r["compute_cycles"], 3),
                "energy_uj": round(r["energy_uj"], 3),
                "energy_vs_dense": round(r["energy_uj"] / dense["energy_uj"], 3),
                "onchip_energy_uj": round(r["onchip_energy_uj"], 3),
                "onchip_energy_vs_dense": round(r["onchip_energy_uj"] / dense["onchip_energy_uj"], 3),
                "conflict_stall_pe_cycles": r["conflict_stall_pe_cycles"],
                "imbalance_idle_pe_cycles": r["imbalance_idle_pe_cycles"],
            })

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.batch == 1 else f"_batch{args.batch}"
    with open(out / f"bbs_sparsity{suffix}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    with open(out / f"bbs_sparsity{suffix}.md", "w") as f:
        f.write(f"Dense {ROWS}x{COLS} int16, batch {args.batch}, on {ARCH}: {dense['cycles']} cycles "
                f"({dense['latency_us']:.3f} us), {dense['energy_uj']:.3f} uJ per inference "
                f"({dense['onchip_energy_uj']:.3f} uJ of it on chip). Energy is per inference (per input vector); "
                "on-chip = total minus DRAM.\n\n")
        f.write("| pattern | sparsity (target / actual) | cycles | latency (us) | speedup vs dense (x) "
                "| compute-only speedup (x) | energy (uJ) | energy vs dense (x) | on-chip energy (uJ) "
                "| on-chip energy vs dense (x) | conflict stalls (PE-cycles) "
                "| imbalance idle (PE-cycles) |\n")
        f.write("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            f.write(f"| {r['pattern']} | {r['target_sparsity']:.3f} / {r['actual_sparsity']:.4f} | {r['cycles']} "
                    f"| {r['latency_us']} | {r['speedup_vs_dense']} | {r['compute_speedup_vs_dense']} | {r['energy_uj']} | {r['energy_vs_dense']} "
                    f"| {r['onchip_energy_uj']} | {r['onchip_energy_vs_dense']} "
                    f"| {r['conflict_stall_pe_cycles']} | {r['imbalance_idle_pe_cycles']} |\n")
    print(f"wrote {out}/bbs_sparsity{suffix}.csv and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
