#!/usr/bin/env bash
# ONNX external data: a torch.onnx model rewritten by the onnx package with every tensor in one
# file beside it (size_threshold=0, so the shape constants too) imports with the same MACs and the
# same real weights as the in-file model; locations that leave the model's folder, bad keys and
# short files are exit 2 with one line. Skipped (77) without python3-onnx or python3-torch.
TORCH_TEST_MODULES="onnx torch" source "$(dirname "${BASH_SOURCE[0]}")/lib/torch_test.sh"
"$PY" tests/data/torch/export_onnx.py tests/data/torch encoder "$T/in.onnx" 17 >"$T/log" 2>&1 || fail "export: $(tail -3 "$T/log")"
ext() { "$PY" tests/data/torch/external_data.py "$T/in.onnx" "$T/$1/m.onnx" "$2" ${3:-} >"$T/log" 2>&1 || fail "external data $1: $(tail -3 "$T/log")"; }
mkdir -p "$T/one" "$T/sub"
ext one m.data
ext sub weights/m.data  # a location in a subfolder of the model's folder is allowed
# The weights really moved out: 133,120 bytes of float data beside a model file that is smaller.
[ -s "$T/one/m.data" ] && [ "$(stat -c %s "$T/one/m.onnx")" -lt "$(stat -c %s "$T/one/m.data")" ] || fail "no external data file written"
trace() { "$ACCSIM" trace --onnx "$1" --batch 2 --seq-len 10 --prune nm:2:4 --out "$2" >"$2.out" 2>&1 || fail "trace $1: $(cat "$2.out")"; }
trace "$T/in.onnx" "$T/in.yaml"
for d in one sub; do
  trace "$T/$d/m.onnx" "$T/$d/t.yaml"
  # 1,361,920 MACs for batch 2 (tests/cli/export_torch.sh derives them), per inference 680,960.
  grep -q "MACs per inference: 680960 -> 680960" "$T/$d/t.yaml.out" || fail "$d MACs: $(cat "$T/$d/t.yaml.out")"
  # The 8 weight matrices (2 layers x in/out projection, linear1, linear2) are the model's own: the
  # 2:4 masks made from them equal the in-file model's, byte for byte.
  grep -q "layers_with_real_weights: 8" "$T/$d/t.yaml" || fail "$d real weights: $(grep real_weights "$T/$d/t.yaml")"
  cmp -s "$T/in.weights.bin" "$T/$d/t.weights.bin" || fail "$d: masks differ from the in-file model's"
done
grep -q "layers_with_real_weights: 8" "$T/in.yaml" || fail "in-file real weights"
expect_exit2() {  # expect_exit2 DIR "grep pattern"
  "$ACCSIM" trace --onnx "$T/$1/m.onnx" --batch 2 --seq-len 10 --out "$T/$1/t.yaml" >"$T/out" 2>"$T/err"; local rc=$?
  [ $rc -eq 2 ] || fail "$1: exit $rc (want 2): $(cat "$T/err")"
  grep -q -- "$2" "$T/err" || fail "$1: message lacks '$2': $(cat "$T/err")"
  [ "$(wc -l <"$T/err")" -eq 1 ] || fail "$1: want one error line: $(cat "$T/err")"
}
for e in up abs key long far; do mkdir -p "$T/$e"; ext $e m.data $e; done
expect_exit2 up "location '../outside.data' leaves the model's folder"
expect_exit2 abs "is absolute"
expect_exit2 key "unknown external_data key 'basepath'"
expect_exit2 long "external_data length 16388 does not match its dims and type (16384 bytes)"
expect_exit2 far "run past the end of"
mkdir -p "$T/short" "$T/link" "$T/gone"
ext short m.data; truncate -s 1000 "$T/short/m.data"
expect_exit2 short "run past the end of .*(1000 bytes; truncated?)"
ext link m.data; mv "$T/link/m.data" "$T/outside.data"; ln -s "$T/outside.data" "$T/link/m.data"
expect_exit2 link "outside the model's folder"
ext gone m.data; rm "$T/gone/m.data"
expect_exit2 gone "no such file beside the model"
echo PASS
