#pragma once
// Decoder-only LLMs (Llama/Mistral/Qwen2 layout with a gated MLP and grouped-query attention, and
// OPT's fc1/fc2 layout): every GEMM of one prefill or one decode step, with the KV cache read and
// written as tensors of their own dtype. Built from the numbers of a Hugging Face config.json.
#include <string>

#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

struct DecoderConfig {
  std::string model_type;       // llama layout unless "opt"
  int64_t hidden = 0, intermediate = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0, vocab = 0;
  int64_t max_positions = 0;    // 0 = unbounded
  int64_t sliding_window = 0;   // 0 = full attention; else each query sees at most this many keys
  bool tied_embeddings = false; // the LM head reuses the token embedding (its parameters count once)
  std::string dtype = "fp16";   // torch_dtype of the checkpoint
  std::string source;           // citation of the numbers
};

// Every GEMM of one forward pass. Layer names follow the Hugging Face module names
// (model.layers.N.self_attn.q_proj, ...), so `--weights model.safetensors.index.json` matches.
ZooNetwork build_decoder(const DecoderConfig& c, const ZooOptions& o, const std::string& name);

// Reads the decoder numbers from a Hugging Face config.json (InputError naming the file, line and
// key for a missing or impossible value, or a model type this builder does not know).
DecoderConfig read_hf_config(const std::string& path);

}  // namespace accsim
