"""Figures of a sweep: energy-latency Pareto front, speedup/energy vs sparsity, speedup vs bit width."""
import os
import string

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from .plotting import color, plt, save
from .sweep_data import (arch_title, bits_of, group_by_others, group_label, label, merge_identical, ok_rows, pareto_front,
                         parse_prune, short_value, varying_keys)
from .units import energy_unit, time_unit

MAX_LABELS = 10  # Pareto points named in one panel; more would hide the data


class Letters:
    """Gives each labelled point one letter, the same in every figure of a report."""

    def __init__(self):
        self._pool = iter(string.ascii_uppercase + string.ascii_lowercase)
        self._given = {}

    def of(self, row):
        if row["point_id"] not in self._given:
            self._given[row["point_id"]] = next(self._pool, "?")
        return self._given[row["point_id"]]


def chosen_front_points(front):
    """Up to MAX_LABELS points of a front, spread evenly, always including both ends."""
    if len(front) <= MAX_LABELS:
        return list(front)
    idx = np.unique(np.round(np.linspace(0, len(front) - 1, MAX_LABELS)).astype(int))
    return [front[i] for i in idx]


def arch_name(sweep):
    return arch_title(sweep)


# Metrics a Pareto figure can use: (row key, axis name, function giving (divisor, unit) for values).
METRICS = {
    "latency_s": ("latency", lambda v: time_unit(v)),
    "energy_pj": ("energy", lambda v: energy_unit(v)),
    "area_um2": ("area", lambda v: (1e6, "mm²")),
}
# Label offsets (points) tried in turn, so neighbouring letters do not land on each other.
OFFSETS = [(6, 6), (-16, 6), (6, -14), (-16, -14)]


