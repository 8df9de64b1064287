"""Figures of one run: per-layer latency and energy, utilization, roofline."""
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from .plotting import COLUMN_IN, PAGE_IN, color, fixed, plt, save
from .units import energy_unit, time_unit


def _layer_axis(ax, names):
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=45 if len(names) > 4 else 0, ha="right" if len(names) > 4 else "center",
                       fontsize=8)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.grid(axis="x", visible=False)


def _width(n):
    """One paper column for a few layers, both columns for more."""
    return COLUMN_IN if n <= 6 else PAGE_IN


def _title(run, what):
    """Short enough for one 3.5-in column; the caption names the workload too."""
    return f"{what}: {run['summary']['arch']['name']}"


def _legend_above(ax, title, ncol, rows):
    """Legend between the title and the plot, never over bars; the title is lifted to make room."""
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=ncol, borderaxespad=0, frameon=False,
              columnspacing=0.8, handlelength=1.2)
    ax.set_title(title, pad=6 + 12 * rows)


def latency_breakdown(run, ctx):
    s = run["summary"]
    layers = s["layers"]
    clock = s["arch"]["clock_hz"]
    names = [l["name"] for l in layers]
    compute = np.array([l["compute_cycles"] / clock for l in layers])
    stall = np.array([l["stall_cycles"] / clock for l in layers])
    scale, unit = time_unit(list(compute + stall))
    fig, ax = plt.subplots(figsize=(_width(len(names)), 3.2), layout="constrained")
    x = np.arange(len(names))
    ax.bar(x, compute / scale, color=color(0), label="compute (array busy)")
    ax.bar(x, stall / scale, bottom=compute / scale, color=color(1), label="stall")
    _layer_axis(ax, names)
    ax.set_ylabel(f"latency ({unit})")
    ax.set_xlabel("layer")
    _legend_above(ax, _title(run, "Latency per layer") + f", {clock / 1e6:g} MHz", 2, 1)
    return save(fig, ctx.out_dir, ctx.name("layer_latency"))


