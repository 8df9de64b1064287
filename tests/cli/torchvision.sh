#!/usr/bin/env bash
# torchvision resnet18, mobilenet_v2 and vit_b_16 (random weights) through `accsim trace --onnx` and
# scripts/export_trace.py: both give the MACs a PyTorch forward-hook count gives. Each model is
# exported once per run (ViT-B/16 is 346 MB as ONNX). Skipped (77) without python3-torchvision.
set -u
ACCSIM="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
/usr/bin/python3 -c "import torchvision" 2>/dev/null || { echo "SKIP: python3-torchvision is not installed (scripts/setup.sh installs it)"; exit 77; }
for net in resnet18 mobilenet_v2 vit_b_16; do
  want=$(/usr/bin/python3 tests/data/torch/torchvision_export.py $net "$T/$net" 2>"$T/$net.log" | tail -1) || fail "export $net: $(tail -3 "$T/$net.log")"
  [ -n "$want" ] || fail "no hook count for $net"
  "$ACCSIM" trace --onnx "$T/$net.onnx" --out "$T/$net-onnx.yaml" >"$T/o.out" 2>&1 || fail "onnx $net: $(cat "$T/o.out")"
  grep -q "MACs per inference: $want -> $want" "$T/o.out" || fail "onnx $net: hook count $want: $(cat "$T/o.out")"
  ACCSIM="$ACCSIM" scripts/export_trace.py --torch-model "$T/$net.pt" --input-shape 1,3,224,224 --out "$T/$net-pt.yaml" >"$T/p.out" 2>&1 || fail "export_trace $net: $(tail -3 "$T/p.out")"
  grep -q "MACs per inference: $want -> $want" "$T/p.out" || fail "export_trace $net: hook count $want: $(cat "$T/p.out")"
  # Layer names are the module paths, so real weights match every layer (ResNet-18's issue: 1 of 21).
  if [ $net = resnet18 ]; then
    "$ACCSIM" trace --network resnet18 --weights "$T/$net.onnx" --prune nm:2:4 --out "$T/rw.yaml" >/dev/null 2>&1 || fail "zoo resnet18 with onnx weights"
    grep -q "layers_with_real_weights: 21" "$T/rw.yaml" || fail "real weights: $(grep layers_with "$T/rw.yaml")"
  fi
  rm -f "$T/$net.onnx" "$T/$net.pt"
done
echo PASS
