"""Shared matplotlib setup and saving (PNG for reading, SVG for papers)."""
import os

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

from report_lib import safe_write  # noqa: E402

# Fixed salt and no date: the same data gives byte-identical SVG files.
matplotlib.rcParams.update({
    "svg.hashsalt": "accsim",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "figure.dpi": 100,
})

# Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), then matplotlib's tab10.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
           "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]


def color(i):
    return PALETTE[i % len(PALETTE)]


def save(fig, out_dir, name):
    """Writes figures/NAME.png and .svg under out_dir; returns the PNG path relative to out_dir."""
    fig_dir = os.path.join(out_dir, "figures")
    os.makedirs(fig_dir, exist_ok=True)
    # Through exclusive temporaries renamed into place (report_lib/safe_write.py).
    safe_write.write_with(os.path.join(fig_dir, name + ".png"), lambda f: fig.savefig(
        f, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None}), binary=True)
    safe_write.write_with(os.path.join(fig_dir, name + ".svg"), lambda f: fig.savefig(
        f, format="svg", bbox_inches="tight", metadata={"Date": None}), binary=True)
    plt.close(fig)
    return f"figures/{name}.png"
