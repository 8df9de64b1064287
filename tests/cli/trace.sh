#!/usr/bin/env bash
# accsim trace: traces that `accsim run` reads, checksummed side files, exit 2 on impossible input,
# nothing half-written, real weights through NumPy files and scripts/export_trace.py.
set -u
ACCSIM="$1"
ARCH=configs/arch/systolic-32x32.yaml
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
fail() { echo "FAIL: $*"; exit 1; }
expect_exit2() {  # expect_exit2 "grep pattern" command...
  local pat="$1"; shift
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  [ $rc -eq 2 ] || fail "exit $rc (want 2): $*; $(cat "$T/err")"
  grep -q -- "$pat" "$T/err" || fail "message lacks '$pat': $(cat "$T/err")"
  [ "$(wc -l <"$T/err")" -eq 1 ] || fail "want one error line: $(cat "$T/err")"
}

for net in resnet18 resnet50 vgg16 mobilenetv1 mobilenetv2 bert-base bert-large gpt2-small lstm-lm albert-base small-cnn; do
  "$ACCSIM" trace --list | grep -q "^$net " || fail "--list lacks $net"
done

# A compressed trace runs, and the same inputs give byte-identical files.
"$ACCSIM" trace --network small-cnn --prune nm:2:4 --quant int8 --act-dtype int8 --store-values --out "$T/a.yaml" >/dev/null 2>&1 || fail "trace"
"$ACCSIM" run --arch $ARCH --workload "$T/a.yaml" >/dev/null || fail "run of the trace"
mkdir "$T/again"
"$ACCSIM" trace --network small-cnn --prune nm:2:4 --quant int8 --act-dtype int8 --store-values --out "$T/again/a.yaml" >/dev/null 2>&1
cmp -s "$T/a.yaml" "$T/again/a.yaml" || fail "trace not deterministic"
cmp -s "$T/a.weights.bin" "$T/again/a.weights.bin" || fail "side file not deterministic"

# Every zoo network traces and reads back (quantized, so the int8 systolic array accepts it).
for net in resnet18 mobilenetv2 gpt2-small lstm-lm albert-base; do
  "$ACCSIM" trace --network $net --quant int8 --act-dtype int8 --out "$T/$net.yaml" >/dev/null 2>&1 || fail "trace $net"
  "$ACCSIM" run --arch $ARCH --workload "$T/$net.yaml" --format json >/dev/null || fail "run $net"
done

# Patterns side by side: Laplace weights keep (1 + ln 2)/2 = 84.66 % of their L1 mass when the top
# half survives (unstructured 50 %); 2:4 keeps less; nothing is written.
"$ACCSIM" trace --network bert-base --depth 0.08 --kept-report 'unstructured:0.5;nm:2:4' >"$T/kept" 2>&1 || fail "kept report"
awk '$1=="unstructured:0.5" { if ($3 < 84.4 || $3 > 84.9) exit 1; u=$3 } $1=="nm:2:4" { if ($3 >= u) exit 1; n=1 } END { exit !n }' "$T/kept" \
  || fail "kept report values: $(cat "$T/kept")"
expect_exit2 "does not divide" "$ACCSIM" trace --network small-cnn --kept-report 'bank:16:0.5'

# The trace names the side file's mum64x4 digest; a trace written before it (fnv1a64, the old
# checksum) still reads: its FNV-1a-64 is recomputed here independently, in Python.
grep -q 'mask_checksum: "mum64x4:[0-9a-f]\{16\}"' "$T/a.yaml" || fail "trace lacks a mum64x4 checksum"
"$PY" - "$T" <<'PYEOF' || fail "fnv1a64 rewrite"
import re, sys
t = sys.argv[1]
h = 0xcbf29ce484222325
for b in open(t + "/a.weights.bin", "rb").read():
    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
y = open(t + "/a.yaml").read()
open(t + "/old.yaml", "w").write(re.sub(r'mum64x4:[0-9a-f]{16}', "fnv1a64:%016x" % h, y))
PYEOF
"$ACCSIM" run --arch $ARCH --workload "$T/old.yaml" >/dev/null || fail "a trace with an fnv1a64 checksum no longer reads"

# A side file that does not match its trace.
printf '\x55' | dd of="$T/a.weights.bin" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_exit2 "mask_checksum" "$ACCSIM" run --arch $ARCH --workload "$T/a.yaml"
expect_exit2 "mask_checksum" "$ACCSIM" run --arch $ARCH --workload "$T/old.yaml"

# Impossible patterns: exit 2, one line, and no file left behind.
expect_exit2 "0 < N < M" "$ACCSIM" trace --network small-cnn --prune nm:4:4 --out "$T/x.yaml"
expect_exit2 "does not divide" "$ACCSIM" trace --network small-cnn --prune bank:16:0.5 --out "$T/x.yaml"
expect_exit2 "above min(m, n)" "$ACCSIM" trace --network small-cnn --low-rank rank:9 --low-rank-layers conv1 --out "$T/x.yaml"
expect_exit2 "Tucker-2 ranks" "$ACCSIM" trace --network small-cnn --low-rank rank:4 --conv-decomposition tucker2:9:4 --out "$T/x.yaml"
expect_exit2 "unknown network" "$ACCSIM" trace --network resnet51 --out "$T/x.yaml"
# Layers past the 1e17-MAC limit are refused before any count multiplies their sizes (UBSan):
# bert-base scores at --seq-len 2e9 are 12 heads x (2e9)^2 x 64 = 3.07e21 MACs.
expect_exit2 "exceed the per-layer limit" "$ACCSIM" trace --network bert-base --seq-len 2000000000 --out "$T/x.yaml"
printf 'format: accsim-trace\nversion: 1\nlayers:\n  - {op: gemm, m: 4294967296, n: 4294967296, k: 4294967296}\n' >"$T/huge.yaml"
expect_exit2 "huge.yaml:4: layers\[0\]: layer 'layer0'" "$ACCSIM" trace --from "$T/huge.yaml" --out "$T/x.yaml"
expect_exit2 "cannot" "$ACCSIM" trace --network small-cnn --prune nm:2:4 --out "$T/no/such/dir/x.yaml"
ls "$T" | grep -q '^x\.' && fail "a failed trace left files behind"

