// `accsim trace --hf-config config.json`: a decoder-only Hugging Face model from its config alone.
// A config.json holds dozens of keys this builder has no use for (token ids, rope scaling, ...), so
// unknown keys are not errors here; every key it does read is type- and range-checked.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

#include "sim/core/config.hpp"
#include "sim/workload/zoo/llm.hpp"

namespace accsim {

namespace {

struct Json {
  std::string path;
  YAML::Node root;

  SourceLocation at(const std::string& key) const {
    const YAML::Node n = root[key];
    return SourceLocation{path, n ? n.Mark().line + 1 : 0, key};
  }
  bool has(const std::string& key) const { return root[key] && !root[key].IsNull(); }
  int64_t positive(const std::string& key, int64_t fallback, bool required) const {
    if (!has(key)) {
      if (required) throw InputError(SourceLocation{path, 0, key}, "missing; a decoder-only config needs it");
      return fallback;
    }
    const YAML::Node n = root[key];
    int64_t v = 0;
    if (!n.IsScalar() || !YAML::convert<int64_t>::decode(n, v)) throw InputError(at(key), "expected an integer, got '" + (n.IsScalar() ? n.Scalar() : std::string("a list/map")) + "'");
    if (v < 1 || v > (int64_t{1} << 31)) throw InputError(at(key), "must be within 1..2^31, got " + std::to_string(v));
    return v;
  }
  std::string text(const std::string& key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    if (!root[key].IsScalar()) throw InputError(at(key), "expected a string");
    return root[key].Scalar();
  }
  bool flag(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    bool v = false;
    if (!root[key].IsScalar() || !YAML::convert<bool>::decode(root[key], v)) throw InputError(at(key), "expected true or false");
    return v;
  }
};

// Model types whose blocks are q/k/v/o projections plus a gated MLP (gate/up/down), or OPT's fc1/fc2.
const std::set<std::string> kGated = {"llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "yi", "internlm2"};

}  // namespace

DecoderConfig read_hf_config(const std::string& path) {
  Json j{path, load_yaml_file(path)};  // JSON is YAML 1.2, which yaml-cpp reads
  if (!j.root.IsMap()) throw InputError(SourceLocation{path, 1, ""}, "expected a JSON object (a Hugging Face config.json)");
  DecoderConfig c;
  c.model_type = j.text("model_type", "");
  if (c.model_type != "opt" && !kGated.count(c.model_type)) {
    std::string known = "opt";
    for (const auto& t : kGated) known += ", " + t;
    throw InputError(j.at("model_type"), "model_type '" + c.model_type + "' is not a decoder layout accsim knows (" + known + ")");
  }
  if (j.flag("is_encoder_decoder", false)) throw InputError(j.at("is_encoder_decoder"), "encoder-decoder models are not decoder-only");
  if (j.has("num_local_experts") || j.has("num_experts")) throw InputError(j.at(j.has("num_experts") ? "num_experts" : "num_local_experts"), "mixture-of-experts models are not supported");
  c.hidden = j.positive("hidden_size", 0, true);
  c.intermediate = j.positive(c.model_type == "opt" ? "ffn_dim" : "intermediate_size", 0, true);
  c.layers = j.positive("num_hidden_layers", 0, true);
  c.heads = j.positive("num_attention_heads", 0, true);
  c.kv_heads = j.positive("num_key_value_heads", c.heads, false);
  if (c.heads % c.kv_heads) throw InputError(j.at("num_key_value_heads"), "must divide num_attention_heads (" + std::to_string(c.heads) + ")");
  if (!j.has("head_dim") && c.hidden % c.heads) throw InputError(j.at("hidden_size"), "not a multiple of num_attention_heads and no head_dim given");
  c.head_dim = j.positive("head_dim", c.hidden / c.heads, false);
  c.vocab = j.positive("vocab_size", 0, true);
  c.max_positions = j.positive("max_position_embeddings", 0, false);
  if (j.flag("use_sliding_window", true)) c.sliding_window = j.positive("sliding_window", 0, false);
  if (c.model_type == "opt" && j.positive("word_embed_proj_dim", c.hidden, false) != c.hidden)
    throw InputError(j.at("word_embed_proj_dim"), "OPT models with an embedding projection (opt-350m) are not supported");
  // Hugging Face's PretrainedConfig ties the LM head to the embedding unless the config says not to.
  c.tied_embeddings = j.flag("tie_word_embeddings", true);
  const std::string td = j.text("torch_dtype", "float16");
  if (td == "float16") c.dtype = "fp16";
  else if (td == "bfloat16") c.dtype = "bf16";
  else if (td == "float32") c.dtype = "fp32";
  else throw InputError(j.at("torch_dtype"), "expected float16, bfloat16 or float32, got '" + td + "'");
  c.source = "Hugging Face config.json (" + std::filesystem::path(path).filename().string() + "), model_type " + c.model_type;
  return c;
}

}  // namespace accsim
