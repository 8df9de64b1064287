#!/usr/bin/env python3
"""Evaluate one validation/<suite>/ folder (suite.yaml + cases.csv, format in the team brief)
with `accsim run --format json`: a stand-in for `accsim validate SUITE` until that command is on
this branch. Prints reference, accsim value and relative error per case; exit 1 when a case
exceeds its tolerance or the median error exceeds the suite's median_tolerance, 2 on bad input.

Usage: python3 scripts/validate_suite.py validation/eyeriss [--accsim build/accsim]
"""
import argparse
import csv
import json
import os
import shlex
import statistics
import subprocess
import sys

HEADER = ["id", "reference", "unit", "metric", "command", "baseline_command", "tolerance", "source"]


def fail_input(msg):
    print(f"validate_suite: {msg}", file=sys.stderr)
    sys.exit(2)


def read_median_tolerance(path):
    for line in open(path, encoding="utf-8"):
        key, _, value = line.partition(":")
        if key.strip() == "median_tolerance":
            return float(value.split("#")[0])
    fail_input(f"{path}: no median_tolerance")


def resolve(doc, path):
    """A dotted path; `layers.NAME` picks a layer by name, `energy.X` reads energy_breakdown_pj."""
    node = doc
    parts = path.split(".")
    i = 0
    while i < len(parts):
        key = parts[i]
        if isinstance(node, list):
            match = [x for x in node if x.get("name") == key]
            if not match:
                raise KeyError(path)
            node = match[0]
        elif key == "energy" and "energy" not in node:
            node = node["energy_breakdown_pj"]
        else:
            node = node[key]
        i += 1
    return float(node)


def metric(doc, expr):
    if "*" in expr:  # a trailing unit factor, as accsim validate reads it (sim/app/validate/metric.cpp)
        path, factor = expr.rsplit("*", 1)
        return metric(doc, path) * float(factor)
    if "/" in expr:
        a, b = expr.split("/", 1)
        return resolve(doc, a) / resolve(doc, b)
    return resolve(doc, expr)


def run(accsim, args, cache):
    if args not in cache:
        out = subprocess.run([accsim, "run", *shlex.split(args), "--format", "json"], capture_output=True, text=True)
        if out.returncode != 0:
            fail_input(f"accsim run {args}: exit {out.returncode}: {out.stderr.strip()}")
        cache[args] = json.loads(out.stdout)
    return cache[args]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("suite")
    ap.add_argument("--accsim", default=os.environ.get("ACCSIM", "build/accsim"))
    a = ap.parse_args()
    med_tol = read_median_tolerance(os.path.join(a.suite, "suite.yaml"))
    with open(os.path.join(a.suite, "cases.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != HEADER:
        fail_input(f"{a.suite}/cases.csv: header must be {','.join(HEADER)}")
    cache, errors, failed = {}, [], []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADER):
            fail_input(f"{a.suite}/cases.csv:{line}: {len(row)} fields, expected {len(HEADER)}")
        c = dict(zip(HEADER, row))
        value = metric(run(a.accsim, c["command"], cache), c["metric"])
        if c["baseline_command"]:
            value = metric(run(a.accsim, c["baseline_command"], cache), c["metric"]) / value
        ref, tol = float(c["reference"]), float(c["tolerance"])
        err = abs(value - ref) / abs(ref)
        errors.append(err)
        ok = err <= tol
        if not ok:
            failed.append(c["id"])
        print(f"{'ok  ' if ok else 'FAIL'} {c['id']:<28} ref {ref:<12.6g} accsim {value:<12.6g} {c['unit']:<10} err {err:6.1%} (tol {tol:.0%})")
    med = statistics.median(errors)
    print(f"median error {med:.1%} (tolerance {med_tol:.0%}); {len(failed)} of {len(errors)} cases over tolerance")
    sys.exit(1 if failed or med > med_tol else 0)


if __name__ == "__main__":
    main()
