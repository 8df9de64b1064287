#!/usr/bin/env bash
# `accsim trace --onnx` at every opset from 11 to 18: nn.TransformerEncoder, nn.Transformer, nn.LSTM
# and a bidirectional nn.GRU exported by torch.onnx at each opset it can write (11-17 with Debian's
# torch 1.13; opset 18 rewritten by hand from the opset-13 export, tests/data/torch/opset_fixtures.py)
# import with the hand-counted MACs per inference (derivations in tests/cli/export_torch.sh).
# Skipped (77) without python3-torch or python3-onnx.
TORCH_TEST_MODULES="onnx torch" source "$(dirname "${BASH_SOURCE[0]}")/lib/torch_test.sh"
opsets=$("$PY" tests/data/torch/opset_fixtures.py tests/data/torch "$T" 2>"$T/log" | tail -1) || fail "fixtures: $(tail -3 "$T/log")"
[ "$opsets" = "11 12 13 14 15 16 17 18" ] || fail "want opsets 11-18, got '$opsets'"
check() {  # check NAME OPSET BATCH SEQ MACS_PER_INFERENCE
  "$ACCSIM" trace --onnx "$T/$1-$2.onnx" --batch "$3" --seq-len "$4" --out "$T/$1-$2.yaml" >"$T/out" 2>&1 || fail "$1 opset $2: $(cat "$T/out")"
  grep -q "MACs per inference: $5 -> $5" "$T/out" || fail "$1 opset $2: want $5 MACs per inference: $(cat "$T/out")"
}
for opset in $opsets; do
  check encoder $opset 2 10 680960       # 1,361,920 for the batch of 2
  check transformer $opset 2 7 129856    # 259,712 / 2
  check lstm $opset 3 6 86016            # 258,048 / 3
  check gru $opset 3 6 55296             # 165,888 / 3
done
echo PASS
