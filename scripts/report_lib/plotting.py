"""Shared matplotlib setup: paper sizes, fonts, palette, fixed-notation axes, label placement, saving.

Every figure is 3.5 in (one column) or 7 in (two columns) wide with fonts of at least 8 pt, drawn in
Okabe & Ito's colour-blind-safe palette; beyond its eight colours series differ by marker and line style.
Each saved figure gets a JSON sidecar describing what was plotted (axes, scales, legend, points per
series), which the tests read instead of parsing images.
"""
import json
import math
import os

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter  # noqa: E402

COLUMN_IN = 3.5  # one column of a two-column paper
PAGE_IN = 7.0    # both columns
MIN_FONT_PT = 8

from report_lib import safe_write  # noqa: E402

# Fixed salt and no date: the same data gives byte-identical SVG files.
matplotlib.rcParams.update({
    "svg.hashsalt": "accsim",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
    "figure.titlesize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
})

# Okabe & Ito, "Color Universal Design" (2008): distinguishable under the common colour-vision
# deficiencies. Yellow last: it is the weakest on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
COLOR_NAMES = ["blue", "orange", "green", "vermillion", "purple", "sky blue", "black", "yellow"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "*"]
LINESTYLES = ["-", "--", ":", "-."]


def color(i):
    return PALETTE[i % len(PALETTE)]


def line_style(i):
    """(colour, marker, linestyle) of series i: distinct for 8 x 4 series."""
    return PALETTE[i % len(PALETTE)], MARKERS[(i // len(PALETTE)) % len(MARKERS)], \
        LINESTYLES[(i // len(PALETTE)) % len(LINESTYLES)]


def fixed(v, _pos=None):
    """Fixed notation, about 3 significant digits, thousands separated: 311,900 not 3.119e+05."""
    if v == 0 or not math.isfinite(v):
        return "0"
    digits = min(6, max(0, 2 - int(math.floor(math.log10(abs(v))))))
    text = f"{v:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def scale_axis(ax, axis, values):
    """Log scale when the positive values span more than 10x, else linear; fixed-notation ticks."""
    vals = [v for v in values if v and v > 0]
    target = ax.xaxis if axis == "x" else ax.yaxis
    if vals and max(vals) / min(vals) > 10:
        (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
        target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        target.set_minor_formatter(NullFormatter())
    else:
        target.set_major_locator(MaxNLocator(nbins=6))
    target.set_major_formatter(FuncFormatter(fixed))


def place_labels(fig, ax, items, fontsize=MIN_FONT_PT):
    """Annotates (x, y, text, colour) items, trying offsets in turn so labels do not overlap each
    other or leave the axes. Returns how many labels had to overlap (0 when all found room)."""
    renderer = fig.canvas.get_renderer()
    ax_box = ax.get_window_extent(renderer)
    placed, overlaps = [], 0
    offsets = [(5, 4, "left", "bottom"), (5, -4, "left", "top"), (-5, 4, "right", "bottom"),
               (-5, -4, "right", "top"), (0, 9, "center", "bottom"), (0, -9, "center", "top"),
               (12, 12, "left", "bottom"), (-12, -12, "right", "top"), (14, -14, "left", "top"),
               (-14, 14, "right", "bottom")]
    for x, y, text, col in items:
        best = None
        for dx, dy, ha, va in offsets:
            ann = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                              fontsize=fontsize, color=col, zorder=6,
                              arrowprops={"arrowstyle": "-", "color": "#777777", "linewidth": 0.5}
                              if abs(dx) > 10 else None)
            box = ann.get_window_extent(renderer)
            inside = ax_box.x0 <= box.x0 and box.x1 <= ax_box.x1 and ax_box.y0 <= box.y0 and box.y1 <= ax_box.y1
            clash = sum(1 for b in placed if box.overlaps(b))
            score = clash + (0 if inside else 0.5)
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, ann, box)
            else:
                ann.remove()
            if score == 0:
                break
        overlaps += best[0] >= 1
        placed.append(best[2])
    return overlaps


def describe(fig, name):
    """What a figure shows, for the JSON sidecar: per axes its labels, scales, legend and series."""
    axes = []
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        series = []
        for c in ax.collections:
            if isinstance(c, PathCollection) and not c.get_label().startswith("_"):
                series.append({"kind": "scatter", "label": c.get_label(), "points": len(c.get_offsets())})
        for line in ax.lines:
            if not line.get_label().startswith("_"):
                series.append({"kind": "line", "label": line.get_label(), "points": len(line.get_xdata())})
        for cont in ax.containers:
            if isinstance(cont, BarContainer):
                series.append({"kind": "bars", "label": cont.get_label(), "points": len(cont.patches)})
        legend = ax.get_legend()
        entries = [t.get_text() for t in legend.get_texts()] if legend else []
        axes.append({"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                     "xscale": ax.get_xscale(), "yscale": ax.get_yscale(), "legend": entries, "series": series,
                     "xticklabels": [t.get_text() for t in ax.get_xticklabels() if t.get_text()],
                     "yticklabels": [t.get_text() for t in ax.get_yticklabels() if t.get_text()]})
    for legend in fig.legends:
        for a in axes[:1]:
            a["legend"] += [t.get_text() for t in legend.get_texts()]
    fonts = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    w, h = fig.get_size_inches()
    return {"name": name, "width_in": round(float(w), 3), "height_in": round(float(h), 3),
            "min_font_pt": min(fonts) if fonts else None, "suptitle": fig._suptitle.get_text() if fig._suptitle else "",
            "axes": axes}


def save(fig, out_dir, name, extra=None):
    """Writes figures/NAME.{png,svg,json} under out_dir; returns the PNG path relative to out_dir.

    The figure keeps its width (no tight bounding box), so it drops into a paper column as sized."""
    fig_dir = os.path.join(out_dir, "figures")
    os.makedirs(fig_dir, exist_ok=True)
    info = describe(fig, name)
    info.update(extra or {})
    # Through exclusive temporaries renamed into place (report_lib/safe_write.py).
    safe_write.write_with(os.path.join(fig_dir, name + ".png"), lambda f: fig.savefig(
        f, format="png", dpi=200, metadata={"Software": None}), binary=True)
    safe_write.write_with(os.path.join(fig_dir, name + ".svg"), lambda f: fig.savefig(
        f, format="svg", metadata={"Date": None}), binary=True)
    plt.close(fig)
    safe_write.write_text(os.path.join(fig_dir, name + ".json"), json.dumps(info, indent=1, ensure_ascii=False) + "\n")
    return f"figures/{name}.png"
