#!/usr/bin/env python3
"""Checks the JSON sidecars accsim report writes beside every figure: paper width (3.5 or 7 in),
fonts >= 8 pt, labelled axes with units, a legend, and the number of points plotted.

usage: report_figures.py REPORT_DIR NAME=POINTS ...   (POINTS: points the figure must show, or - for any)
"""
import json
import os
import sys


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def check(report, name, points):
    path = os.path.join(report, "figures", name + ".json")
    if not os.path.exists(path):
        fail(f"{name}: no sidecar {path}")
    info = json.load(open(path, encoding="utf-8"))
    if info["width_in"] not in (3.5, 7.0):
        fail(f"{name}: {info['width_in']} in wide, not one (3.5 in) or two (7 in) columns")
    if info["min_font_pt"] < 8:
        fail(f"{name}: a {info['min_font_pt']} pt font (>= 8 pt needed)")
    for ax in info["axes"]:
        if not ax["ylabel"]:
            fail(f"{name}: an axes without a y label")
        if "(" not in ax["ylabel"]:
            fail(f"{name}: y label '{ax['ylabel']}' names no unit")
        for t in ax["xticklabels"] + ax["yticklabels"]:
            if "e+" in t or "e-" in t:
                fail(f"{name}: tick label {t} in scientific notation")
    if not any(ax["xlabel"] for ax in info["axes"]):  # panels sharing an x axis label it once
        fail(f"{name}: no x label")
    if not any(ax["legend"] for ax in info["axes"]):
        fail(f"{name}: no legend")
    if points != "-":
        drawn = info.get("points")
        if drawn is None:  # figures without a point count: count the scatter/line/bar elements
            drawn = sum(s["points"] for ax in info["axes"] for s in ax["series"])
        if drawn != int(points):
            fail(f"{name}: {drawn} points plotted, expected {points}")
    return info


if __name__ == "__main__":
    report = sys.argv[1]
    infos = {}
    for arg in sys.argv[2:]:
        name, _, points = arg.partition("=")
        infos[name] = check(report, name, points)
    print(json.dumps({n: {"axes": len(i["axes"]), "legend": sum(len(a["legend"]) for a in i["axes"])}
                      for n, i in infos.items()}))
