#!/usr/bin/env python3
"""Figure for `accsim validate --out DIR`: accsim against the reference, log-log, with y = x.

usage: validate_plot.py VALIDATION.csv OUT.png

One panel per unit (cycles, seconds, speedup ...), one marker colour per suite. Started by
`accsim validate`; reads the validation.csv it writes.
"""
import csv
import math
import sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import LogLocator, NullFormatter
except ImportError as missing:
    print(f"validate_plot.py: error: {missing.name} is missing for {sys.executable}; install Debian's "
          "python3-matplotlib (scripts/setup.sh does), or set ACCSIM_PYTHON", file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) != 3:
        print("usage: validate_plot.py VALIDATION.csv OUT.png", file=sys.stderr)
        return 2
    with open(argv[1], newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        print(f"validate_plot.py: error: {argv[1]}: no rows", file=sys.stderr)
        return 2
    units = sorted({r["unit"] for r in rows})
    suites = sorted({r["suite"] for r in rows})
    # Okabe-Ito's colour-blind-safe palette without its reds, so that no suite looks like a miss.
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#999999", "#000000"]
    colours = {s: palette[i % len(palette)] for i, s in enumerate(suites)}
    # A grid of at most 4 panels a row, so the figure stays readable on a page.
    ncols = min(4, len(units))
    nrows = math.ceil(len(units) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 3.4 * nrows + 0.4), squeeze=False)
    for ax in axes.flat[len(units):]:
        ax.set_visible(False)
    for ax, unit in zip(axes.flat, units):
        sel = [r for r in rows if r["unit"] == unit]
        values = [float(r[k]) for r in sel for k in ("reference", "accsim") if float(r[k]) > 0]
        # Whole decades: every panel gets labelled major ticks and no crowded minor labels.
        lo = 10 ** math.floor(math.log10(min(values) / 1.5))
        hi = 10 ** math.ceil(math.log10(max(values) * 1.5))
        ax.plot([lo, hi], [lo, hi], color="0.4", lw=1, ls="--", label="y = x")
        for s in suites:
            pts = [r for r in sel if r["suite"] == s]
            if not pts:
                continue
            ax.scatter([float(r["reference"]) for r in pts], [float(r["accsim"]) for r in pts], s=22,
                       color=colours[s], label=s, linewidths=1.6,
                       edgecolors=["#D55E00" if r["pass"] == "0" else "none" for r in pts])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(LogLocator(base=10, numticks=6))
            axis.set_minor_formatter(NullFormatter())
        ax.set_aspect("equal")
        ax.set_xlabel(f"reference ({unit})", fontsize=8)
        ax.set_ylabel(f"accsim ({unit})", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.set_title(f"{len(sel)} case{'s' if len(sel) != 1 else ''} in {unit}", fontsize=9)
        ax.grid(True, which="major", lw=0.3)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("accsim vs reference, one panel per unit (orange-red ring: outside its tolerance)", fontsize=10)
    fig.tight_layout()
    fig.savefig(argv[2], dpi=150)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