def _log_if_wide(ax, axis, values):
    vals = [v for v in values if v > 0]
    if vals and max(vals) / min(vals) > 20:
        (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
        target = ax.xaxis if axis == "x" else ax.yaxis
        target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        target.set_minor_formatter(NullFormatter())


def pareto(sweep, out_dir, x="latency_s", y="energy_pj", name="sweep_pareto", letters=None):
    """One panel per workload: all points, the front minimising x and y, lettered chosen points.

    Returns (path, [(letter, row)]).
    """
    rows = [r for r in ok_rows(sweep) if r.get(x) and r.get(y)]
    if not rows:
        return None, []
    keys = varying_keys(sweep)
    by_wl = {}
    for r in rows:
        by_wl.setdefault(r["params"]["workload"], []).append(r)
    workloads = list(by_wl)[:4]
    label_keys = [k for k in keys if k != "workload"]
    fig, axes = plt.subplots(len(workloads), 1, figsize=(10, 4.8 * len(workloads)), squeeze=False)
    chosen_all = []
    letters = letters if letters is not None else Letters()
    xname, xunit_of = METRICS[x]
    yname, yunit_of = METRICS[y]
    for ax, wl in zip(axes[:, 0], workloads):
        pts = by_wl[wl]
        xs, xu = xunit_of([r[x] for r in pts])
        ys, yu = yunit_of([r[y] for r in pts])
        front = pareto_front(pts, x, y)
        archs = sorted({r["params"]["arch"] for r in pts}) if "arch" in keys else []
        if 1 < len(archs) <= 8:  # compared architectures: one colour each
            for ai, arch in enumerate(archs):
                sub = [r for r in pts if r["params"]["arch"] == arch]
                ax.scatter([r[x] / xs for r in sub], [r[y] / ys for r in sub], s=14, color=color(ai + 4), alpha=0.6,
                           label=f"{short_value('arch', arch)} ({len(sub)} points)", zorder=2)
        else:
            ax.scatter([r[x] / xs for r in pts], [r[y] / ys for r in pts], s=14, color="#999999",
                       alpha=0.6, label=f"design points ({len(pts)})", zorder=2)
        ax.step([r[x] / xs for r in front], [r[y] / ys for r in front], where="post",
                color=color(3), linewidth=1.5, label=f"Pareto front ({len(front)} point{'s' if len(front) != 1 else ''})", zorder=3)
        ax.scatter([r[x] / xs for r in front], [r[y] / ys for r in front], s=28, color=color(3), zorder=4)
        notes = []
        for i, r in enumerate(chosen_front_points(front)):
            letter = letters.of(r)
            chosen_all.append((letter, r))
            ax.annotate(letter, (r[x] / xs, r[y] / ys), xytext=OFFSETS[i % len(OFFSETS)], textcoords="offset points",
                        fontsize=9, fontweight="bold", color=color(3), zorder=5)
            notes.append(f"{letter}: {label(r, label_keys)}")
        _log_if_wide(ax, "x", [r[x] / xs for r in pts])
        _log_if_wide(ax, "y", [r[y] / ys for r in pts])
        ax.margins(0.08)  # room for the letters at the edges
        ax.set_xlabel(f"{xname} ({xu})")
        ax.set_ylabel(f"{yname} ({yu})")
        title = f"{yname.capitalize()} vs {xname}"
        if len(by_wl) > 1 or "workload" in keys:
            title += f": {short_value('workload', wl)}"
        ax.set_title(title + (f" on {arch_name(sweep)} variants" if sweep["spec"].get("arch") else
                              f" across {arch_name(sweep)}"))
        ax.legend(loc="best")  # the emptiest corner: never hide points
        ax.text(1.02, 1.0, "chosen points\n(on the front)\n\n" + "\n".join(notes), transform=ax.transAxes,
                va="top", ha="left", fontsize=8, family="monospace")
    return save(fig, out_dir, name), chosen_all


def sparsity(sweep, out_dir):
    """Speedup and energy vs sparsity, one line per pruning pattern, relative to the dense point."""
    keys = varying_keys(sweep)
    if "workload.prune" not in keys:
        return None, "no workload.prune dimension in this sweep"
    groups = group_by_others(ok_rows(sweep), "workload.prune", keys)
    usable = {g: rs for g, rs in groups.items() if any(r["params"]["workload.prune"] == "dense" for r in rs)}
    if not usable:
        return None, "workload.prune has no 'dense' value to measure speedups against"
    shown = list(usable.items())[:3]  # more configurations would make the lines unreadable
    styles = ["-", "--", ":"]
    fig, (ax_s, ax_e) = plt.subplots(1, 2, figsize=(12, 4.6))
    families = []
    flat = True
    for gi, (gkey, rs) in enumerate(shown):
        dense = next(r for r in rs if r["params"]["workload.prune"] == "dense")
        lines = {}
        for r in rs:
            p = parse_prune(r["params"]["workload.prune"])
            if p is None or p[0] == "dense":
                continue
            lines.setdefault(p[0], []).append((p[1], dense["latency_s"] / r["latency_s"],
                                               r["energy_pj"] / dense["energy_pj"], p[2]))
        for fam, pts in lines.items():
            if fam not in families:
                families.append(fam)
            c = color(families.index(fam))
            pts.sort()
            flat = flat and all(abs(p[1] - 1) < 1e-9 and abs(p[2] - 1) < 1e-9 for p in pts)
            # Every line starts at the dense point (sparsity 0, speedup 1, energy 1).
            xs = [0.0] + [100 * p[0] for p in pts]
            name = fam + (f" — {group_label(gkey)}" if len(shown) > 1 else "")
            ax_s.plot(xs, [1.0] + [p[1] for p in pts], styles[gi], marker="o", color=c, label=name)
            ax_e.plot(xs, [1.0] + [p[2] for p in pts], styles[gi], marker="o", color=c, label=name)
            for p in pts:
                if p[3]:
                    ax_s.annotate(p[3], (100 * p[0], p[1]), xytext=(4, -10), textcoords="offset points", fontsize=7)
    ax_s.axhline(1.0, color="black", linewidth=0.8)
    ax_e.axhline(1.0, color="black", linewidth=0.8)
    ax_s.set_xlabel("weight sparsity (% of weights pruned)")
    ax_s.set_ylabel("speedup over dense (×, latency ratio)")
    ax_s.set_title("Speedup vs sparsity")
    ax_e.set_xlabel("weight sparsity (% of weights pruned)")
    ax_e.set_ylabel("energy relative to dense (×)")
    ax_e.set_title("Energy vs sparsity")
    # One legend for both panels, below them, so it never covers data.
    handles, names = ax_s.get_legend_handles_labels()
    fig.legend(handles, names, title="pruning pattern", loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=min(4, len(names)))
    ctx = group_label(shown[0][0]) if len(shown) == 1 else f"{len(shown)} configurations"
    title = f"Pruning patterns on {arch_name(sweep)} ({ctx})"
    if flat:
        title += "\nno pattern changes latency or energy here: this architecture does not skip zero weights"
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    note = "" if len(usable) <= len(shown) else f"first {len(shown)} of {len(usable)} configurations shown"
    return save(fig, out_dir, "sweep_sparsity"), note


BIT_KEYS = ("workload.wbits", "workload.abits", "workload.dtype")


def bitwidth(sweep, out_dir):
    """Speedup vs bit width, relative to the widest format of the same configuration."""
    keys = varying_keys(sweep)
    key = next((k for k in BIT_KEYS if k in keys), None)
    if key is None:
        return None, "no workload.wbits, workload.abits or workload.dtype dimension in this sweep"
    groups = list(group_by_others(ok_rows(sweep), key, keys).items())
    if not groups:
        return None, "no successful points"
    shown = groups[:8]
    fig, ax = plt.subplots(figsize=(8, 4.6))
    all_bits = set()
    series = []
    for gkey, rs in shown:
        pts = sorted((bits_of(key, r["params"][key]), r["point"], r) for r in rs if bits_of(key, r["params"][key]))
        if not pts:
            continue
        widest = pts[-1][2]
        all_bits.update(p[0] for p in pts)
        series.append((group_label(gkey), [p[0] for p in pts], [widest["latency_s"] / p[2]["latency_s"] for p in pts]))
        if key == "workload.dtype" and len(series) == 1:
            for b, _, r in pts:
                ax.annotate(r["params"][key], (b, widest["latency_s"] / r["latency_s"]), xytext=(4, 4),
                            textcoords="offset points", fontsize=7)
    for gi, (name, xs, ys) in enumerate(merge_identical(series)):
        ax.plot(xs, ys, marker="o", color=color(gi), label=name)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xscale("log", base=2)
    ax.set_xticks(sorted(all_bits))
    ax.set_xticklabels([str(b) for b in sorted(all_bits)])
    ax.minorticks_off()
    what = {"workload.wbits": "weight", "workload.abits": "activation", "workload.dtype": "operand"}[key]
    ax.set_xlabel(f"{what} bit width (bits)")
    ax.set_ylabel("speedup over the widest format (×)")
    ax.set_title(f"Speedup vs {what} bit width on {arch_name(sweep)}")
    ax.legend(title="configuration", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    note = "" if len(groups) <= len(shown) else f"first {len(shown)} of {len(groups)} configurations shown"
    return save(fig, out_dir, "sweep_bitwidth"), note
