#!/usr/bin/env bash
# The `bbs` validation suite (validation/bbs: BBS FPGA'19 throughput over a TIMIT frame sequence)
# passes `accsim validate`. Usage: bash tests/cli/validate_bbs.sh ACCSIM
set -euo pipefail
"$1" validate --suite bbs
