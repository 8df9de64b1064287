#!/usr/bin/env python3
"""accsim report: a Markdown and HTML report with PNG/SVG figures and CSV/LaTeX tables from accsim results.

usage: report.py DIR [DIR ...] --out REPORT_DIR [--baseline KEY=VALUE] [--epsilon FRACTION]

Each DIR is a run directory (`accsim run --out DIR`: summary.json, layers.csv, resolved_config.yaml)
or a sweep directory (`accsim sweep --out DIR` or `accsim merge --out DIR`: sweep.json, results.jsonl).
Normally started by `accsim report`; see docs/sweeps.md.
"""
import argparse
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import matplotlib  # noqa: F401
    import numpy  # noqa: F401
except ImportError as missing:
    print(f"accsim report: error: {missing.name} is missing for {sys.executable}; install Debian's "
          "python3-matplotlib and python3-numpy (scripts/setup.sh does), or set ACCSIM_PYTHON", file=sys.stderr)
    sys.exit(1)

from report_lib import figures_run, figures_sweep  # noqa: E402
from report_lib.document import Document, write_table_files  # noqa: E402
from report_lib.load import ReportInputError, detect, load_run, load_sweep  # noqa: E402
from report_lib.sweep_data import arch_title, label, ok_rows, short_key, varying_keys  # noqa: E402
from report_lib.units import energy_unit, fmt, time_unit  # noqa: E402
from report_lib import safe_write  # noqa: E402

DEFAULT_EPSILON = 0.01  # 1 %: below the models' stated accuracy, so no trade-off worth drawing


class Section:
    """Names every figure and table of one report section uniquely: NN-DIRNAME_kind."""

    def __init__(self, index, directory, out_dir, epsilon, baseline):
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", os.path.basename(os.path.normpath(directory))).strip("-.") or "dir"
        self.prefix = f"{index:02d}-{slug[:40]}"
        self.out_dir = out_dir
        self.epsilon = epsilon
        self.baseline = baseline

    def name(self, kind):
        return f"{self.prefix}_{kind}"


def raw_links(directory, out_dir, names):
    return [(n, os.path.relpath(os.path.join(directory, n), out_dir)) for n in names
            if os.path.exists(os.path.join(directory, n))]


def link_item(text, links):
    parts = [text]
    for i, link in enumerate(links):
        parts += [", " if i else " (", link]
    return parts + ([")"] if links else [])


def run_section(doc, run, ctx):
    s = run["summary"]
    t = s["total"]
    clock = s["arch"]["clock_hz"]
    subject = f"{s['workload']['name']} on {s['arch']['name']}"
    doc.heading(1, f"Run: {subject}")
    ts, tu = time_unit([t["latency_s"]])
    es, eu = energy_unit([t["energy_pj"]])
    area = s["arch"].get("area_um2") or 0
    doc.bullets([
        link_item(f"results: {run['dir']}", raw_links(run["dir"], ctx.out_dir,
                                                      ["summary.json", "layers.csv", "resolved_config.yaml"])),
        f"architecture: {s['arch']['name']} ({s['arch'].get('compute_kind', '?')}, {clock / 1e6:g} MHz)"
        + (f", area {area / 1e6:.4f} mm²" if area else ""),
        f"workload: {s['workload']['name']} ({len(s['layers'])} layers, {t['macs']:,} MACs)",
        f"total: {t['cycles']:,} cycles = {fmt(t['latency_s'] / ts)} {tu}, {fmt(t['energy_pj'] / es)} {eu}, "
        f"utilization {100 * t['utilization']:.1f} %",
    ])
    doc.figure(figures_run.latency_breakdown(run, ctx),
               f"Per-layer latency of {subject}: cycles the compute array was busy (blue) and stalled (orange).")
    doc.figure(figures_run.energy_breakdown(run, ctx), f"Per-layer energy of {subject}, stacked by hardware component.")
    doc.figure(figures_run.utilization(run, ctx),
               f"Per-layer utilization of {subject}: effectual MACs / (cycles × peak MACs per cycle).")
    path = figures_run.roofline(run, ctx)
    if path:
        doc.figure(path, f"Roofline of {subject}: each layer's attained effectual MAC rate against its arithmetic "
                         "intensity (effectual MACs per DRAM byte); roofs from the peak MAC rate and the configured "
                         "DRAM bandwidth.")
    lts, ltu = time_unit([l["latency_s"] for l in s["layers"]])
    les, leu = energy_unit([l["energy_pj"] for l in s["layers"]])
    header = ["layer", "op", "cycles", "stall cycles", f"latency ({ltu})", "MACs", "effectual MACs",
              "utilization (%)", f"energy ({leu})", "DRAM (KiB)"]
    rows = [[l["name"], l["op"], f"{l['cycles']:,}", f"{l['stall_cycles']:,}", fmt(l["latency_s"] / lts),
             f"{l['macs']:,}", f"{l['effectual_macs']:,}", f"{100 * l['utilization']:.1f}", fmt(l["energy_pj"] / les),
             f"{(l['dram_read_bytes'] + l['dram_write_bytes']) / 1024:,.1f}"] for l in s["layers"]]
    caption = f"Per-layer results of {subject}."
    doc.table(header, rows, caption, write_table_files(ctx.out_dir, ctx.name("layers"), header, rows, caption))


