// Decoder-only LLMs: the zoo entries (numbers from each model's Hugging Face config.json) and the
// builder shared with `accsim trace --hf-config`.
#include "sim/workload/zoo/llm.hpp"

#include <algorithm>

#include "sim/core/dtype.hpp"

namespace accsim {

namespace {

struct Step {
  int64_t tokens = 0;  // new tokens per sequence
  int64_t keys = 0;    // keys each query attends over (cache + new, clipped to the window)
};

Step step_shape(const DecoderConfig& c, const ZooOptions& o, const std::string& name) {
  const std::string mode = o.mode.empty() ? "prefill" : o.mode;
  if (mode != "prefill" && mode != "decode") throw InputError("--mode must be prefill or decode for " + name + ", got '" + mode + "'");
  // Default S: 1024 tokens, or half the model's positions when it has fewer (so that a default decode
  // after S cached tokens also fits).
  const int64_t seq = o.seq_len ? o.seq_len : c.max_positions > 0 ? std::min<int64_t>(1024, c.max_positions / 2) : 1024;
  Step s;
  // Prefill: S new tokens after `--context` cached ones (default none). Decode: one new token per
  // sequence after T cached ones (default T = S), as for gpt2-small.
  s.tokens = mode == "decode" ? 1 : seq;
  const int64_t cached = mode == "decode" ? (o.context ? o.context : seq) : o.context;
  s.keys = cached + s.tokens;
  if (c.max_positions > 0 && s.keys > c.max_positions)
    throw InputError(name + " attends over at most " + std::to_string(c.max_positions) + " positions (max_position_embeddings), asked for " +
                     std::to_string(s.keys));
  // Sliding-window attention (Mistral): each query sees the last `window` keys only.
  if (c.sliding_window > 0 && s.keys > c.sliding_window) s.keys = c.sliding_window;
  return s;
}

void set_dtypes(Layer& l, const DType& t) {
  l.weights.dtype = l.activations.dtype = l.outputs.dtype = t;
  parse_dtype("fp32", l.accumulators.dtype);  // tensor cores accumulate fp16/bf16 products in fp32
}

}  // namespace

ZooNetwork build_decoder(const DecoderConfig& c, const ZooOptions& o, const std::string& name) {
  ZooNetwork net;
  net.source = c.source;
  DType dt, kv;
  if (!parse_dtype(c.dtype, dt)) throw InputError(name + ": unknown dtype '" + c.dtype + "'");
  kv = dt;
  if (!o.kv_dtype.empty() && !parse_dtype(o.kv_dtype, kv)) throw InputError("--kv-dtype: unknown dtype '" + o.kv_dtype + "'");
  const int64_t layers = scaled(c.layers, o.depth);
  const int64_t head_dim = scaled(c.head_dim, o.width), inter = scaled(c.intermediate, o.width);
  const int64_t q_dim = c.heads * head_dim, kv_dim = c.kv_heads * head_dim, hidden = scaled(c.hidden, o.width);
  const int64_t group = c.heads / c.kv_heads;  // query heads sharing one K/V head
  const Step s = step_shape(c, o, name);
  const int64_t rows = o.batch * s.tokens;
  NetBuilder b(net.workload, o.batch);
  const bool opt = c.model_type == "opt";
  for (int64_t i = 0; i < layers; ++i) {
    const std::string p = (opt ? "model.decoder.layers." : "model.layers.") + std::to_string(i) + ".";
    b.linear(p + "self_attn.q_proj", rows, hidden, q_dim);
    b.linear(p + "self_attn.k_proj", rows, hidden, kv_dim);
    b.linear(p + "self_attn.v_proj", rows, hidden, kv_dim);
    // A GQA kernel packs the `group` query heads of one K/V head into the M dimension, so each
    // cached K/V head is read once per sequence (FlashDecoding-style), not once per query head.
    b.matmul(p + "self_attn.scores", s.tokens * group, s.keys, head_dim, o.batch * c.kv_heads);   // Q K^T
    b.matmul(p + "self_attn.context", s.tokens * group, head_dim, s.keys, o.batch * c.kv_heads);  // P V
    b.linear(p + (opt ? "self_attn.out_proj" : "self_attn.o_proj"), rows, q_dim, hidden);
    if (opt) {
      b.linear(p + "fc1", rows, hidden, inter);
      b.linear(p + "fc2", rows, inter, hidden);
    } else {
      b.linear(p + "mlp.gate_proj", rows, hidden, inter);
      b.linear(p + "mlp.up_proj", rows, hidden, inter);
      b.linear(p + "mlp.down_proj", rows, inter, hidden);
    }
  }
  // Logits for every new token, as the model's forward pass computes them.
  b.linear("lm_head", rows, hidden, c.vocab);
  for (Layer& l : net.workload.layers) {
    set_dtypes(l, dt);
    const bool kv_write = l.name.size() > 7 && (l.name.compare(l.name.size() - 7, 7, ".k_proj") == 0 || l.name.compare(l.name.size() - 7, 7, ".v_proj") == 0);
    if (l.op == OpKind::Matmul || kv_write) {
      l.has_kv_cache = true;
      l.kv_cache.dtype = kv;
    }
  }
  return net;
}

namespace {

DecoderConfig llama2_7b() {
  DecoderConfig c{"llama", 4096, 11008, 32, 32, 32, 128, 32000, 4096, 0, false, "fp16",
                  "Touvron et al. 2023 (arXiv 2307.09288); HF meta-llama/Llama-2-7b-hf config.json: hidden_size 4096, "
                  "intermediate_size 11008, num_hidden_layers 32, num_attention_heads 32, num_key_value_heads 32, vocab_size 32000, "
                  "max_position_embeddings 4096, torch_dtype float16"};
  return c;
}
DecoderConfig llama3_8b() {
  return {"llama", 4096, 14336, 32, 32, 8, 128, 128256, 8192, 0, false, "bf16",
          "Meta Llama 3 (2024); HF meta-llama/Meta-Llama-3-8B config.json: hidden_size 4096, intermediate_size 14336, "
          "num_hidden_layers 32, num_attention_heads 32, num_key_value_heads 8 (GQA), vocab_size 128256, "
          "max_position_embeddings 8192, torch_dtype bfloat16"};
}
DecoderConfig mistral_7b() {
  return {"mistral", 4096, 14336, 32, 32, 8, 128, 32000, 32768, 4096, false, "bf16",
          "Jiang et al. 2023 (arXiv 2310.06825) Table 1; HF mistralai/Mistral-7B-v0.1 config.json: hidden_size 4096, "
          "intermediate_size 14336, num_hidden_layers 32, num_attention_heads 32, num_key_value_heads 8, vocab_size 32000, "
          "sliding_window 4096, max_position_embeddings 32768, torch_dtype bfloat16"};
}
DecoderConfig opt_6_7b() {
  return {"opt", 4096, 16384, 32, 32, 32, 128, 50272, 2048, 0, true, "fp16",
          "Zhang et al. 2022 (arXiv 2205.01068) Table 1; HF facebook/opt-6.7b config.json: hidden_size 4096, ffn_dim 16384, "
          "num_hidden_layers 32, num_attention_heads 32, vocab_size 50272, max_position_embeddings 2048, tied LM head, "
          "torch_dtype float16"};
}
DecoderConfig qwen25_7b() {
  return {"qwen2", 3584, 18944, 28, 28, 4, 128, 152064, 131072, 0, false, "bf16",
          "Qwen2.5 technical report (arXiv 2412.15115) Table 1; HF Qwen/Qwen2.5-7B config.json: hidden_size 3584, "
          "intermediate_size 18944, num_hidden_layers 28, num_attention_heads 28, num_key_value_heads 4, vocab_size 152064, "
          "max_position_embeddings 131072, use_sliding_window false, torch_dtype bfloat16"};
}

const std::set<std::string> kLlmOptions = {"seq_len", "mode", "context", "kv_dtype"};
const char* kModes = " (--mode prefill|decode, --seq-len, --context, --kv-dtype)";

const ZooRegistrar r1("llama2-7b", std::string("Llama-2-7B decoder, 32 layers, MHA") + kModes,
                      [](const ZooOptions& o) { return build_decoder(llama2_7b(), o, "llama2-7b"); }, kLlmOptions);
const ZooRegistrar r2("llama3-8b", std::string("Llama-3-8B decoder, 32 layers, GQA 32/8") + kModes,
                      [](const ZooOptions& o) { return build_decoder(llama3_8b(), o, "llama3-8b"); }, kLlmOptions);
const ZooRegistrar r3("mistral-7b", std::string("Mistral-7B v0.1, GQA 32/8, 4096-token sliding window") + kModes,
                      [](const ZooOptions& o) { return build_decoder(mistral_7b(), o, "mistral-7b"); }, kLlmOptions);
const ZooRegistrar r4("opt-6.7b", std::string("OPT-6.7B decoder, 32 layers, tied LM head") + kModes,
                      [](const ZooOptions& o) { return build_decoder(opt_6_7b(), o, "opt-6.7b"); }, kLlmOptions);
const ZooRegistrar r5("qwen2.5-7b", std::string("Qwen2.5-7B decoder, 28 layers, GQA 28/4") + kModes,
                      [](const ZooOptions& o) { return build_decoder(qwen25_7b(), o, "qwen2.5-7b"); }, kLlmOptions);

}  // namespace
}  // namespace accsim
