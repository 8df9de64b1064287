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
# Two sweeps with the same folder name and two runs: every section gets its own figures.
mkdir -p "$T/x"
"$B" sweep --arch configs/arch/fixed8-iso-area.yaml --arch configs/arch/fixed16-iso-area.yaml \
  --arch configs/arch/stripes-iso-area.yaml --workload gemm:m=16,n=64,k=64 --grid workload.wbits=4,8 \
  --quiet --out "$T/x/sweep"
cp -r "$T/run" "$T/run2"
"$B" report "$T/sweep" "$T/x/sweep" "$T/run" "$T/run2" --baseline arch=fixed16-iso-area --out "$T/rep" 2> "$T/err" \
  || { cat "$T/err"; fail "report failed"; }
for f in report.md report.html; do [ -s "$T/rep/$f" ] || fail "no $f"; done
for fig in 01-sweep_pareto 01-sweep_pareto_area 01-sweep_sparsity 01-sweep_bitwidth 02-sweep_pareto \
           02-sweep_baseline 02-sweep_bitwidth 03-run_layer_latency 03-run_layer_energy 03-run_utilization \
           03-run_roofline 04-run2_roofline; do
  [ "$(head -c 8 "$T/rep/figures/$fig.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$fig.png is not a PNG"
  grep -q '<svg' "$T/rep/figures/$fig.svg" || fail "$fig.svg is not an SVG"
  grep -q "figures/$fig.png" "$T/rep/report.md" || fail "report.md does not show $fig"
  grep -q "figures/$fig.svg" "$T/rep/report.html" || fail "report.html does not show $fig"
done
# What each figure type plots (JSON sidecars): 30 sweep points (3 rows x 5 prune x 2 wbits), 6 in the
# 3-architecture sweep; the baseline bars: 3 architectures x 2 configurations = 6 bars per panel, 12 in all.
"$PY" tests/cli/report_figures.py "$T/rep" 01-sweep_pareto=30 01-sweep_pareto_area=30 01-sweep_sparsity=- \
  01-sweep_bitwidth=- 02-sweep_pareto=6 02-sweep_baseline=12 02-sweep_bitwidth=- 03-run_layer_latency=12 \
  03-run_layer_energy=- 03-run_utilization=- 03-run_roofline=- >/dev/null || fail "figure checks"
# The Pareto plot encodes the swept keys: colour, marker and size each name one in the legend.
grep -q '"colour": "workload.prune"' "$T/rep/figures/01-sweep_pareto.json" || fail "pareto: prune not encoded by colour"
grep -q '"marker": "compute.rows"' "$T/rep/figures/01-sweep_pareto.json" && grep -q '"size": "workload.wbits"' "$T/rep/figures/01-sweep_pareto.json" || fail "pareto: rows/wbits not encoded"
# The bit-width figure keeps every configuration: 3 architectures, one line each.
grep -q '"configurations": 3' "$T/rep/figures/02-sweep_bitwidth.json" || fail "bit-width figure dropped configurations"
# Numbered figures, a table of contents, raw-result links, CSV + booktabs tables.
grep -q "Figure 1\. " "$T/rep/report.md" && grep -q "<nav>" "$T/rep/report.html" || fail "no figure numbers or contents"
grep -q "href='../sweep/results.csv'" "$T/rep/report.html" || fail "no link to the raw results"
grep -q '\\toprule' "$T/rep/tables/02-sweep_baseline.tex" || fail "no booktabs table"
head -1 "$T/rep/tables/02-sweep_baseline.csv" | grep -q '^configuration,arch,' || fail "no baseline CSV"
[ "$(grep -c '^\*Figure' "$T/rep/report.md")" = "$(grep '^\*Figure' "$T/rep/report.md" | sed 's/^\*Figure [0-9]*\. //' | sort -u | wc -l)" ] \
  || fail "repeated figure captions"
# The Pareto table names the front points; the run table lists every BERT layer.
grep -q '^| [0-9a-f]\{16\} | rows=' "$T/rep/report.md" || fail "no Pareto table"
for layer in qkv_proj attn_scores attn_context out_proj ffn_up ffn_down; do
  grep -q "^| $layer | " "$T/rep/report.md" || fail "layer $layer missing from the run table"
done
# Deterministic: a second report of the same directories is byte-identical (SVG and text).
"$B" report "$T/sweep" "$T/x/sweep" "$T/run" "$T/run2" --baseline arch=fixed16-iso-area --out "$T/rep2" 2>/dev/null
for f in report.md report.html figures/01-sweep_pareto.svg figures/03-run_roofline.svg tables/02-sweep_baseline.tex; do
  cmp "$T/rep/$f" "$T/rep2/$f" || fail "$f differs between two identical reports"
done
# Bad input: one line, exit 2.
set +e
out=$("$B" report "$T" 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && grep -q "neither a sweep" <<<"$out" || fail "non-result directory: rc=$rc $out"
# Malformed result folders: one located line, exit 2, never a traceback.
bad() {  # NAME: a copy of the sweep, then the edit in "$@"
  rm -rf "$T/bad"; cp -r "$T/sweep" "$T/bad"; "$@"
  set +e; out=$("$B" report "$T/bad" --out "$T/badrep" 2>&1); rc=$?; set -e
  [ $rc -eq 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && ! grep -q Traceback <<<"$out" \
    || fail "malformed folder ($*): rc=$rc $out"
  echo "$out"
}
bad truncate -s 0 "$T/bad/results.csv" | grep -q "results.csv:1: empty file" || fail "empty results.csv not named"
bad sed -i '1s/"point":0/"point":"0"/' "$T/bad/results.jsonl" | grep -q "results.jsonl:1: 'point' must be int" || fail "string point"
bad sed -i '2s/"point_id":"[0-9a-f]*"/"point_id":7/' "$T/bad/results.jsonl" | grep -q "results.jsonl:2: 'point_id' must be str" || fail "int point_id"
bad sed -i '3s/"params":{[^}]*},//' "$T/bad/results.jsonl" | grep -q "results.jsonl:3: missing 'params'" || fail "row without params"
bad sh -c "echo '[1,2]' > '$T/bad/sweep.json'" | grep -q "sweep.json: not a JSON object" || fail "sweep.json array"
set +e; out=$("$B" report "$T/sweep" --baseline arch --out "$T/badrep" 2>&1); rc=$?; set -e
[ $rc -eq 2 ] && grep -q "expected KEY=VALUE" <<<"$out" || fail "--baseline without =: rc=$rc $out"
echo ok
