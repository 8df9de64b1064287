#!/usr/bin/env bash
# scripts/export_trace.py and `accsim trace --onnx` on models defined in a user file: every GEMM of
# nn.TransformerEncoder (batch_first), nn.Transformer (two inputs), nn.LSTM, nn.GRU and
# einsum/matmul between activations is recorded; the MACs below are derived by hand.
set -u
ACCSIM="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
M=tests/data/torch/models.py
check() {  # check FACTORY EXPECTED_MACS
  ACCSIM="$ACCSIM" scripts/export_trace.py --torch-model "$M:$1" --out "$T/$1.yaml" >"$T/$1.out" 2>&1 || fail "$1: $(cat "$T/$1.out")"
  grep -q "MACs per inference: $2 -> $2" "$T/$1.out" || fail "$1: want $2 MACs: $(cat "$T/$1.out")"
  "$ACCSIM" run --arch configs/arch/a100.yaml --workload "$T/$1.yaml" >/dev/null 2>&1 || true  # fp32: refused, that is fine
}
# Encoder, 2 layers, batch 2 x 10 tokens, d 64, 4 heads of 16, FFN 128: per layer Q,K,V 3x20x64x64
# = 245,760, out 81,920, scores and context 2 x 10x10x16 x 8 (batch x heads) = 25,600, FFN
# 2 x 20x64x128 = 327,680: 680,960; x 2 = 1,361,920.
check encoder 1361920
# nn.Transformer d 32, 4 heads, FFN 64, 1+1 layers, source 7 x batch 2, target 5 x 2. Encoder:
# 3x14x32x32 + 14x32x32 + 2x(7x7x8x8) + 2x14x32x64 = 120,960. Decoder self-attention 30,720 +
# 10,240 + 2x(5x5x8x8) = 44,160; cross-attention Q 10,240 + K,V over memory 2x14x1024 + 2x(5x7x8x8)
# + out 10,240 = 53,632; FFN 40,960: 138,752. Total 259,712.
check transformer 259712
# LSTM 16 -> 32, 2 layers, 6 steps, batch 3: 3x128x(16+32)x6 + 3x128x(32+32)x6 = 258,048.
check lstm 258048
# Bidirectional GRU 16 -> 32: 2 directions x 3x96x48x6 = 165,888.
check gru 165888
# einsum bij,bjk->bik on 3x5x8 (3x5x5x8 = 600) then @ 3x5x2 (3x5x5x2 = 150).
check bmm 750
grep -q "op: lstm" "$T/lstm.yaml" && grep -q "op: gru" "$T/gru.yaml" && grep -q "op: matmul" "$T/encoder.yaml" || fail "ops"
# The same models through torch.onnx (symbolic batch and sequence axes) and `accsim trace --onnx`:
# the same MACs, per inference (the batch divided out). Every opset 11-18 is checked in
# tests/cli/onnx_opsets.sh; here the files the name and option checks below read.
onnx_check() {  # onnx_check FACTORY OPSET BATCH SEQ EXPECTED_MACS_PER_INFERENCE
  /usr/bin/python3 tests/data/torch/export_onnx.py tests/data/torch "$1" "$T/$1-$2.onnx" "$2" >"$T/onnx.log" 2>&1 || fail "torch.onnx export of $1: $(tail -3 "$T/onnx.log")"
  "$ACCSIM" trace --onnx "$T/$1-$2.onnx" --batch "$3" --seq-len "$4" --out "$T/$1-$2.yaml" >"$T/$1.out" 2>&1 || fail "onnx $1 opset $2: $(cat "$T/$1.out")"
  grep -q "MACs per inference: $5 -> $5" "$T/$1.out" || fail "onnx $1 opset $2: want $5: $(cat "$T/$1.out")"
}
onnx_check encoder 17 2 10 680960                                        # 1,361,920 / 2
onnx_check lstm 13 3 6 86016                                             # 258,048 / 3
grep -q 'name: "layers.0.self_attn.out_proj"' "$T/encoder-17.yaml" || fail "onnx layer names"
"$ACCSIM" trace --onnx "$T/lstm-13.onnx" --batch 3 --seq-len 6 --image 32 --out "$T/x.yaml" >"$T/err" 2>&1 && fail "--image accepted for an LSTM graph"
grep -q -- "--image does not apply" "$T/err" || fail "--image message: $(cat "$T/err")"
# Without accsim: a clear message, not a traceback.
ACCSIM=/nonexistent/accsim scripts/export_trace.py --torch-model "$M:lstm" --out "$T/x.yaml" >"$T/err" 2>&1 && fail "no accsim accepted"
grep -q "put accsim on PATH, set ACCSIM" "$T/err" || fail "no-accsim message: $(cat "$T/err")"
grep -q Traceback "$T/err" && fail "traceback"
scripts/export_trace.py --torch-model "$M:nothing" --out "$T/x.yaml" >"$T/err" 2>&1 && fail "missing factory accepted"
grep -q "has no function 'nothing'" "$T/err" || fail "factory message: $(cat "$T/err")"
echo PASS
