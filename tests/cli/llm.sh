#!/usr/bin/env bash
# Decoder LLMs through `accsim trace` and `accsim run`: decode on the A100 model is memory-bound, 2:4
# fp16 moves 56.25 % of the dense weight bytes, group-wise INT4 scales are counted, --quant int8 is
# W8A8, --hf-config and sharded safetensors, and the options' errors.
set -u
ACCSIM="$1"
A100=configs/arch/a100.yaml
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
PY=/usr/bin/python3
fail() { echo "FAIL: $*"; exit 1; }
expect_exit2() {  # expect_exit2 "grep pattern" command...
  local pat="$1"; shift
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  [ $rc -eq 2 ] || fail "exit $rc (want 2): $*; $(cat "$T/err")"
  grep -q -- "$pat" "$T/err" || fail "message lacks '$pat': $(cat "$T/err")"
}
for net in llama2-7b llama3-8b mistral-7b opt-6.7b qwen2.5-7b; do
  "$ACCSIM" trace --list | grep -q "^$net " || fail "--list lacks $net"
done

# Decode of the full Llama-2-7B at batch 1 is bound by memory: the tensor cores are busy < 5 % of
# the time and most cycles wait on DRAM (6.6e9 fp16 weights = 13.2 GB against ~1.5-2 TB/s).
"$ACCSIM" trace --network llama2-7b --mode decode --context 1024 --out "$T/dense.yaml" >/dev/null 2>&1 || fail "trace dense decode"
"$ACCSIM" run --arch $A100 --workload "$T/dense.yaml" --format json >"$T/dense.json" || fail "run dense decode"
$PY - "$T/dense.json" <<'EOF' || fail "decode not memory-bound"
import json, sys
t = json.load(open(sys.argv[1]))["total"]
assert t["utilization"] < 0.05 and t["stall_cycles"] > 0.5 * t["cycles"], t
EOF

# 2:4 on one weight matrix (the rest dense, so the test stays fast): its weight bytes read from HBM
# are 56.25 % of dense (fp16 values at half density + 2-bit indices: 0.5 + 2/16 x 0.5).
"$ACCSIM" trace --network llama2-7b --mode decode --context 1024 --prune-layer 'model.layers.0.mlp.up_proj=nm:2:4' \
  --out "$T/sparse.yaml" >/dev/null 2>&1 || fail "trace 2:4 decode"
"$ACCSIM" run --arch $A100 --workload "$T/sparse.yaml" --format json >"$T/sparse.json" || fail "run 2:4 decode"
# Group-wise INT4 (weight-only, fp16 activations) with fp16 scales per 128: 0.5 + 2/128 bytes per weight.
"$ACCSIM" trace --network llama2-7b --depth 0.0625 --mode decode --context 1024 --quant int4 --quant-group 128 --out "$T/q4.yaml" >"$T/q4.out" 2>&1 || fail "trace int4 g128"
grep -q "quant_group: {size: 128, scale_dtype: fp16, zero_point: false}" "$T/q4.yaml" || fail "int4 trace lacks its groups"
grep -q "activations: {dtype: fp16}" "$T/q4.yaml" || fail "--quant-group must leave activations fp16"
$PY - "$T/dense.json" "$T/sparse.json" <<'EOF' || fail "2:4 weight bytes"
import json, sys
d, s = (json.load(open(p)) for p in sys.argv[1:3])
name = "model.layers.0.mlp.up_proj"
ld = next(l for l in d["layers"] if l["name"] == name)
ls = next(l for l in s["layers"] if l["name"] == name)
act = 4096 * 2  # one fp16 token of 4096 features
ratio = (ls["dram_read_bytes"] - act) / (ld["dram_read_bytes"] - act)
assert abs(ratio - 0.5625) < 1e-6, ratio
EOF

# --quant int8 is W8A8: the int8 systolic array runs the trace; the same with --act-dtype fp16 is
# refused with a hint naming the flag that fixes it.
"$ACCSIM" trace --network small-cnn --quant int8 --out "$T/w8a8.yaml" >/dev/null 2>&1 || fail "trace w8a8"
"$ACCSIM" run --arch configs/arch/systolic-32x32.yaml --workload "$T/w8a8.yaml" >/dev/null || fail "--quant int8 is not W8A8"
"$ACCSIM" trace --network small-cnn --out "$T/fp32.yaml" >/dev/null 2>&1 || fail "trace fp32"
expect_exit2 "accsim trace --quant int8" "$ACCSIM" run --arch configs/arch/systolic-32x32.yaml --workload "$T/fp32.yaml"
expect_exit2 "accsim trace --quant fp16" "$ACCSIM" run --arch $A100 --workload "$T/fp32.yaml"
expect_exit2 "accsim trace --quant int8" "$ACCSIM" run --arch configs/arch/bitfusion.yaml --workload "$T/fp32.yaml"