def energy_breakdown(run, ctx):
    layers = run["summary"]["layers"]
    names = [l["name"] for l in layers]
    comps = []
    for l in layers:
        for c in l["energy_breakdown_pj"]:
            if c not in comps:
                comps.append(c)
    scale, unit = energy_unit([l["energy_pj"] for l in layers])
    fig, ax = plt.subplots(figsize=(_width(len(names)), 3.2), layout="constrained")
    x = np.arange(len(names))
    bottom = np.zeros(len(names))
    for i, c in enumerate(comps):
        v = np.array([l["energy_breakdown_pj"].get(c, 0.0) for l in layers]) / scale
        ax.bar(x, v, bottom=bottom, color=color(i), label=c)
        bottom += v
    _layer_axis(ax, names)
    ax.set_ylabel(f"energy ({unit})")
    ax.set_xlabel("layer")
    _legend_above(ax, _title(run, "Energy per layer"), 4, (len(comps) + 3) // 4)
    return save(fig, ctx.out_dir, ctx.name("layer_energy"))


def utilization(run, ctx):
    s = run["summary"]
    layers = s["layers"]
    names = [l["name"] for l in layers]
    util = [100.0 * l["utilization"] for l in layers]
    fig, ax = plt.subplots(figsize=(_width(len(names)), 3.0), layout="constrained")
    x = np.arange(len(names))
    ax.bar(x, util, color=color(2), label="layer")
    total = 100.0 * s["total"]["utilization"]
    ax.axhline(total, color=color(3), linestyle="--", label=f"whole workload: {total:.1f} %")
    _layer_axis(ax, names)
    ax.set_ylim(0, 105)
    ax.set_ylabel("utilization (% of peak MACs/cycle)")
    ax.set_xlabel("layer")
    _legend_above(ax, _title(run, "Utilization per layer"), 2, 1)
    return save(fig, ctx.out_dir, ctx.name("utilization"))


MAX_NAMED_LAYERS = 12  # beyond this a per-layer legend is unreadable


def roofline(run, ctx):
    """Attained effectual MAC rate against the compute roof and (when known) the DRAM roof.

    Arithmetic intensity = effectual MACs / DRAM bytes (reads + writes) of the layer.
    """
    s = run["summary"]
    clock = s["arch"]["clock_hz"]
    pts = []
    for l in s["layers"]:
        dram = l["dram_read_bytes"] + l["dram_write_bytes"]
        secs = l["cycles"] / clock
        if dram > 0 and secs > 0 and l["effectual_macs"] > 0:
            pts.append((l["name"], l["effectual_macs"] / dram, l["effectual_macs"] / secs / 1e9, l["cycles"]))
    peaks = [l["peak_macs_per_cycle"] for l in s["layers"] if l["peak_macs_per_cycle"] > 0]
    if not pts or not peaks:
        return None
    peak = max(peaks) * clock / 1e9  # GMAC/s
    bw = run["dram_bandwidth_gb_s"]  # GB/s = 1e9 bytes/s, so GMAC/s = bw x MACs/byte
    ai = np.array([p[1] for p in pts])
    lo, hi = ai.min() / 4, ai.max() * 4
    if bw:
        ridge = peak / bw
        lo, hi = min(lo, ridge / 4), max(hi, ridge * 4)
    xs = np.geomspace(lo, hi, 200)
    fig, ax = plt.subplots(figsize=(PAGE_IN, 4.0), layout="constrained")
    ridge = peak / bw if bw else lo
    right = xs[xs >= ridge]
    ax.plot(np.concatenate(([ridge], right)), np.full(len(right) + 1, peak), color="black", linewidth=2,
            label=f"compute roof: {max(peaks):g} MACs/cycle × {clock / 1e6:g} MHz = {fixed(peak)} GMAC/s")
    if bw:
        left = np.concatenate((xs[xs < ridge], [ridge]))
        ax.plot(left, bw * left, color="gray", linewidth=2, linestyle="--",
                label=f"DRAM roof: {bw:g} GB/s × intensity (ridge at {fixed(ridge)} MACs/byte)")
    if len(pts) <= MAX_NAMED_LAYERS:
        markers = "osD^v<>pP*Xh"
        for i, (name, x, y, _) in enumerate(pts):
            # Hollow markers of different shapes stay visible where layers coincide.
            ax.scatter([x], [y], s=55, facecolors="none", edgecolors=color(i), linewidths=1.6,
                       marker=markers[i % len(markers)], zorder=3, label=name)
    else:
        # Too many layers for a legend: colour by position in the network, name the slowest few.
        sc = ax.scatter([p[1] for p in pts], [p[2] for p in pts], c=np.arange(len(pts)), cmap="viridis", s=30,
                        edgecolors="black", linewidths=0.4, zorder=3, label=f"layers ({len(pts)}; the 5 slowest named)")
        fig.colorbar(sc, ax=ax, pad=0.02).set_label("layer position in the workload (first → last)")
        slowest = sorted(pts, key=lambda p: -p[3])[:5]
        for i, (name, x, y, _) in enumerate(slowest):
            ax.annotate(name, (x, y), xytext=(8, -12 - 10 * i), textcoords="offset points", fontsize=8,
                        arrowprops={"arrowstyle": "-", "color": "#666666", "linewidth": 0.6})
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(FuncFormatter(fixed))
        axis.set_minor_formatter(NullFormatter())
    ax.set_ylim(min(p[2] for p in pts) / 3, peak * 2.5)
    ax.set_xlabel("arithmetic intensity (effectual MACs per DRAM byte)")
    ax.set_ylabel("attained throughput (GMAC/s, effectual MACs)")
    ax.set_title(_title(run, "Roofline"))
    # Beside the plot, never over the points or the roof labels.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), borderaxespad=0, ncol=2)
    return save(fig, ctx.out_dir, ctx.name("roofline"))
