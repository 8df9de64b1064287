#!/usr/bin/env bash
# The `bbs` validation suite (validation/bbs: BBS FPGA'19 throughput over a TIMIT frame sequence)
# through the stand-in evaluator. Usage: bash tests/cli/validate_bbs.sh ACCSIM
set -euo pipefail
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
python3 scripts/validate_suite.py validation/bbs --accsim "$1"
