// Decoder LLMs: parameter counts against the published totals, prefill/decode shapes, grouped-query
// attention, the KV cache's own dtype, and `--hf-config` reading.
#include <gtest/gtest.h>

#include "sim/workload/compress/quantize.hpp"
#include "sim/workload/layer.hpp"
#include "sim/workload/zoo/llm.hpp"
#include "test_support.hpp"

namespace accsim {
namespace {

const Layer& find(const ZooNetwork& n, const std::string& name) {
  for (const auto& l : n.workload.layers)
    if (l.name == name) return l;
  throw std::runtime_error("no layer " + name);
}

// The zoo counts linear weights (the LM head included) but not the token embedding table, biases or
// norms; an untied model's published total adds vocab x hidden for the embedding. Norms (about
// 65 hidden-size vectors, 0.27 M) stay inside the 1 % tolerance.
double published_like(const std::string& name, int64_t vocab, int64_t hidden) {
  return static_cast<double>(network_params(build_network(name, {}))) + static_cast<double>(vocab * hidden);
}

TEST(Llm, Llama2ParamsWithinOnePercentOfPublished) {
  // Touvron et al. 2023: 6.74e9 (HF model card "7B" = 6,738,415,616). By hand: 32 x (4 x 4096^2 +
  // 3 x 4096 x 11008) = 6,476,005,376, + LM head 32000 x 4096 = 131,072,000 (zoo), + embedding 131,072,000.
  EXPECT_EQ(network_params(build_network("llama2-7b", {})), 6476005376 + 131072000);
  EXPECT_NEAR(published_like("llama2-7b", 32000, 4096), 6.74e9, 0.01 * 6.74e9);
}

TEST(Llm, Llama3ParamsWithinOnePercentOfPublished) {
  // Published 8.03e9. Per layer: q, o 4096^2 each, k, v 4096 x 1024 each (8 K/V heads x 128),
  // MLP 3 x 4096 x 14336: 218,103,808; x 32 = 6,979,321,856; LM head and embedding 128256 x 4096 each.
  EXPECT_EQ(network_params(build_network("llama3-8b", {})), 6979321856 + 525336576);
  EXPECT_NEAR(published_like("llama3-8b", 128256, 4096), 8.03e9, 0.01 * 8.03e9);
}

TEST(Llm, MistralParamsWithinOnePercentOfPublished) {
  // Published 7.24e9 (Jiang et al. 2023): the Llama-3 block with a 32000-token vocabulary.
  EXPECT_NEAR(published_like("mistral-7b", 32000, 4096), 7.24e9, 0.01 * 7.24e9);
}

TEST(Llm, OptAndQwenParamsWithinOnePercentOfPublished) {
  // OPT-6.7B ties its LM head to the embedding: the zoo count already holds the table once;
  // published 6.7e9 (Zhang et al. 2022 Table 1); learned positions 2050 x 4096 and biases are the rest.
  EXPECT_NEAR(static_cast<double>(network_params(build_network("opt-6.7b", {}))), 6.7e9, 0.01 * 6.7e9);
  // Qwen2.5-7B: 7.61e9 published (Qwen2.5 report Table 1), untied 152064 x 3584 embedding.
  EXPECT_NEAR(published_like("qwen2.5-7b", 152064, 3584), 7.61e9, 0.01 * 7.61e9);
}

TEST(Llm, DecodeIsOneTokenOverTheCacheWithGroupedHeads) {
  ZooOptions o;
  o.mode = "decode";
  o.context = 1000;
  o.batch = 2;
  const ZooNetwork n = build_network("llama3-8b", o);
  // 32 query heads share 8 K/V heads: a group of 4 queries is packed into M, one instance per K/V
  // head and sequence; keys = 1000 cached + 1 new.
  const Layer& s = find(n, "model.layers.0.self_attn.scores");
  EXPECT_EQ(s.m, 4);
  EXPECT_EQ(s.n, 1001);
  EXPECT_EQ(s.k, 128);
  EXPECT_EQ(s.batch, 16);
  const Layer& q = find(n, "model.layers.0.self_attn.q_proj");
  EXPECT_EQ(q.m, 2);  // batch x 1 token
  EXPECT_EQ(find(n, "model.layers.0.self_attn.k_proj").n, 1024);
  // Attention MACs equal the per-head count: 32 heads x 1001 keys x 128 x 2 sequences.
  EXPECT_EQ(layer_macs(s), int64_t{32} * 1001 * 128 * 2);
}

TEST(Llm, SlidingWindowCapsKeysAndPositionsAreBounded) {
  ZooOptions o;
  o.mode = "decode";
  o.context = 10000;
  EXPECT_EQ(find(build_network("mistral-7b", o), "model.layers.0.self_attn.scores").n, 4096);
  EXPECT_NE(test::input_error([&] { build_network("opt-6.7b", o); }).find("2048"), std::string::npos);
  ZooOptions bad;
  bad.image = 224;
  EXPECT_NE(test::input_error([&] { build_network("llama2-7b", bad); }).find("--image"), std::string::npos);
}

TEST(Llm, KvCacheHasItsOwnDtype) {
  ZooOptions o;
  o.kv_dtype = "fp8_e4m3";
  const ZooNetwork n = build_network("llama2-7b", o);
  const Layer& k = find(n, "model.layers.3.self_attn.k_proj");
  const Layer& ctx = find(n, "model.layers.3.self_attn.context");
  EXPECT_TRUE(k.has_kv_cache);
  EXPECT_EQ(k.kv_cache.dtype.name, "fp8_e4m3");
  EXPECT_DOUBLE_EQ(output_bytes(k), 1.0);            // K appended at 1 byte/element
  EXPECT_DOUBLE_EQ(b_operand_bytes(ctx), 1.0);       // V read at 1 byte/element
  EXPECT_DOUBLE_EQ(ctx.activations.dtype.bytes(), 2.0);  // fp16 probabilities
  EXPECT_FALSE(find(n, "model.layers.3.self_attn.q_proj").has_kv_cache);
}

TEST(Llm, GroupScalesCountInBytes) {
  Layer l;
  l.op = OpKind::Linear;
  parse_dtype("int4", l.weights.dtype);
  l.weights.group = QuantGroup{128, 16, 0};
  // 4 bits + 16-bit scale / 128 weights = 0.5 + 0.015625 bytes per weight.
  EXPECT_DOUBLE_EQ(b_operand_bytes(l) + group_scale_bytes(l), 0.515625);
  l.weights.group.zero_bits = 4;  // asymmetric: a 4-bit zero point per group too
  EXPECT_DOUBLE_EQ(group_scale_bytes(l), 20.0 / 8.0 / 128.0);
}

TEST(Llm, GroupQuantizationHasOneScalePerGroup) {
  std::vector<float> w(2 * 300);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>((static_cast<int>(i) % 17) - 8) * (i < 128 ? 1.0f : 0.01f);
  DType t;
  parse_dtype("int4", t);
  const QuantResult g = quantize(w, 2, 300, QuantSpec{t, false, false, 128});
  EXPECT_EQ(g.scales.size(), 6u);  // ceil(300 / 128) = 3 groups per row
  // The first group holds the large values: its scale is 8/7; the others 0.08/7.
  EXPECT_FLOAT_EQ(g.scales[0], 8.0f / 7.0f);
  EXPECT_FLOAT_EQ(g.scales[1], 0.08f / 7.0f);
  const QuantResult whole = quantize(w, 2, 300, QuantSpec{t, false, false, 0});
  EXPECT_LT(g.rel_l2_error, whole.rel_l2_error);  // small groups no longer crushed to zero
}

TEST(Llm, HfConfigBuildsTheSameNetworkAsTheZoo) {
  const std::string path = test::write_temp("config.json", R"({
  "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096,
  "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
  "num_key_value_heads": 8, "vocab_size": 128256, "max_position_embeddings": 8192,
  "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16"})");
  const DecoderConfig c = read_hf_config(path);
  const ZooNetwork a = build_decoder(c, {}, "x"), b = build_network("llama3-8b", {});
  ASSERT_EQ(a.workload.layers.size(), b.workload.layers.size());
  EXPECT_EQ(network_params(a), network_params(b));
  EXPECT_EQ(network_macs(a.workload), network_macs(b.workload));
  EXPECT_EQ(a.workload.layers[0].weights.dtype.name, "bf16");
}

TEST(Llm, HfConfigErrorsNameTheKey) {
  auto err = [](const std::string& json) { return test::input_error([&] { read_hf_config(test::write_temp("c.json", json)); }); };
  EXPECT_NE(err(R"({"model_type": "llama", "hidden_size": 64})").find("intermediate_size"), std::string::npos);
  EXPECT_NE(err(R"({"model_type": "t5", "hidden_size": 64})").find("model_type"), std::string::npos);
  const std::string kv = err(R"({"model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
    "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 3, "vocab_size": 10})");
  EXPECT_NE(kv.find("c.json:2"), std::string::npos);
  EXPECT_NE(kv.find("num_key_value_heads"), std::string::npos);
  EXPECT_NE(err(R"({"model_type": "llama", "hidden_size": -4})").find("hidden_size"), std::string::npos);
  EXPECT_NE(err(R"({"model_type": "llama", "hidden_size": "big"})").find("integer"), std::string::npos);
}

}  // namespace
}  // namespace accsim
