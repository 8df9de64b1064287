#!/usr/bin/env bash
# accsim report: from a small sweep (array size x pruning x weight bits) and a run directory it writes
# report.md, report.html and every figure as PNG and SVG; the same inputs give the same files.
set -euo pipefail
B="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
PY="${ACCSIM_PYTHON:-/usr/bin/python3}"
[ -x "$PY" ] || PY=python3
# scripts/setup.sh installs them, so their absence is a set-up failure, not a reason to skip.
"$PY" -c 'import matplotlib, numpy' 2>/dev/null \
  || fail "$PY lacks matplotlib/numpy (Debian python3-matplotlib python3-numpy): run scripts/test.sh"

A=configs/arch/systolic-32x32.yaml
"$B" sweep --arch "$A" --workload gemm:m=64,n=128,k=256 --grid compute.rows=8,16,32 \
  --grid workload.prune=dense,nm:2:4,unstructured:0.75,block:4x4:0.5,bank:16:0.5 --grid workload.wbits=4,8 \
  --quiet --out "$T/sweep"
"$B" run --arch "$A" --workload workloads/bert-base-encoder-layer.yaml --out "$T/run" > /dev/null
"$B" report "$T/sweep" "$T/run" --out "$T/rep" 2> "$T/err" || { cat "$T/err"; fail "report failed"; }
for f in report.md report.html; do [ -s "$T/rep/$f" ] || fail "no $f"; done
for fig in sweep_pareto sweep_pareto_area sweep_sparsity sweep_bitwidth \
           run_layer_latency run_layer_energy run_utilization run_roofline; do
  [ "$(head -c 8 "$T/rep/figures/$fig.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$fig.png is not a PNG"
  grep -q '<svg' "$T/rep/figures/$fig.svg" || fail "$fig.svg is not an SVG"
  grep -q "figures/$fig.png" "$T/rep/report.md" || fail "report.md does not show $fig"
  grep -q "figures/$fig.svg" "$T/rep/report.html" || fail "report.html does not show $fig"
done
# The Pareto table names the chosen points; the run table lists every BERT layer.
grep -q '^| A | [0-9a-f]\{16\} | rows=' "$T/rep/report.md" || fail "no lettered Pareto table"
for layer in qkv_proj attn_scores attn_context out_proj ffn_up ffn_down; do
  grep -q "^| $layer | " "$T/rep/report.md" || fail "layer $layer missing from the run table"
done
# Deterministic: a second report of the same directories is byte-identical (SVG and text).
"$B" report "$T/sweep" "$T/run" --out "$T/rep2" 2>/dev/null
for f in report.md report.html figures/sweep_pareto.svg figures/run_roofline.svg; do
  cmp "$T/rep/$f" "$T/rep2/$f" || fail "$f differs between two identical reports"
done
# Bad input: one line, exit 2.
set +e
out=$("$B" report "$T" 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && echo "$out" | grep -q "neither a sweep" || fail "non-result directory: rc=$rc $out"
echo ok
