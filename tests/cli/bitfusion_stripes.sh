#!/usr/bin/env bash
# Bit Fusion vs Stripes (ISCA'18) in the authors' setup: bf_s_conf.ini's 980 MHz, 3 x 128 KB buffers
# and 4096-bit interface (configs/arch/bitfusion-stripes.yaml) against 16-bit-weight bit-serial
# lanes of equal PE-array area (configs/arch/stripes.yaml). Not a validation suite: the paper
# publishes only the geomeans (2.6x / 3.9x) and its per-benchmark bars are not in our sources, so no
# row has a reference of its own (docs/models/mac.md, "Against Stripes"). This test pins the compute
# cycles behind the largest gap (RNN), derived by hand, and that the comparison table prints.
# Usage: bash tests/cli/bitfusion_stripes.sh ACCSIM
set -uo pipefail
accsim="$1"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
python3 scripts/gen_bitfusion_workloads.py --check || { echo "FAIL: workloads/bitfusion not generated"; exit 1; }
compute() {  # compute_cycles and peak MACs/cycle of one run
  "$accsim" run --arch "configs/arch/$1.yaml" --workload "workloads/bitfusion/$2.yaml" --format json |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["total"]; print(t["compute_cycles"], int(t["peak_macs_per_cycle"]))'
}
# RNN: one 4096 x 4096 FC layer, batch 16, w4/a4 (Stripes: w16/a4); output stationary.
# Bit Fusion 16 x 32 units, 4 products of 4x4 bits per unit: peak 2,048 MACs/cycle; M = 16 images on
#   the 16 rows (1 fold), 4096 / 32 = 128 column folds, K' = 4096 / 4 = 1024 steps + skew 16 + 32 - 2:
#   128 x 1070 = 136,960 cycles.
# Stripes 32 x 52 lanes, 4 cycles per product: peak 1,664 / 4 = 416; 16 images on 32 rows (half idle),
#   ceil(4096 / 52) = 79 column folds, 4096 x 4 steps + skew 32 + 52 - 2: 79 x 16,466 = 1,300,814.
[ "$(compute bitfusion-stripes rnn)" = "136960 2048" ] || { echo "FAIL: Bit Fusion RNN compute"; exit 1; }
[ "$(compute stripes rnn-stripes)" = "1300814 416" ] || { echo "FAIL: Stripes RNN compute"; exit 1; }
table=$(python3 scripts/bitfusion_table.py "$accsim") || { echo "FAIL: bitfusion_table.py"; exit 1; }
grep -q "(paper 2.6x)" <<<"$table" || { echo "FAIL: table lacks the Stripes speedup geomean"; exit 1; }
echo "PASS"
