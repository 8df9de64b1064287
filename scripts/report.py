#!/usr/bin/env python3
"""accsim report: a Markdown and HTML report with PNG/SVG figures from accsim results.

usage: report.py DIR [DIR ...] --out REPORT_DIR

Each DIR is a run directory (`accsim run --out DIR`: summary.json, layers.csv, resolved_config.yaml)
or a sweep directory (`accsim sweep --out DIR` or `accsim merge --out DIR`: sweep.json, results.jsonl).
Normally started by `accsim report`; see docs/sweeps.md.
"""
import argparse
import os
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
from report_lib.document import Document  # noqa: E402
from report_lib.load import ReportInputError, detect, load_run, load_sweep  # noqa: E402
from report_lib.sweep_data import arch_title, label, ok_rows, varying_keys  # noqa: E402
from report_lib.units import energy_unit, fmt, time_unit  # noqa: E402
from report_lib import safe_write  # noqa: E402


def run_section(doc, run, out_dir, heading_prefix):
    s = run["summary"]
    t = s["total"]
    clock = s["arch"]["clock_hz"]
    doc.heading(1, f"{heading_prefix}{s['workload']['name']} on {s['arch']['name']}")
    ts, tu = time_unit([t["latency_s"]])
    es, eu = energy_unit([t["energy_pj"]])
    area = s["arch"].get("area_um2") or 0
    doc.bullets([
        f"results: {run['dir']}",
        f"architecture: {s['arch']['name']} ({s['arch']['compute_kind']}, {clock / 1e6:g} MHz), "
        f"area {area / 1e6:.4g} mm²" if area else f"architecture: {s['arch']['name']} ({clock / 1e6:g} MHz)",
        f"workload: {s['workload']['name']} ({s['workload']['layers']} layers, {t['macs']:,} MACs)",
        f"total: {t['cycles']:,} cycles = {t['latency_s'] / ts:.4g} {tu}, {t['energy_pj'] / es:.4g} {eu}, "
        f"utilization {100 * t['utilization']:.1f} %",
    ])
    doc.figure(figures_run.latency_breakdown(run, out_dir),
               "Per-layer latency, split into cycles the compute array was busy and cycles stalled.")
    doc.figure(figures_run.energy_breakdown(run, out_dir), "Per-layer energy, stacked by hardware component.")
    doc.figure(figures_run.utilization(run, out_dir),
               "Per-layer utilization: effectual MACs / (cycles × peak MACs per cycle).")
    path = figures_run.roofline(run, out_dir)
    if path:
        doc.figure(path, "Roofline: each layer's attained effectual MAC rate against its arithmetic intensity "
                         "(effectual MACs per DRAM byte); roofs from the peak MAC rate and the configured DRAM bandwidth.")
    lts, ltu = time_unit([l["latency_s"] for l in s["layers"]])
    les, leu = energy_unit([l["energy_pj"] for l in s["layers"]])
    doc.table(["layer", "op", "cycles", "stall cycles", f"latency ({ltu})", "MACs", "utilization (%)",
               f"energy ({leu})", "DRAM (KiB)"],
              [[l["name"], l["op"], f"{l['cycles']:,}", f"{l['stall_cycles']:,}", fmt(l["latency_s"] / lts),
                f"{l['macs']:,}", f"{100 * l['utilization']:.1f}", fmt(l["energy_pj"] / les),
                f"{(l['dram_read_bytes'] + l['dram_write_bytes']) / 1024:,.1f}"] for l in s["layers"]])


def sweep_section(doc, sweep, out_dir, heading_prefix):
    spec = sweep["spec"]
    rows = sweep["rows"]
    ok = ok_rows(sweep)
    keys = varying_keys(sweep)
    doc.heading(1, f"{heading_prefix}sweep of {spec.get('arch') or arch_title(sweep)}")
    items = [f"results: {sweep['dir']}",
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
    letters = figures_sweep.Letters()
    path, chosen = figures_sweep.pareto(sweep, out_dir, letters=letters)
    doc.figure(path, "Energy vs latency of every design point; the Pareto front (no other point is both faster and "
                     "more frugal) in red, with chosen front points lettered.")
    if any(r.get("area_um2") for r in ok):
        path, more = figures_sweep.pareto(sweep, out_dir, x="area_um2", y="latency_s", name="sweep_pareto_area",
                                          letters=letters)
        doc.figure(path, "Latency vs compute-block area (as the models estimate it); the Pareto front holds the "
                         "fastest design for each area budget.")
        chosen += [c for c in more if c[0] not in {letter for letter, _ in chosen}]
    if chosen:
        label_keys = [k for k in keys if k != "workload"]
        ts, tu = time_unit([r["latency_s"] for _, r in chosen])
        es, eu = energy_unit([r["energy_pj"] for _, r in chosen])
        doc.table(["label", "point", "parameters", f"latency ({tu})", f"energy ({eu})", "utilization (%)",
                   "area (mm²)"],
                  [[letter, r["point_id"], label(r, keys if "workload" in keys else label_keys),
                    fmt(r["latency_s"] / ts), fmt(r["energy_pj"] / es), f"{100 * r['utilization']:.1f}",
                    fmt(r["area_um2"] / 1e6) if r.get("area_um2") else "–"] for letter, r in chosen])
    best = [("lowest latency", min(ok, key=lambda r: (r["latency_s"], r["point"]))),
            ("lowest energy", min(ok, key=lambda r: (r["energy_pj"], r["point"]))),
            ("lowest energy-delay product", min(ok, key=lambda r: (r["energy_pj"] * r["latency_s"], r["point"])))]
    ts, tu = time_unit([r["latency_s"] for _, r in best])
    es, eu = energy_unit([r["energy_pj"] for _, r in best])
    doc.bullets([f"{what}: {label(r, keys)} ({r['latency_s'] / ts:.4g} {tu}, {r['energy_pj'] / es:.4g} {eu})"
                 for what, r in best])
    for fig_fn, what, caption in [
        (figures_sweep.sparsity, "sparsity", "Speedup (dense latency / pruned latency) and energy relative to the dense point "
                                 "with the same other parameters, per pruning pattern."),
        (figures_sweep.bitwidth, "bit-width", "Speedup over the widest format with the same other parameters, per bit width."),
    ]:
        path, note = fig_fn(sweep, out_dir)
        if path:
            doc.figure(path, caption + (f" ({note})" if note else ""))
        else:
            doc.para(f"(The {what} figure is skipped: {note}.)")


def main(argv):
    ap = argparse.ArgumentParser(prog="accsim report", description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+", help="run and/or sweep output directories")
    ap.add_argument("--out", required=True, help="report directory (created)")
    args = ap.parse_args(argv)
    safe_write.install_signal_cleanup()
    try:
        loaded = []
        for d in args.dirs:
            kind = detect(d)
            loaded.append((kind, load_run(d) if kind == "run" else load_sweep(d)))
        os.makedirs(args.out, exist_ok=True)
        doc = Document("accsim report")
        for kind, data in loaded:
            if kind == "sweep":
                sweep_section(doc, data, args.out, "Design ")
            else:
                run_section(doc, data, args.out, "Run: ")
    except (ReportInputError, safe_write.UnsafeOutput) as e:
        print(f"accsim report: error: {e}", file=sys.stderr)
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