# The KV cache is its own tensor: fp8 K/V halve the cache bytes the attention products read.
"$ACCSIM" trace --network llama3-8b --mode decode --context 4096 --kv-dtype fp8_e4m3 --out "$T/kv8.yaml" >/dev/null 2>&1 || fail "trace kv fp8"
grep -q "kv_cache: {dtype: fp8_e4m3}" "$T/kv8.yaml" || fail "kv_cache dtype missing"
"$ACCSIM" trace --network llama3-8b --mode decode --context 4096 --out "$T/kv16.yaml" >/dev/null 2>&1 || fail "trace kv bf16"
"$ACCSIM" run --arch $A100 --workload "$T/kv8.yaml" --format json >"$T/kv8.json" || fail "run kv fp8"
"$ACCSIM" run --arch $A100 --workload "$T/kv16.yaml" --format json >"$T/kv16.json" || fail "run kv bf16"
$PY - "$T/kv8.json" "$T/kv16.json" <<'EOF' || fail "fp8 KV bytes"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
name = "model.layers.0.self_attn.context"
r8 = next(l for l in a["layers"] if l["name"] == name)["dram_read_bytes"]
r16 = next(l for l in b["layers"] if l["name"] == name)["dram_read_bytes"]
# V cache: 8 heads x 4097 keys x 128 at 1 vs 2 bytes; the probabilities (bf16) are the same in both.
assert abs((r16 - r8) - 8 * 4097 * 128) < 0.01 * r16, (r8, r16)
EOF

# Any decoder-only HF config; errors name the file and key.
cat >"$T/config.json" <<'EOF'
{"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 256,
 "intermediate_size": 512, "num_hidden_layers": 2, "num_attention_heads": 8, "num_key_value_heads": 2,
 "vocab_size": 1000, "sliding_window": 64, "max_position_embeddings": 512, "torch_dtype": "bfloat16"}
EOF
"$ACCSIM" trace --hf-config "$T/config.json" --mode decode --context 100 --prune nm:2:4 --out "$T/hf.yaml" >"$T/hf.out" 2>&1 || fail "hf config: $(cat "$T/hf.out")"
grep -q "n: 64" "$T/hf.yaml" || fail "sliding window not applied"
# 2 x (2 x 256x256 (q, o) + 2 x 256x64 (k, v: 2 heads of 32) + 3 x 256x512) + LM head 256x1000
grep -q "weight parameters: 1370112" "$T/hf.out" || fail "hf param count: $(cat "$T/hf.out")"
expect_exit2 "does not take --image" "$ACCSIM" trace --network llama2-7b --image 224 --out "$T/x.yaml"
expect_exit2 "not --image" "$ACCSIM" trace --hf-config "$T/config.json" --image 224 --out "$T/x.yaml"
expect_exit2 "does not take --kv-dtype" "$ACCSIM" trace --network resnet18 --kv-dtype fp8 --out "$T/x.yaml"
expect_exit2 "max_position_embeddings" "$ACCSIM" trace --network opt-6.7b --mode decode --context 4096 --out "$T/x.yaml"
expect_exit2 "integer --quant" "$ACCSIM" trace --network llama2-7b --quant fp8_e4m3 --quant-group 128 --out "$T/x.yaml"
echo '{"model_type": "llama", "hidden_size": 64}' >"$T/bad.json"
expect_exit2 "intermediate_size" "$ACCSIM" trace --hf-config "$T/bad.json" --out "$T/x.yaml"

# Sharded safetensors: the index maps tensors to shards; real weights are used for those layers.
$PY - "$T" <<'EOF' || fail "writing shards"
import json, struct, sys, numpy as np
d = sys.argv[1]
def shard(path, tensors):
    hdr, off, blobs = {}, 0, []
    for name, a in tensors.items():
        b = a.astype("<f4").tobytes(); hdr[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}; off += len(b); blobs.append(b)
    h = json.dumps(hdr).encode()
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
z = np.zeros((256, 256), np.float32); z[:, ::2] = 1.0  # every other weight zero: a 2:4-compatible mask
shard(f"{d}/model-00001-of-00002.safetensors", {"model.layers.0.self_attn.q_proj.weight": z})
shard(f"{d}/model-00002-of-00002.safetensors", {"model.layers.1.self_attn.o_proj.weight": z})
json.dump({"metadata": {}, "weight_map": {"model.layers.0.self_attn.q_proj.weight": "model-00001-of-00002.safetensors",
          "model.layers.1.self_attn.o_proj.weight": "model-00002-of-00002.safetensors"}}, open(f"{d}/model.safetensors.index.json", "w"))
EOF
"$ACCSIM" trace --hf-config "$T/config.json" --weights "$T/model.safetensors.index.json" --prune existing --out "$T/real.yaml" >/dev/null 2>&1 || fail "sharded weights"
grep -q "layers_with_real_weights: 2" "$T/real.yaml" || fail "shards not matched: $(grep layers_with "$T/real.yaml")"
echo '{"weight_map": {"x.weight": "../escape.safetensors"}}' >"$T/evil.index.json"
expect_exit2 "not a file beside the index" "$ACCSIM" trace --hf-config "$T/config.json" --weights "$T/evil.index.json" --out "$T/x.yaml"
echo PASS
