#!/usr/bin/env bash
# --format table|json|csv on stdout, and --out DIR with summary.json, layers.csv, resolved_config.yaml.
set -euo pipefail
ACCSIM="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
RUN=(run --arch configs/arch/systolic-32x32.yaml --workload tests/data/small_net.yaml)
die() { echo "FAIL: $*"; exit 1; }

# Table: a header, one row per layer, the total line with units.
"$ACCSIM" "${RUN[@]}" >"$T/table.txt"
grep -q '^layer  *cycles  *stall  *time(us)  *MACs  *util%  *energy(uJ)' "$T/table.txt" || die "table header"
for l in conv dw fc attn rnn total; do grep -q "^$l " "$T/table.txt" || die "table row $l"; done
grep -Eq '^total: [0-9]+ cycles, [0-9.e+-]+ ms, [0-9.e+-]+ uJ, [0-9]+ MACs, utilization [0-9.]+ %, DRAM [0-9.e+-]+ MiB$' "$T/table.txt" \
  || die "total line"

# JSON on stdout is the summary.json document.
"$ACCSIM" "${RUN[@]}" --format json >"$T/stdout.json"
"$ACCSIM" "${RUN[@]}" --format csv >"$T/stdout.csv"
"$ACCSIM" "${RUN[@]}" --out "$T/out" >/dev/null
cmp -s "$T/stdout.json" "$T/out/summary.json" || die "--format json differs from summary.json"
cmp -s "$T/stdout.csv" "$T/out/layers.csv" || die "--format csv differs from layers.csv"

python3 - "$T/out" <<'PY'
import csv, json, sys, yaml
out = sys.argv[1]
s = json.load(open(f"{out}/summary.json"))
for key in ("cycles", "latency_s", "energy_pj", "utilization", "macs", "compute_cycles", "stall_cycles"):
    assert key in s["total"], f"summary.json total lacks {key}"
assert s["units"]["energy_pj"] == "pJ" and s["units"]["latency_s"] == "s"
layers = s["layers"]
assert [l["name"] for l in layers] == ["conv", "dw", "fc", "attn", "rnn"], [l["name"] for l in layers]
for l in layers:
    for key in ("cycles", "compute_cycles", "stall_cycles", "macs", "utilization", "energy_pj", "energy_breakdown_pj"):
        assert key in l, f"layer {l['name']} lacks {key}"
    assert l["cycles"] == l["compute_cycles"] + l["stall_cycles"]
    assert abs(sum(l["energy_breakdown_pj"].values()) - l["energy_pj"]) <= 1e-9 * l["energy_pj"]
    assert 0 < l["utilization"] <= 1
assert s["total"]["cycles"] == sum(l["cycles"] for l in layers)
assert s["total"]["macs"] == sum(l["macs"] for l in layers)
# fc has repeat: 2: its figures are two copies of 5 x 40 x 30 MACs.
fc = layers[2]
assert fc["repeat"] == 2 and fc["macs"] == 2 * 5 * 40 * 30, fc
assert abs(s["total"]["latency_s"] - s["total"]["cycles"] / s["arch"]["clock_hz"]) < 1e-15

rows = list(csv.DictReader(open(f"{out}/layers.csv")))
need = ["layer", "cycles", "compute_cycles", "stall_cycles", "macs", "utilization", "energy_pj"]
missing = [c for c in need if c not in rows[0]]
assert not missing, f"layers.csv lacks {missing}"
assert [r["layer"] for r in rows] == [l["name"] for l in layers]
for r, l in zip(rows, layers):
    assert int(r["cycles"]) == l["cycles"] and int(r["macs"]) == l["macs"]

cfg = yaml.safe_load(open(f"{out}/resolved_config.yaml"))
assert cfg["compute"]["rows"] == 32 and cfg["compute"]["buffers"]["ofmap"]["double_buffered"] is True
assert cfg["sim"]["mode"] == "event" and cfg["dram"]["bandwidth_gb_s"] == 25.6
PY

# The resolved config is itself a valid architecture giving the same result.
"$ACCSIM" run --arch "$T/out/resolved_config.yaml" --workload tests/data/small_net.yaml --format json >"$T/again.json"
python3 -c "
import json,sys
a=json.load(open('$T/stdout.json')); b=json.load(open('$T/again.json'))
assert a['total']==b['total'], 'resolved config changes the result'"

# --set compute.rows=64 reaches the model: fewer row folds, different cycles, recorded in the config.
"$ACCSIM" "${RUN[@]}" --set compute.rows=64 --out "$T/out64" --format json >"$T/64.json"
grep -q '^  rows: 64$' "$T/out64/resolved_config.yaml" || die "--set not in resolved config"
python3 -c "
import json
a=json.load(open('$T/stdout.json')); b=json.load(open('$T/64.json'))
assert a['total']['cycles'] != b['total']['cycles'], 'compute.rows=64 did not change cycles'"

# Layer names from traces are free text: commas and quotes are quoted in the CSV (RFC 4180).
printf 'format: accsim-trace\nversion: 1\nlayers:\n  - {name: "a,b \\"x\\"", op: gemm, m: 4, n: 4, k: 4}\n' >"$T/q.yaml"
"$ACCSIM" run --arch configs/arch/systolic-32x32.yaml --workload "$T/q.yaml" --format csv >"$T/q.csv"
python3 -c "
import csv
rows = list(csv.DictReader(open('$T/q.csv')))
assert rows[0]['layer'] == 'a,b \"x\"', rows[0]['layer']
assert int(rows[0]['macs']) == 64"

# Usage errors exit 2 too.
set +e
"$ACCSIM" "${RUN[@]}" --format xml >/dev/null 2>&1; [ $? -eq 2 ] || die "--format xml should exit 2"
"$ACCSIM" run --workload gemm:m=1,n=1,k=1 >/dev/null 2>&1; [ $? -eq 2 ] || die "missing --arch should exit 2"
"$ACCSIM" run --arch configs/arch/systolic-32x32.yaml --workload gemm:m=1,n=1,k=1 --bogus >/dev/null 2>&1
[ $? -eq 2 ] || die "unknown option should exit 2"
echo "ok"
