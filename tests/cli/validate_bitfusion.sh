#!/usr/bin/env bash
# The `bitfusion` validation suite (Bit Fusion vs its Eyeriss baseline, ISCA'18, as the authors ran
# it: their AlexNet/ResNet-18 layer sizes on the Bit Fusion side, Eyeriss at the interface their
# compute-only results imply) through `accsim validate`. The suite as a whole does not pass:
# AlexNet's energy reduction is 32 % above the paper's (the input layer's cycles and DRAM traffic
# of their run are 2.4x ours; docs/models/mac.md "Against the paper"); this test pins the other 15
# rows, and that the baseline runs compute-only on the RNN (256 MACs per cycle).
# Usage: bash tests/cli/validate_bitfusion.sh ACCSIM
set -uo pipefail
accsim="$1"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
# The suite's traces (the authors' layer sizes included) are what the generator writes.
python3 scripts/gen_bitfusion_workloads.py --check || { echo "FAIL: workloads/bitfusion not generated"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$accsim" validate --suite bitfusion --out "$tmp/v"
rc=$?
[ "$rc" -le 1 ] || { echo "FAIL: accsim validate exit $rc"; exit 1; }
# validation.csv columns: suite,id,reference,accsim,unit,metric,relative_error,tolerance,pass,...
python3 - "$tmp/v/validation.csv" <<'PY' || { echo "FAIL: rows out of tolerance or geomean outside 10 % of the paper's"; exit 1; }
import csv, math, sys
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1])) if r["suite"] == "bitfusion"}
must_pass = ["alexnet_speedup", "svhn_speedup", "cifar10_speedup", "lenet5_speedup", "vgg7_speedup", "resnet18_speedup",
             "rnn_speedup", "lstm_speedup", "svhn_energy", "cifar10_energy", "lenet5_energy", "vgg7_energy",
             "resnet18_energy", "rnn_energy", "lstm_energy"]
bad = [k for k in must_pass if rows[k]["pass"] != "1"]
if bad: sys.exit(f"out of tolerance: {bad}")
# The issue's geomeans (#15): within 10 % of the paper's 3.93x speedup and 5.12x energy reduction
# (bitfusion-generate-graphs.ipynb cell 6: geomean of the 8 rows' references, 3.93 / 5.12).
for kind in ("speedup", "energy"):
    sel = [(float(r["reference"]), float(r["accsim"])) for k, r in rows.items() if k.endswith("_" + kind)]
    assert len(sel) == 8, kind
    g = lambda i: math.exp(sum(math.log(v[i]) for v in sel) / len(sel))
    print(f"geomean {kind}: paper {g(0):.3f}x accsim {g(1):.3f}x ({g(1) / g(0) - 1:+.1%})")
    if abs(g(1) / g(0) - 1) > 0.10: sys.exit(1)
PY
# RNN: 4096 x 4096 x 16 = 268,435,456 MACs; at 256 MACs per cycle 1,048,576 cycles. With the
# 27-word filter bus the 16 words per cycle a batch-16 FC layer needs arrive in time: within 0.1 %.
json=$("$accsim" run --arch configs/arch/eyeriss-bitfusion.yaml --workload workloads/bitfusion/rnn-int16.yaml \
       --set dram.bandwidth_gb_s=27 --set compute.noc_words_per_cycle=27 --format json) || { echo "FAIL: rnn run"; exit 1; }
python3 -c 'import json,sys; c=json.loads(sys.argv[1])["total"]["cycles"]; sys.exit(0 if 1048576 <= c <= 1048576*1.001 else 1)' "$json" \
  || { echo "FAIL: Eyeriss RNN not at 256 MACs/cycle"; exit 1; }
# Bit Fusion streams its folds: each layer's compute is the authors' count plus one fill and drain
# of 16 + 32 - 2 = 46 cycles (published compute = Cycles - Memory wait cycles, bitfusion-eyeriss-
# sim-sweep.csv): ResNet-18 conv2_1_a (1 x 1) 401,408 + 46, conv5_1_b 3,612,672 + 46.
json=$("$accsim" run --arch configs/arch/bitfusion.yaml --workload workloads/bitfusion/resnet18-authors.yaml \
       --format json) || { echo "FAIL: resnet18-authors run"; exit 1; }
python3 -c 'import json,sys; c={l["name"]: l["compute_cycles"] for l in json.loads(sys.argv[1])["layers"]}
sys.exit(0 if (c["conv2_1_a"], c["conv5_1_b"]) == (401454, 3612718) else 1)' "$json" \
  || { echo "FAIL: Bit Fusion compute cycles are not the authors count + 46"; exit 1; }
echo "PASS"