def front_table(doc, sweep, ctx, front, keys, subject):
    if not front:
        return
    ts, tu = time_unit([r["latency_s"] for r in front])
    es, eu = energy_unit([r["energy_pj"] for r in front])
    slowest = max(r["latency_s"] for r in front)
    costliest = max(r["energy_pj"] for r in front)
    header = ["point", "parameters", f"latency ({tu})", f"energy ({eu})", "speedup (×)", "energy saving (×)",
              "utilization (%)", "area (mm²)"]
    rows = [[r["point_id"], label(r, keys), fmt(r["latency_s"] / ts), fmt(r["energy_pj"] / es),
             f"{slowest / r['latency_s']:.2f}", f"{costliest / r['energy_pj']:.2f}", f"{100 * r['utilization']:.1f}",
             f"{r['area_um2'] / 1e6:.4f}" if r.get("area_um2") else "–"] for r in front]
    caption = (f"Energy-latency Pareto front of {subject} (ε = {100 * ctx.epsilon:g} %); speedup and energy saving "
               "relative to the slowest and the most energy-hungry front point.")
    doc.table(header, rows, caption, write_table_files(ctx.out_dir, ctx.name("front"), header, rows, caption))


def baseline_table(doc, ctx, table, subject):
    key, value = ctx.baseline
    ts, tu = time_unit([r["latency_s"] for _, _, r, _ in table if r])
    es, eu = energy_unit([r["energy_pj"] for _, _, r, _ in table if r])
    header = ["configuration", short_key(key), f"latency ({tu})", f"energy ({eu})", "speedup (×)", "energy (× baseline)"]
    rows = [[g, v, fmt(r["latency_s"] / ts), fmt(r["energy_pj"] / es), f"{b['latency_s'] / r['latency_s']:.3f}",
             f"{r['energy_pj'] / b['energy_pj']:.3f}"] if r else [g, v, "failed", "–", "–", "–"] for g, v, r, b in table]
    caption = f"Speedup and energy of {subject} relative to {key}={value} with the same other parameters."
    doc.table(header, rows, caption, write_table_files(ctx.out_dir, ctx.name("baseline"), header, rows, caption))


