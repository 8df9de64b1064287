#pragma once
// `accsim trace`: a zoo network through the compression passes to a trace file (format v1) plus a
// binary side file of weight masks / quantized values (side_file.hpp). Pass order is fixed:
// depthwise-separable substitution -> low-rank factorization -> pruning -> quantization
// (width/depth multipliers are applied when the network is built). Each pass is recorded in the
// trace's provenance block with the parameter and MAC counts after it.
#include <optional>
#include <string>
#include <vector>

#include "sim/core/dtype.hpp"
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

struct LayerRule {
  std::string glob;   // layer-name pattern (fnmatch: * ? [..])
  std::string value;  // the rule's setting, e.g. a prune spec or a dtype name
};

struct TraceRequest {
  std::string network;
  std::string from_trace;        // instead of a zoo network: the layers of an existing trace
  std::string onnx;              // instead of a zoo network: an ONNX model's graph (and its weights)
  std::string hf_config;         // instead of a zoo network: a decoder-only Hugging Face config.json
  ZooOptions zoo;
  bool batch_given = false;      // --batch was on the command line (an ONNX graph must be able to take it)
  uint64_t seed = 1;             // synthetic weights
  std::string weights_path;      // optional .npy/.npz/.safetensors with real weights
  bool exempt_first = false, exempt_last = false;  // first/last weight layers are not pruned or factorized

  bool depthwise_separable = false;
  std::string low_rank;          // "" | rank:R | energy:F
  std::string conv_decomposition = "svd";  // svd | tucker2:R_IN:R_OUT | cp:R
  std::string low_rank_layers = "*";       // which layers the low-rank pass touches

  std::string prune;             // "" | a prune spec (trace.hpp parse_prune_spec) | "existing" (zeros of --weights)
  bool prune_global = false;     // unstructured only: one threshold across the network
  std::vector<LayerRule> prune_layers;  // per-layer override ("dense" exempts)

  std::string quant;             // "" or a dtype name for all weights
  bool per_channel = false, asymmetric = false;
  int64_t quant_group = 0;       // > 0: group-wise weight-only quantization (activations keep their format)
  std::vector<LayerRule> quant_layers;  // mixed precision: per-layer dtype ("none" leaves fp32)
  std::string act_dtype;         // activations/outputs dtype; "" = the --quant format (W8A8 for int8), or the
                                 // network's own when --quant is absent or weight-only (--quant-group)
  bool store_values = false;     // put quantized codes in the side file

  std::string out;               // trace path; the side file goes beside it
};

struct TraceSummary {
  int64_t params_before = 0, params_after = 0, nonzeros_after = 0;
  int64_t macs_before = 0, macs_after = 0;
  size_t layers = 0;
  double kept_l1 = 1, kept_l2 = 1;
  std::string side_file;         // empty when no layer needed one
  uint64_t side_bytes = 0;
};

TraceSummary write_trace(const TraceRequest& req);

// For each prune spec, over all non-exempt weights of the request's network (after its structural
// passes): the density kept and the fraction of L1 / L2 weight magnitude kept. Writes nothing.
struct KeptRow {
  std::string spec;
  double density = 1, l1 = 1, l2 = 1;
};
std::vector<KeptRow> kept_magnitude_report(const TraceRequest& req, const std::vector<std::string>& specs);

// Writes `text` to `path` through a temporary file and rename, so readers never see half a file.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace accsim
