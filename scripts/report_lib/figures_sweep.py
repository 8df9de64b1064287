"""Figures of a sweep: Pareto fronts with the swept keys encoded, bars against a baseline, speedup and
energy vs sparsity, speedup vs bit width. Each function takes the section's context (unique figure
names, epsilon, baseline) and returns (png path or None, note, extra data for tables)."""
import numpy as np
from matplotlib.lines import Line2D

from .plotting import MARKERS, PAGE_IN, color, fixed, line_style, place_labels, plt, save, scale_axis
from .sweep_data import (arch_title, bits_of, group_by_others, group_label, merge_identical, ok_rows, pareto_front,
                         parse_prune, short_key, short_value, varying_keys)
from .units import energy_unit, time_unit

MAX_LABELS = 12  # front points named in one panel; more would cover the data
METRICS = {
    "latency_s": ("latency", lambda v: time_unit(v)),
    "energy_pj": ("energy", lambda v: energy_unit(v)),
    "area_um2": ("area", lambda v: (1e6, "mm²")),
}


def _is_num(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


def key_values(sweep, key):
    """The key's values in a sensible order: numeric ascending, else as given on the command line."""
    vals = next((d["values"] for d in sweep["spec"].get("dimensions", []) if d["key"] == key), [])
    return sorted(vals, key=float) if vals and all(_is_num(v) for v in vals) else list(vals)


def encodings(sweep, keys):
    """Up to three swept keys drawn as colour, marker and size: categorical keys take colour and
    marker first (they have no order), an ordered numeric key takes size."""
    n = {k: len(key_values(sweep, k)) for k in keys}
    numeric = {k: all(_is_num(v) for v in key_values(sweep, k)) for k in keys}
    order = sorted(keys, key=lambda k: (numeric[k], keys.index(k)))
    enc = {}
    for channel, limit in (("colour", 8), ("marker", len(MARKERS))):
        k = next((k for k in order if k not in enc.values() and n[k] <= limit), None)
        if k:
            enc[channel] = k
    rest = [k for k in keys if k not in enc.values()]
    size = next((k for k in rest if numeric[k]), rest[0] if rest else None)
    if size:
        enc["size"] = size
    return enc


def describe_variation(sweep, keys, n_points):
    what = arch_title(sweep)
    varied = ", ".join(short_key(k) for k in keys if k != "workload") or "nothing"
    return f"{what}, {varied} varied ({n_points} points)"


def _front_label(r, keys):
    return ",".join(short_value(k, r["params"][k]) for k in keys)


def _chosen(front):
    if len(front) <= MAX_LABELS:
        return list(front)
    idx = np.unique(np.round(np.linspace(0, len(front) - 1, MAX_LABELS)).astype(int))
    return [front[i] for i in idx]


def _encoded_scatter(ax, pts, x, y, xs, ys, sweep, enc):
    """Draws the points, one scatter per (colour, marker) value pair; returns legend proxies."""
    cvals = key_values(sweep, enc["colour"]) if "colour" in enc else [None]
    mvals = key_values(sweep, enc["marker"]) if "marker" in enc else [None]
    svals = key_values(sweep, enc["size"]) if "size" in enc else [None]

    def size_of(r):
        if "size" not in enc or len(svals) < 2:
            return 22.0
        return 8.0 + 72.0 * svals.index(r["params"][enc["size"]]) / (len(svals) - 1)

    for ci, cv in enumerate(cvals):
        for mi, mv in enumerate(mvals):
            sub = [r for r in pts if (cv is None or r["params"][enc["colour"]] == cv)
                   and (mv is None or r["params"][enc["marker"]] == mv)]
            if not sub:
                continue
            name = ", ".join(f"{short_key(enc[c])}={short_value(enc[c], v)}"
                             for c, v in (("colour", cv), ("marker", mv)) if v is not None) or "design points"
            ax.scatter([r[x] / xs for r in sub], [r[y] / ys for r in sub], s=[size_of(r) for r in sub],
                       color=color(ci) if cv is not None else "#555555", marker=MARKERS[mi % len(MARKERS)],
                       alpha=0.75, linewidths=0, label=f"points: {name}", zorder=2)
    proxies = []
    if "colour" in enc:
        proxies.append(Line2D([], [], linestyle="none", label=f"colour: {short_key(enc['colour'])}"))
        proxies += [Line2D([], [], linestyle="none", marker="o", color=color(i), label=short_value(enc["colour"], v))
                    for i, v in enumerate(cvals)]
    if "marker" in enc:
        proxies.append(Line2D([], [], linestyle="none", label=f"marker: {short_key(enc['marker'])}"))
        proxies += [Line2D([], [], linestyle="none", marker=MARKERS[i % len(MARKERS)], color="#555555",
                           label=short_value(enc["marker"], v)) for i, v in enumerate(mvals)]
    if "size" in enc and len(svals) > 1:
        proxies.append(Line2D([], [], linestyle="none", label=f"size: {short_key(enc['size'])}"))
        picks = sorted({0, len(svals) // 2, len(svals) - 1})
        proxies += [Line2D([], [], linestyle="none", marker="o", color="#555555",
                           markersize=np.sqrt(8.0 + 72.0 * i / (len(svals) - 1)), label=svals[i]) for i in picks]
    return proxies


def pareto(sweep, ctx, x="latency_s", y="energy_pj", kind="pareto"):
    """One panel per workload (up to four): every point with up to three swept keys encoded, the
    Pareto front minimising x and y, each labelled front point named by its parameter values.

    Returns (path, note, front rows)."""
    rows = [r for r in ok_rows(sweep) if r.get(x) and r.get(y)]
    if not rows:
        return None, "no point has both metrics", []
    keys = varying_keys(sweep)
    by_wl = {}
    for r in rows:
        by_wl.setdefault(r["params"]["workload"], []).append(r)
    workloads = list(by_wl)[:4]
    label_keys = [k for k in keys if k != "workload"]
    enc = encodings(sweep, label_keys)
    fig, axes = plt.subplots(len(workloads), 1, figsize=(PAGE_IN, 3.3 * len(workloads)), squeeze=False,
                             layout="constrained")
    xname, xunit_of = METRICS[x]
    yname, yunit_of = METRICS[y]
    fronts, unlabelled, clashes = [], 0, 0
    for ax, wl in zip(axes[:, 0], workloads):
        pts = by_wl[wl]
        xs, xu = xunit_of([r[x] for r in pts])
        ys, yu = yunit_of([r[y] for r in pts])
        front = pareto_front(pts, x, y, ctx.epsilon)
        fronts += front
        proxies = _encoded_scatter(ax, pts, x, y, xs, ys, sweep, enc)
        eps = f"ε = {100 * ctx.epsilon:g} %"
        ax.step([r[x] / xs for r in front], [r[y] / ys for r in front], where="post", color="black",
                linewidth=1.0, linestyle="--", label=f"Pareto front ({len(front)} points, {eps})", zorder=3)
        ax.scatter([r[x] / xs for r in front], [r[y] / ys for r in front], s=60, facecolors="none",
                   edgecolors="black", linewidths=1.0, label="front points", zorder=4)
        proxies += [Line2D([], [], color="black", linestyle="--", marker="o", markerfacecolor="none",
                           label=f"Pareto front ({len(front)}, {eps})")]
        scale_axis(ax, "x", [r[x] / xs for r in pts])
        scale_axis(ax, "y", [r[y] / ys for r in pts])
        ax.margins(0.1)
        ax.set_xlabel(f"{xname} ({xu})")
        ax.set_ylabel(f"{yname} ({yu})")
        ax.set_title(f"{yname.capitalize()} vs {xname}: {short_value('workload', wl)}")
        legend = ax.legend(handles=proxies, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0,
                           ncol=2 if len(proxies) > 12 else 1,
                           title=f"labels: {','.join(short_key(k) for k in label_keys) or '-'}")
        for t in legend.get_texts():  # the group headers stand out from their entries
            if t.get_text().split(":")[0] in ("colour", "marker", "size"):
                t.set_fontweight("bold")
        chosen = _chosen(front)
        unlabelled += len(front) - len(chosen)
        fig.canvas.draw()
        clashes += place_labels(fig, ax, [(r[x] / xs, r[y] / ys, _front_label(r, label_keys), "black")
                                          for r in chosen])
    fig.suptitle(f"{yname.capitalize()} vs {xname}: " + describe_variation(sweep, keys, len(rows)))
    name = ctx.name(kind)
    extra = {"points": len(rows), "front_points": len(fronts), "encodings": enc, "epsilon": ctx.epsilon,
             "unlabelled_front_points": unlabelled, "overlapping_labels": clashes}
    path = save(fig, ctx.out_dir, name, extra)
    note = f"{unlabelled} front points not labelled for room; the table lists all" if unlabelled else ""
    return path, note, fronts


def _matches(key, value, param):
    return param == value or short_value(key, param) == value


def baseline_bars(sweep, ctx):
    """Grouped bars: per configuration of the other swept keys, speedup and energy of every value of
    the baseline key relative to the baseline value (iso-area comparisons across architectures)."""
    key, value = ctx.baseline
    keys = varying_keys(sweep)
    if key not in keys:
        return None, f"--baseline key {key} is not swept here", []
    if not any(_matches(key, value, v) for v in key_values(sweep, key)):
        return None, f"--baseline {key}={value}: no such value (values: {', '.join(key_values(sweep, key))})", []
    vals = key_values(sweep, key)
    data = []
    for g, rs in group_by_others(ok_rows(sweep), key, keys).items():
        base = next((r for r in rs if _matches(key, value, r["params"][key])), None)
        if base:
            data.append((g, base, {r["params"][key]: r for r in rs}))
    if not data:
        return None, f"no configuration has a successful {key}={value} point", []
    shown = data[:16]
    fig, (ax_s, ax_e) = plt.subplots(2, 1, figsize=(PAGE_IN, 5.4), sharex=True, layout="constrained")
    width = 0.8 / len(vals)
    x = np.arange(len(shown))
    table, all_s, all_e = [], [], []
    for vi, v in enumerate(vals):
        sp, er = [], []
        for g, base, by in shown:
            r = by.get(v)
            sp.append(base["latency_s"] / r["latency_s"] if r else np.nan)
            er.append(r["energy_pj"] / base["energy_pj"] if r else np.nan)
        lab = short_value(key, v) + (" (baseline)" if _matches(key, value, v) else "")
        off = (vi - (len(vals) - 1) / 2) * width
        ax_s.bar(x + off, sp, width, color=color(vi), label=lab)
        ax_e.bar(x + off, er, width, color=color(vi), label=lab)
        all_s += [s for s in sp if s == s]
        all_e += [e for e in er if e == e]
    for g, base, by in data:
        for v in vals:
            r = by.get(v)
            table.append((group_label(g), short_value(key, v), r, base))
    for ax, values, what in ((ax_s, all_s, "speedup (×)"), (ax_e, all_e, "energy (× baseline)")):
        ax.axhline(1.0, color="black", linewidth=0.8)
        scale_axis(ax, "y", values + [1.0])
        ax.set_ylabel(what)
    ax_e.set_xticks(x)
    ax_e.set_xticklabels([group_label(g) for g, _, _ in shown], rotation=25, ha="right")
    ax_e.set_xlabel("configuration (the other swept keys)")
    ax_s.legend(title=short_key(key), loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax_s.set_title(f"Against {short_key(key)}={value}: {arch_title(sweep)}, {len(data)} configurations")
    note = f"first {len(shown)} of {len(data)} configurations drawn; the table lists all" if len(data) > len(shown) else ""
    failed = sum(1 for _, _, r, _ in table if r is None)
    if failed:
        note = (note + "; " if note else "") + f"{failed} bars missing: those points failed (see the table)"
    return save(fig, ctx.out_dir, ctx.name("baseline"), {"baseline": f"{key}={value}"}), note, table


def sparsity(sweep, ctx):
    """Speedup and energy vs sparsity: colour = pruning pattern, line style = configuration."""
    keys = varying_keys(sweep)
    if "workload.prune" not in keys:
        return None, "no workload.prune dimension in this sweep", None
    groups = group_by_others(ok_rows(sweep), "workload.prune", keys)
    usable = {g: rs for g, rs in groups.items() if any(r["params"]["workload.prune"] == "dense" for r in rs)}
    if not usable:
        return None, "workload.prune has no 'dense' value to measure speedups against", None
    shown = list(usable.items())[:4]  # one line style each
    fig, (ax_s, ax_e) = plt.subplots(1, 2, figsize=(PAGE_IN, 3.0), layout="constrained")
    families, flat = [], True
    styles = ["-", "--", ":", "-."]
    for gi, (gkey, rs) in enumerate(shown):
        dense = next(r for r in rs if r["params"]["workload.prune"] == "dense")
        lines = {}
        for r in rs:
            p = parse_prune(r["params"]["workload.prune"])
            if p is None or p[0] == "dense":
                continue
            lines.setdefault(p[0], []).append((p[1], dense["latency_s"] / r["latency_s"],
                                               r["energy_pj"] / dense["energy_pj"]))
        for fam, pts in lines.items():
            if fam not in families:
                families.append(fam)
            fi = families.index(fam)
            pts.sort()
            flat = flat and all(abs(p[1] - 1) < 1e-9 and abs(p[2] - 1) < 1e-9 for p in pts)
            xs = [0.0] + [100 * p[0] for p in pts]  # every line starts at the dense point
            name = fam + (f" — {group_label(gkey)}" if len(shown) > 1 else "")
            for ax, ys in ((ax_s, [1.0] + [p[1] for p in pts]), (ax_e, [1.0] + [p[2] for p in pts])):
                ax.plot(xs, ys, styles[gi], marker=MARKERS[fi % len(MARKERS)], color=color(fi), label=name,
                        markersize=4)
    for ax in (ax_s, ax_e):
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_xlabel("weight sparsity (% pruned)")
        ax.xaxis.set_major_formatter(plt.FuncFormatter(fixed))
        ax.yaxis.set_major_formatter(plt.FuncFormatter(fixed))
    ax_s.set_ylabel("speedup over dense (×, latency ratio)")
    ax_e.set_ylabel("energy relative to dense (×)")
    ax_s.set_title("Speedup vs sparsity")
    ax_e.set_title("Energy vs sparsity")
    handles, names = ax_s.get_legend_handles_labels()
    ax_e.legend(handles, names, title="pruning pattern", loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    ctx_text = group_label(shown[0][0]) if len(shown) == 1 else f"{len(shown)} configurations"
    title = f"Pruning patterns on {arch_title(sweep)} ({ctx_text})"
    if flat:
        title += "\nno pattern changes latency or energy here: this architecture does not skip zero weights"
    fig.suptitle(title)
    note = "" if len(usable) <= len(shown) else f"first {len(shown)} of {len(usable)} configurations drawn"
    return save(fig, ctx.out_dir, ctx.name("sparsity")), note, None


BIT_KEYS = ("workload.wbits", "workload.abits", "workload.dtype")


def _compare_key(keys, key, ctx):
    if ctx.baseline and ctx.baseline[0] in keys and ctx.baseline[0] != key:
        return ctx.baseline
    return ("arch", None) if "arch" in keys else (None, None)


def bitwidth(sweep, ctx):
    """Speedup vs bit width of every configuration. With several architectures (or a --baseline key)
    every line is relative to one reference, the baseline's widest format with the same other
    parameters, so architectures can be compared; otherwise to each configuration's widest format."""
    keys = varying_keys(sweep)
    key = next((k for k in BIT_KEYS if k in keys), None)
    if key is None:
        return None, "no workload.wbits, workload.abits or workload.dtype dimension in this sweep", None
    rows = [r for r in ok_rows(sweep) if bits_of(key, r["params"][key])]
    ckey, cval = _compare_key(keys, key, ctx)
    if ckey and cval is None:
        cval = key_values(sweep, ckey)[0]

    def ref_of(r):
        same = [q for q in rows if all(q["params"][k] == r["params"][k] for k in keys if k not in (key, ckey))
                and (ckey is None or _matches(ckey, cval, q["params"][ckey]))]
        return max(same, key=lambda q: (bits_of(key, q["params"][key]), -q["point"])) if same else None

    groups = list(group_by_others(rows, key, keys).items())
    if not groups:
        return None, "no successful points", None
    series, all_bits, missing = [], set(), 0
    for gkey, rs in groups:
        pts = []
        for r in rs:
            ref = ref_of(r)
            if ref:
                pts.append((bits_of(key, r["params"][key]), ref["latency_s"] / r["latency_s"]))
            else:
                missing += 1
        if pts:
            pts.sort()
            all_bits.update(p[0] for p in pts)
            series.append((group_label(gkey), [p[0] for p in pts], [p[1] for p in pts]))
    merged = merge_identical(series)
    fig, ax = plt.subplots(figsize=(PAGE_IN, 3.2 + 0.2 * ((len(merged) + 1) // 2)), layout="constrained")
    for gi, (name, xs, ys) in enumerate(merged):
        c, m, ls = line_style(gi)
        ax.plot(xs, ys, marker=m, linestyle=ls, color=c, label=name, markersize=4)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xscale("log", base=2)
    ax.set_xticks(sorted(all_bits))
    ax.set_xticklabels([str(b) for b in sorted(all_bits)])
    ax.minorticks_off()
    scale_axis(ax, "y", [y for _, _, ys in merged for y in ys] + [1.0])
    what = {"workload.wbits": "weight", "workload.abits": "activation", "workload.dtype": "operand"}[key]
    ax.set_xlabel(f"{what} bit width (bits)")
    ref_text = f"{short_key(ckey)}={short_value(ckey, cval)} at its widest format" if ckey else "the widest format"
    ax.set_ylabel("speedup (×, latency ratio)")
    ax.set_title(f"Speedup vs {what} bit width: {arch_title(sweep)}, {len(series)} configurations\n"
                 f"relative to {ref_text} with the same other parameters")
    ax.legend(title="configuration", loc="upper center", bbox_to_anchor=(0.5, -0.18), borderaxespad=0,
              ncol=2 if len(merged) > 4 else 1)
    note = f"reference: {ref_text} with the same other parameters"
    if missing:
        note += f"; {missing} points have no successful reference point and are not drawn"
    return save(fig, ctx.out_dir, ctx.name("bitwidth"), {"configurations": len(series)}), note, None
