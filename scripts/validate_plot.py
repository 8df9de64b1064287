#!/usr/bin/env python3
"""Figure for `accsim validate --out DIR`: accsim against the reference, log-log, with y = x.

usage: validate_plot.py VALIDATION.csv OUT.png

One panel per unit (cycles, seconds, speedup ...), one marker colour per suite. Started by
`accsim validate`; reads the validation.csv it writes.
"""
import csv
import sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
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
    colours = {s: plt.get_cmap("tab10")(i % 10) for i, s in enumerate(suites)}
    fig, axes = plt.subplots(1, len(units), figsize=(max(6.0, 4.6 * len(units)), 4.6), squeeze=False)
    for ax, unit in zip(axes[0], units):
        sel = [r for r in rows if r["unit"] == unit]
        values = [float(r[k]) for r in sel for k in ("reference", "accsim") if float(r[k]) > 0]
        lo, hi = min(values) / 1.5, max(values) * 1.5
        ax.plot([lo, hi], [lo, hi], color="0.4", lw=1, ls="--", label="y = x")
        for s in suites:
            pts = [r for r in sel if r["suite"] == s]
            if not pts:
                continue
            ax.scatter([float(r["reference"]) for r in pts], [float(r["accsim"]) for r in pts], s=22,
                       color=colours[s], label=s,
                       edgecolors=["red" if r["pass"] == "0" else "none" for r in pts])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_xlabel(f"reference ({unit})")
        ax.set_ylabel(f"accsim ({unit})")
        ax.set_title(f"{len(sel)} cases in {unit}")
        ax.grid(True, which="both", lw=0.3)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("accsim vs reference (red edge: outside its tolerance)", fontsize=10)
    fig.tight_layout()
    fig.savefig(argv[2], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