def sweep_section(doc, sweep, ctx):
    spec = sweep["spec"]
    rows = sweep["rows"]
    ok = ok_rows(sweep)
    keys = varying_keys(sweep)
    subject = f"{os.path.basename(os.path.normpath(sweep['dir']))} ({arch_title(sweep)})"
    doc.heading(1, f"Sweep: {subject}")
    items = [link_item(f"results: {sweep['dir']}", raw_links(sweep["dir"], ctx.out_dir,
                                                             ["results.csv", "results.jsonl", "sweep.json"])),
             f"{len(rows)} of {spec.get('selected_points', '?')} points present, {len(ok)} ok, "
             f"{len(rows) - len(ok)} failed"]
    for d in spec.get("dimensions", []):
        items.append(f"{d['key']}: {', '.join(d['values'])}")
    if spec.get("random"):
        items.append(f"random sample of {spec['random']} of {spec.get('grid_points')} grid points, seed {spec.get('seed')}")
    doc.bullets(items)
    if not ok:
        doc.para("No successful points: nothing to plot.")
        return
    label_keys = [k for k in keys if k != "workload"]
    path, note, front = figures_sweep.pareto(sweep, ctx)
    doc.figure(path, f"Energy vs latency of every design point of {subject}; colour, marker and size encode the "
                     "swept keys named in the legend, the dashed black line is the Pareto front and each labelled "
                     "front point shows its parameter values." + (f" ({note})" if note else ""))
    front_table(doc, sweep, ctx, front, keys if "workload" in keys else label_keys, subject)
    if any(r.get("area_um2") for r in ok):
        path, note, _ = figures_sweep.pareto(sweep, ctx, x="area_um2", y="latency_s", kind="pareto_area")
        doc.figure(path, f"Latency vs area (as the models estimate it) of {subject}; the front holds the fastest "
                         "design for each area budget." + (f" ({note})" if note else ""))
    best = [("lowest latency", min(ok, key=lambda r: (r["latency_s"], r["point"]))),
            ("lowest energy", min(ok, key=lambda r: (r["energy_pj"], r["point"]))),
            ("lowest energy-delay product", min(ok, key=lambda r: (r["energy_pj"] * r["latency_s"], r["point"])))]
    ts, tu = time_unit([r["latency_s"] for _, r in best])
    es, eu = energy_unit([r["energy_pj"] for _, r in best])
    doc.bullets([f"{what}: {label(r, keys)} ({fmt(r['latency_s'] / ts)} {tu}, {fmt(r['energy_pj'] / es)} {eu})"
                 for what, r in best])
    if ctx.baseline:
        path, note, table = figures_sweep.baseline_bars(sweep, ctx)
        if path:
            doc.figure(path, f"Speedup and energy of {subject} per configuration, relative to "
                             f"{ctx.baseline[0]}={ctx.baseline[1]}." + (f" ({note})" if note else ""))
            baseline_table(doc, ctx, table, subject)
        else:
            doc.para(f"(The baseline figure is skipped: {note}.)")
    for fig_fn, what, caption in [
        (figures_sweep.sparsity, "sparsity", f"Speedup (dense latency / pruned latency) and energy relative to the "
                                             f"dense point with the same other parameters, per pruning pattern, of {subject}."),
        (figures_sweep.bitwidth, "bit-width", f"Speedup per bit width of {subject}."),
    ]:
        path, note, _ = fig_fn(sweep, ctx)
        if path:
            doc.figure(path, caption + (f" ({note})" if note else ""))
        else:
            doc.para(f"(The {what} figure is skipped: {note}.)")


def parse_baseline(text):
    if text is None:
        return None
    key, sep, value = text.partition("=")
    if not sep or not key or not value:
        raise ReportInputError(f"--baseline: expected KEY=VALUE (e.g. arch=fixed16-iso-area), got '{text}'")
    return key, value


def main(argv):
    ap = argparse.ArgumentParser(prog="accsim report", description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+", help="run and/or sweep output directories")
    ap.add_argument("--out", required=True, help="report directory (created)")
    ap.add_argument("--baseline", help="KEY=VALUE: also draw grouped bars and a table relative to this value")
    ap.add_argument("--epsilon", type=float, default=DEFAULT_EPSILON,
                    help="Pareto fronts drop points within this relative margin (default 0.01 = 1 %%)")
    args = ap.parse_args(argv)
    safe_write.install_signal_cleanup()
    try:
        if not (math.isfinite(args.epsilon) and 0 <= args.epsilon < 1):
            raise ReportInputError(f"--epsilon must be in [0, 1), got {args.epsilon}")
        baseline = parse_baseline(args.baseline)
        loaded = []
        for d in args.dirs:
            kind = detect(d)
            loaded.append((d, kind, load_run(d) if kind == "run" else load_sweep(d)))
        if baseline and not any(k == "sweep" and baseline[0] in data["keys"] for _, k, data in loaded):
            raise ReportInputError(f"--baseline {baseline[0]}: no sweep here varies that key")
        os.makedirs(args.out, exist_ok=True)
        doc = Document("accsim report")
        for i, (d, kind, data) in enumerate(loaded, 1):
            ctx = Section(i, d, args.out, args.epsilon, baseline)
            (sweep_section if kind == "sweep" else run_section)(doc, data, ctx)
    except (ReportInputError, safe_write.UnsafeOutput) as e:
        print(f"accsim report: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"accsim report: error: {e.filename or args.out}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        for name, text in (("report.md", doc.markdown()), ("report.html", doc.html())):
            safe_write.write_text(os.path.join(args.out, name), text)
    except safe_write.UnsafeOutput as e:
        print(f"accsim report: error: {e}", file=sys.stderr)
        return 2
    print(f"accsim report: wrote {os.path.join(args.out, 'report.md')} and report.html", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
