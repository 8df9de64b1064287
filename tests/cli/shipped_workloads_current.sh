#!/usr/bin/env bash
# workloads/*.yaml are exactly what scripts/gen_workloads.py generates (nobody hand-edited them).
set -euo pipefail
python3 scripts/gen_workloads.py --check
