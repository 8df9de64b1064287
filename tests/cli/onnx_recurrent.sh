#!/usr/bin/env bash
# Real weights of ONNX recurrent nodes: nn.LSTM (2 layers), a bidirectional nn.GRU and nn.RNN
# exported by torch.onnx become layers whose weight operand is the node's W and R side by side in
# PyTorch's gate order. The 2:4 masks made from them equal, byte for byte, those made from the
# PyTorch module's own torch.cat([weight_ih, weight_hh], 1) (an .npz written by
# tests/data/torch/recurrent_fixtures.py), whether the weights come with --onnx or from
# --weights model.onnx; the same matrices in ONNX's gate order give other masks (the check can fail).
TORCH_TEST_MODULES="torch numpy" source "$(dirname "${BASH_SOURCE[0]}")/lib/torch_test.sh"
D=tests/data/torch
"$PY" $D/recurrent_fixtures.py $D "$T" >"$T/log" 2>&1 || fail "fixtures: $(tail -3 "$T/log")"
# check FACTORY LAYERS MACS_PER_INFERENCE (derivations in tests/cli/export_torch.sh; RNN 16 -> 32:
# 32 x (16 + 32) = 1,536 per step x 6 steps = 9,216)
check() {
  local f=$1
  for v in own npz onnx onnx-order; do
    case $v in own) w=();; npz) w=(--weights "$T/$f.npz");; onnx) w=(--weights "$T/$f.onnx");; onnx-order) w=(--weights "$T/$f-onnx-order.npz");; esac
    mkdir -p "$T/$v"
    "$ACCSIM" trace --onnx "$T/$f.onnx" --batch 3 --seq-len 6 --prune nm:2:4 "${w[@]}" --out "$T/$v/$f.yaml" >"$T/$v/$f.out" 2>&1 \
      || fail "$f $v: $(cat "$T/$v/$f.out")"
    grep -q "MACs per inference: $3 -> $3" "$T/$v/$f.out" || fail "$f $v MACs: $(cat "$T/$v/$f.out")"
    grep -q "layers_with_real_weights: $2" "$T/$v/$f.yaml" || fail "$f $v: want $2 layers with real weights: $(grep real_weights "$T/$v/$f.yaml")"
  done
  cmp -s "$T/own/$f.weights.bin" "$T/npz/$f.weights.bin" || fail "$f: ONNX W|R masks differ from PyTorch's cat(weight_ih, weight_hh)"
  cmp -s "$T/onnx/$f.weights.bin" "$T/npz/$f.weights.bin" || fail "$f: --weights model.onnx masks differ from PyTorch's"
  if [ "$f" != rnn ]; then
    cmp -s "$T/onnx-order/$f.weights.bin" "$T/npz/$f.weights.bin" && fail "$f: gate order makes no difference to the masks"
  fi
  return 0
}
check lstm 2 86016
check gru 2 55296
check rnn 1 9216
echo PASS
