#!/usr/bin/env python3
"""Bit Fusion (Sharma et al., ISCA'18) against its Eyeriss baseline and against Stripes, per
benchmark: the paper's figures next to accsim's. Prints markdown (docs/models/mac.md).

Usage: python3 scripts/bitfusion_table.py [path/to/accsim]   (from the repository root)

Paper values: the authors' notebook that draws the ISCA'18 Eyeriss comparison
(github.com/hsharma35/bitfusion, bitfusion-generate-graphs.ipynb, cell 6 output: per benchmark
the Eyeriss and Bit Fusion time per image and power); speedup = t_Eyeriss / t_BitFusion, energy
reduction = speedup x P_Eyeriss / P_BitFusion. Their geomeans are 3.9x and 5.1x, the paper's.
Every accsim figure comes from `accsim run --format json`; only ratios and geomeans are computed here.

Two tables: the authors' setup (suite `bitfusion`: Bit Fusion on the layer sizes of their run for
AlexNet and ResNet-18, workloads/bitfusion/NET-authors.yaml; Eyeriss with the 27-word/cycle
interface and filter bus their compute-only results imply, EYERISS_AS_RUN) and the corrected
comparison (the networks' sizes on both sides, both designs behind the 192-bit interface).
"""
import functools
import json
import math
import subprocess
import sys

ACCSIM = sys.argv[1] if len(sys.argv) > 1 else "build/accsim"
# benchmark: (Eyeriss ms/image, Bit Fusion ms/image, Eyeriss power, Bit Fusion power) from the notebook.
PAPER = {
    "alexnet": (8.785792, 4.708311375, 373.972376054, 448.386241718),
    "svhn": (1.412096, 0.164690375, 505.580560986, 410.014092738),
    "cifar10": (5.519232, 0.411713, 496.368564243, 450.464576981),
    "lenet5": (0.139712, 0.051294, 561.781457444, 356.024253811),
    "vgg7": (2.703232, 0.352811375, 540.072926786, 419.433333242),
    "resnet18": (11.935744, 6.13499775, 421.36057488, 442.486265848),
    "rnn": (0.131072, 0.049322875, 789.0944, 407.720807613),
    "lstm": (0.1026, 0.042146875, 805.53708538, 410.009320233),
}
# Bit Fusion vs Stripes, geomean over the benchmarks: ISCA'18 abstract (2.6x speedup, 3.9x energy
# reduction "when Bit Fusion area and frequency are set to those of Stripes"; arXiv v1 said 2.4x / 4.1x).
PAPER_STRIPES = (2.6, 3.9)
# The Eyeriss the authors' results imply (validation/bitfusion/cases.csv, docs/models/mac.md).
EYERISS_AS_RUN = ("--set", "dram.bandwidth_gb_s=27", "--set", "compute.noc_words_per_cycle=27")
AUTHORS_SHAPES = ("alexnet", "resnet18")  # nets whose Bit Fusion run the authors sized differently


# Both tables share the Stripes runs (and the unchanged networks): each distinct run happens once.
@functools.lru_cache(maxsize=None)
def run(arch, workload, extra=()):
    out = subprocess.run([ACCSIM, "run", "--arch", f"configs/arch/{arch}.yaml", "--workload",
                          f"workloads/bitfusion/{workload}.yaml", "--format", "json", *extra],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["total"]


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def table(as_run):
    rows, cols = [], {k: [] for k in ("ps", "s", "pe", "e", "ss", "se")}
    for net, (te, tb, pwe, pwb) in PAPER.items():
        bf = run("bitfusion", net + ("-authors" if as_run and net in AUTHORS_SHAPES else ""))
        ey = run("eyeriss-bitfusion", net + "-int16", EYERISS_AS_RUN if as_run else ())
        # Stripes in the authors' setup (docs/models/mac.md, "Against Stripes"): both at bf_s_conf.ini's clock and memory.
        st = run("stripes", net + "-stripes")
        bfs = run("bitfusion-stripes", net)
        ps, pe = te / tb, te / tb * pwe / pwb
        s, e = ey["cycles"] / bf["cycles"], ey["energy_pj"] / bf["energy_pj"]
        ss, se = st["cycles"] / bfs["cycles"], st["energy_pj"] / bfs["energy_pj"]
        for k, v in zip(cols, (ps, s, pe, e, ss, se)):
            cols[k].append(v)
        rows.append(f"| {net} | {ps:.2f}x | {s:.2f}x ({s / ps - 1:+.0%}) | {pe:.2f}x | {e:.2f}x ({e / pe - 1:+.0%}) "
                    f"| {bf['latency_s'] * 1e3 / 16:.3f} / {tb:.3f} | {ey['latency_s'] * 1e3 / 16:.3f} / {te:.3f} "
                    f"| {ss:.2f}x | {se:.2f}x |")
    if as_run:
        print("**As the authors ran it** (suite `bitfusion`): Bit Fusion on the layer sizes of their run for "
              "AlexNet and ResNet-18 (workloads/bitfusion/NET-authors.yaml), Eyeriss with `" + " ".join(EYERISS_AS_RUN) + "`.\n")
    else:
        print("**Corrected**: the networks' layer sizes on both sides, both designs behind the 192-bit interface.\n")
    print("Bit Fusion (configs/arch/bitfusion.yaml, published precisions) vs Eyeriss "
          "(configs/arch/eyeriss-bitfusion.yaml, 16-bit) and, in the Stripes columns, configs/arch/bitfusion-stripes.yaml vs "
          "configs/arch/stripes.yaml (980 MHz, 3 x 128 KB, 4096-bit interface; 16-bit weights, serial activations); batch 16; ratio > 1: Bit Fusion better.\n")
    print("| benchmark | speedup paper | speedup accsim | energy paper | energy accsim "
          "| Bit Fusion ms/image accsim / paper | Eyeriss ms/image accsim / paper | vs Stripes: speedup | vs Stripes: energy |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    g = {k: geomean(v) for k, v in cols.items()}
    print(f"| geomean | {g['ps']:.2f}x | {g['s']:.2f}x ({g['s'] / g['ps'] - 1:+.0%}) | {g['pe']:.2f}x "
          f"| {g['e']:.2f}x ({g['e'] / g['pe'] - 1:+.0%}) | | | {g['ss']:.2f}x (paper {PAPER_STRIPES[0]}x) "
          f"| {g['se']:.2f}x (paper {PAPER_STRIPES[1]}x) |")


def main():
    table(as_run=True)
    print()
    table(as_run=False)


if __name__ == "__main__":
    main()
