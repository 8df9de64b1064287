// Transformer encoders/decoders: BERT-base/large (Devlin et al. 2019), ALBERT-base (Lan et al. 2020,
// factorized embedding + cross-layer sharing) and GPT-2 small (Radford et al. 2019). Embedding
// lookups, layer norms, softmax and task heads (BERT pooler) carry no weight GEMMs and are left out.
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

namespace {

struct Dims {
  int64_t layers, hidden, heads, ffn;
};

// One encoder/decoder layer: `tokens` new tokens attend over `keys` tokens (keys = tokens except in
// cached decoding). `fused_qkv`: GPT-2's c_attn computes Q, K and V in one 3H-wide GEMM.
void attention_layer(NetBuilder& b, const std::string& p, const Dims& d, int64_t batch, int64_t tokens, int64_t keys,
                     bool fused_qkv) {
  const int64_t rows = batch * tokens, head_dim = d.hidden / d.heads;
  if (fused_qkv) {
    b.linear(p + "attn.qkv", rows, d.hidden, 3 * d.hidden);
  } else {
    b.linear(p + "attn.query", rows, d.hidden, d.hidden);
    b.linear(p + "attn.key", rows, d.hidden, d.hidden);
    b.linear(p + "attn.value", rows, d.hidden, d.hidden);
  }
  b.matmul(p + "attn.scores", tokens, keys, head_dim, batch * d.heads);   // Q K^T per head
  b.matmul(p + "attn.context", tokens, head_dim, keys, batch * d.heads);  // softmax(.) V per head
  b.linear(p + "attn.out", rows, d.hidden, d.hidden);
  b.linear(p + "ffn.up", rows, d.hidden, d.ffn);
  b.linear(p + "ffn.down", rows, d.ffn, d.hidden);
}

Dims scale(Dims d, const ZooOptions& o) {
  d.layers = scaled(d.layers, o.depth);
  // Width scales the per-head size, so the head count (and attention structure) stays.
  const int64_t head_dim = scaled(d.hidden / d.heads, o.width);
  d.ffn = scaled(d.ffn, o.width);
  d.hidden = head_dim * d.heads;
  return d;
}

ZooNetwork bert(const ZooOptions& o, Dims d, const std::string& source) {
  ZooNetwork net;
  net.source = source;
  d = scale(d, o);
  const int64_t seq = o.seq_len ? o.seq_len : 128;
  NetBuilder b(net.workload, o.batch);
  for (int64_t l = 0; l < d.layers; ++l) attention_layer(b, "layer" + std::to_string(l) + ".", d, o.batch, seq, seq, false);
  return net;
}

ZooNetwork albert_base(const ZooOptions& o) {
  ZooNetwork net;
  net.source = "Lan et al. 2020 (arXiv 1909.11942) Table 1: ALBERT-base E=128 H=768 L=12, all layers share weights";
  const Dims d = scale({12, 768, 12, 3072}, o);
  const int64_t seq = o.seq_len ? o.seq_len : 128;
  NetBuilder b(net.workload, o.batch);
  b.linear("embed_proj", o.batch * seq, 128, d.hidden);  // the factorized embedding's E -> H projection
  for (int64_t l = 0; l < d.layers; ++l) {
    const size_t first = net.workload.layers.size();
    attention_layer(b, "layer" + std::to_string(l) + ".", d, o.batch, seq, seq, false);
    if (l == 0) continue;
    for (size_t i = first; i < net.workload.layers.size(); ++i) {
      const std::string& name = net.workload.layers[i].name;
      if (net.workload.layers[i].op != OpKind::Matmul)
        net.shares_weights_of[name] = std::string("layer0").append(name, name.find('.'), std::string::npos);
    }
  }
  return net;
}

ZooNetwork gpt2_small(const ZooOptions& o) {
  ZooNetwork net;
  net.source = "Radford et al. 2019, GPT-2 small (n_layer 12, n_embd 768, n_head 12, vocab 50257); HF gpt2";
  const Dims d = scale({12, 768, 12, 3072}, o);
  const std::string mode = o.mode.empty() ? "prefill" : o.mode;
  if (mode != "prefill" && mode != "decode") throw InputError("--mode must be prefill or decode for gpt2-small");
  const int64_t seq = o.seq_len ? o.seq_len : 128;
  // Decode: one new token per sequence attends over the KV cache plus itself.
  const int64_t tokens = mode == "decode" ? 1 : seq;
  const int64_t keys = mode == "decode" ? (o.context ? o.context : seq) + 1 : seq;
  if (keys > 1024) throw InputError("gpt2-small attends over at most 1024 positions (n_ctx), asked for " + std::to_string(keys));
  NetBuilder b(net.workload, o.batch);
  for (int64_t l = 0; l < d.layers; ++l) attention_layer(b, std::string("h").append(std::to_string(l)).append("."), d, o.batch, tokens, keys, true);
  // The LM head reuses the token embedding matrix (tied weights): its GEMM is real work, its
  // parameters are the embedding's.
  b.linear("lm_head", o.batch * tokens, d.hidden, 50257);
  return net;
}

const ZooRegistrar rb("bert-base", "BERT-base encoder, L=12 H=768 A=12 (--seq-len, default 128)",
                      [](const ZooOptions& o) { return bert(o, {12, 768, 12, 3072}, "Devlin et al. 2019 (arXiv 1810.04805): BERT-base L=12 H=768 A=12"); },
                      {"seq_len"});
const ZooRegistrar rl("bert-large", "BERT-large encoder, L=24 H=1024 A=16 (--seq-len, default 128)",
                      [](const ZooOptions& o) { return bert(o, {24, 1024, 16, 4096}, "Devlin et al. 2019 (arXiv 1810.04805): BERT-large L=24 H=1024 A=16"); },
                      {"seq_len"});
const ZooRegistrar ra("albert-base", "ALBERT-base, factorized embedding E=128, 12 shared layers", albert_base, {"seq_len"});
const ZooRegistrar rg("gpt2-small", "GPT-2 small, 12 layers (--mode prefill|decode, --seq-len, --context)", gpt2_small,
                      {"seq_len", "mode", "context"});

}  // namespace
}  // namespace accsim
