#!/usr/bin/env python3
"""Median errors of the GPU suites per board, dtype and kind, as issue #11 states its targets
(dense latency/throughput <= 15 %, 2:4 speedup <= 10 %, per board and dtype).

usage: scripts/gpu_medians.py build/validation/validation.csv   (written by accsim validate --out DIR)
"""
import csv
import re
import statistics
import sys

BOARDS = {"a100.yaml": "A100 SXM", "a100-pcie.yaml": "A100 PCIe", "h100.yaml": "H100 SXM", "h100-pcie.yaml": "H100 PCIe"}
TARGET = {"dense": 0.15, "2:4 speedup": 0.10, "2:4 latency": None}


def board(command):
    m = re.search(r"--arch configs/arch/(\S+)", command)
    return BOARDS.get(m.group(1), m.group(1)) if m else "?"


def kind(row):
    if row["suite"] == "gpu-dense":
        return "dense"
    return "2:4 speedup" if row["baseline_command"] else "2:4 latency"


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    groups = {}
    for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
        if row["suite"] not in ("gpu-24", "gpu-dense"):
            continue
        dtype = re.search(r"dtype=([a-z0-9_]+)", row["command"])
        key = (board(row["command"]), dtype.group(1) if dtype else "?", kind(row))
        groups.setdefault(key, []).append(float(row["relative_error"]))
    print("| board | dtype | kind | rows | median error | target |")
    print("|---|---|---|---:|---:|---|")
    for (b, d, k), errs in sorted(groups.items()):
        med = statistics.median(errs)
        t = TARGET[k]
        verdict = "-" if t is None else f"{t:.0%}: {'met' if med <= t else 'missed'}"
        print(f"| {b} | {d} | {k} | {len(errs)} | {med:.1%} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
