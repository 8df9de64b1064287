#!/bin/bash
# Runs validation/dram/cases.csv the way `accsim validate` does (until that command is on this
# branch): each case within its tolerance, the median error within the suite's median_tolerance.
set -euo pipefail
ACCSIM="$1"
python3 - "$ACCSIM" <<'PY'
import csv, json, shlex, statistics, subprocess, sys
accsim = sys.argv[1]
def value(cmd, metric):
    out = subprocess.run([accsim, "run"] + shlex.split(cmd) + ["--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    d = json.loads(out)
    for p in metric.split("."):
        d = d[p]
    return d
errors, bad = [], []
for r in csv.DictReader(open("validation/dram/cases.csv")):
    v = value(r["command"], r["metric"])
    if r["baseline_command"]:
        v = value(r["baseline_command"], r["metric"]) / v
    ref = float(r["reference"])
    err = abs(v - ref) / ref
    errors.append(err)
    print(f"{r['id']}: accsim {v:.6g} {r['unit']}, reference {ref:.6g}, error {err:.2%}")
    if err > float(r["tolerance"]):
        bad.append(r["id"])
median_tol = float([l.split(":")[1].split("#")[0] for l in open("validation/dram/suite.yaml")
                    if l.startswith("median_tolerance")][0])
if bad or statistics.median(errors) > median_tol:
    sys.exit(f"FAIL: {bad} median {statistics.median(errors):.2%}")
PY