# Real weights: zeros of a 2:4-pruned conv become an nm 2:4 mask; bad files are exit 2.
"$PY" - "$T" <<'PYEOF' || fail "numpy setup"
import json, sys
import numpy as np
t = sys.argv[1]
rng = np.random.default_rng(0)
c2 = rng.standard_normal((16, 72)).astype(np.float32)
g = c2.reshape(16, 18, 4)
np.put_along_axis(g, np.argsort(-np.abs(g), axis=2)[:, :, 2:], 0, axis=2)
fc = rng.standard_normal((10, 1024)).astype(np.float32)
fc[np.abs(fc) < 1.0] = 0
np.savez(t + "/w.npz", **{"conv2.weight": g.reshape(16, 8, 3, 3), "fc.weight": fc})
json.dump([{"name": "conv2", "op": "conv2d", "in_channels": 8, "in_h": 16, "in_w": 16, "out_channels": 16,
            "kernel": [3, 3], "padding": [1, 1]},
           {"name": "fc", "op": "linear", "tokens": 1, "in_features": 1024, "out_features": 10}],
          open(t + "/layers.json", "w"))
data = open(t + "/w.npz", "rb").read()
open(t + "/cut.npz", "wb").write(data[: len(data) // 2])
open(t + "/junk.safetensors", "wb").write(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all")
PYEOF
"$ACCSIM" trace --network small-cnn --weights "$T/w.npz" --prune existing --out "$T/r.yaml" >/dev/null 2>&1 || fail "trace with weights"
grep -q "layers_with_real_weights: 2" "$T/r.yaml" || fail "real weights not used"
expect_exit2 "truncated\|end-of-directory" "$ACCSIM" trace --network small-cnn --weights "$T/cut.npz" --out "$T/y.yaml"
expect_exit2 "JSON" "$ACCSIM" trace --network small-cnn --weights "$T/junk.safetensors" --out "$T/y.yaml"
printf 'not a protobuf at all' >"$T/junk.onnx"
expect_exit2 "ONNX" "$ACCSIM" trace --onnx "$T/junk.onnx" --out "$T/y.yaml"
"$ACCSIM" trace --network small-cnn --onnx "$T/junk.onnx" --out "$T/y.yaml" >/dev/null 2>"$T/err"
[ $? -eq 2 ] && head -1 "$T/err" | grep -q "exactly one of" || fail "two network sources: $(cat "$T/err")"
expect_exit2 "needs --weights" "$ACCSIM" trace --network small-cnn --prune existing --out "$T/y.yaml"

# scripts/export_trace.py, NumPy path: the same weights give an nm 2:4 conv and an unstructured fc.
ACCSIM="$ACCSIM" "$PY" scripts/export_trace.py --layers "$T/layers.json" --weights "$T/w.npz" --out "$T/e.yaml" \
  -- --quant int8 --act-dtype int8 >/dev/null 2>&1 || fail "export_trace.py (numpy)"
"$PY" - "$T/e.yaml" <<'PYEOF' || fail "export_trace.py trace content"
import sys, yaml
t = yaml.safe_load(open(sys.argv[1]))
conv, fc = t["layers"]
assert conv["weights"]["compression"]["pattern"] == "nm", conv
assert (conv["weights"]["compression"]["n"], conv["weights"]["compression"]["m"]) == (2, 4)
assert fc["weights"]["compression"]["pattern"] == "unstructured", fc
# |x| < 1 for a standard normal: P = 0.6827, so about that sparsity.
assert abs(fc["weights"]["compression"]["sparsity"] - 0.6827) < 0.03, fc
PYEOF
"$ACCSIM" run --arch $ARCH --workload "$T/e.yaml" >/dev/null || fail "run of the exported trace"

# scripts/export_trace.py, PyTorch path (scripts/setup.sh installs Debian's python3-torch).
"$PY" -c "import torch" 2>/dev/null || fail "python3-torch is missing: run scripts/test.sh, which installs it"
if true; then
  "$PY" - "$T" <<'PYEOF' || fail "torch model setup"
import sys, torch
import torch.nn.utils.prune as prune
m = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8 * 8 * 8, 10))
prune.l1_unstructured(m[3], "weight", amount=0.75)
torch.save(m, sys.argv[1] + "/m.pt")
PYEOF
  ACCSIM="$ACCSIM" "$PY" scripts/export_trace.py --torch-model "$T/m.pt" --input-shape 1,3,8,8 --out "$T/t.yaml" >/dev/null 2>&1 \
    || fail "export_trace.py (torch)"
  grep -q "sparsity: 0.75" "$T/t.yaml" || fail "torch prune mask not exported"
fi
echo "trace CLI: ok"
