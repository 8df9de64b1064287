// Trace format v1 reader (docs/trace-format.md). Every key is checked; unknown keys are errors.
#include <filesystem>

#include <map>

#include "sim/core/config.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/parse_number.hpp"
#include "sim/workload/side_file.hpp"
#include "sim/workload/trace.hpp"

namespace accsim {

namespace {

// Fields stored as int (pattern sizes) or multiplied into window arithmetic (conv geometry) must
// fit 32 bits; a larger value is an error naming it, never a truncated number.
int int32_field(ConfigNode& node, const std::string& key, int64_t v) {
  if (!node.describing() && (v < INT32_MIN || v > kInt32Max))
    node.fail(key, "must fit a 32-bit integer (got " + std::to_string(v) + ")");
  return static_cast<int>(v);
}

// One trace load: its folder, and the side files its layers name, each hashed, checked and opened
// once per load (not cached across loads: a run's state lives with the run).
struct TraceDir {
  std::string path;
  std::map<std::string, std::shared_ptr<const SideFile>> side_files;  // file_identity -> file
  std::map<std::string, std::string> checksums;                       // file_identity|algorithm -> checksum
};

// A scalar or a [h, w] pair, for kernel/stride/padding/dilation.
void read_pair(ConfigNode& node, const std::string& key, int64_t fallback, int64_t& h, int64_t& w,
               bool allow_zero) {
  h = w = fallback;
  if (!node.has(key)) {
    node.get<int64_t>(key, fallback, "", "");
    return;
  }
  const YAML::Node v = node.raw()[key];
  auto as_int = [&](const YAML::Node& x) -> int64_t {
    try {
      return x.as<int64_t>();
    } catch (const std::exception&) {
      node.fail(key, "expected an integer or [h, w]");
    }
  };
  if (v.IsSequence()) {
    if (v.size() != 2) node.fail(key, "expected [h, w]");
    h = as_int(v[0]);
    w = as_int(v[1]);
    node.consume(key);
  } else {
    h = w = node.get<int64_t>(key, fallback, "", "");
  }
  if (h < (allow_zero ? 0 : 1) || w < (allow_zero ? 0 : 1))
    node.fail(key, allow_zero ? "must be >= 0" : "must be > 0");
  int32_field(node, key, h);
  int32_field(node, key, w);
}

DType read_dtype(ConfigNode& node, const std::string& key, const DType& fallback) {
  const std::string text = node.get<std::string>(key, fallback.name, "", "numeric format");
  DType t;
  if (!parse_dtype(text, t)) node.fail(key, "unknown dtype '" + text + "'");
  return t;
}

Compression read_compression(ConfigNode node, TraceDir& dir) {
  Compression c;
  const std::string pattern =
      node.get_choice("pattern", "dense", {"dense", "unstructured", "block", "bank", "nm"}, "sparsity pattern");
  double sparsity = node.get<double>("sparsity", 0.0, "fraction", "fraction of weights pruned");
  // A sparsity that the pattern would ignore is a mistake in the trace, not something to drop.
  if (node.has("sparsity") && (pattern == "dense" || pattern == "nm"))
    node.fail("sparsity", pattern == "dense" ? "a dense tensor has no sparsity (use pattern: unstructured)"
                                             : "N:M sparsity is set by n and m, not by sparsity");
  if (pattern == "dense") {
    c.pattern = SparsityPattern::Dense;
  } else if (pattern == "unstructured") {
    c.pattern = SparsityPattern::Unstructured;
  } else if (pattern == "block") {
    c.pattern = SparsityPattern::Block;
    c.block_rows = int32_field(node, "block_rows", node.get<int64_t>("block_rows", 4, "elements", "block height"));
    c.block_cols = int32_field(node, "block_cols", node.get<int64_t>("block_cols", 4, "elements", "block width"));
  } else if (pattern == "bank") {
    c.pattern = SparsityPattern::BankBalanced;
    c.bank_size = int32_field(node, "bank_size", node.require<int64_t>("bank_size", "elements", "elements per bank"));
  } else {
    c.pattern = SparsityPattern::NM;
    c.nm_n = int32_field(node, "n", node.require<int64_t>("n", "", "nonzeros per group"));
    c.nm_m = int32_field(node, "m", node.require<int64_t>("m", "", "group size"));
    if (c.nm_m > 0) sparsity = 1.0 - static_cast<double>(c.nm_n) / c.nm_m;
  }
  c.density = 1.0 - sparsity;
  const std::string mask = node.get("mask_file", "", "path", "mask/weights side file, relative to the trace");
  if (!mask.empty()) {
    c.mask_file = (std::filesystem::path(dir.path) / mask).string();
    if (const std::string problem = input_path_problem(c.mask_file); !problem.empty()) node.fail("mask_file", problem);
    // A side file that no longer matches its trace would feed the hardware the wrong masks.
    const std::string want = node.require<std::string>("mask_checksum", "", "mum64x4 (or older fnv1a64) digest of the side file");
    // Keyed by file and algorithm: older traces name fnv1a64 (docs/workloads.md).
    const std::string id = file_identity(c.mask_file);
    const std::string key = id + "|" + want.substr(0, want.find(':'));
    auto it = dir.checksums.find(key);
    if (it == dir.checksums.end()) it = dir.checksums.emplace(key, file_checksum(c.mask_file, want)).first;
    if (it->second != want)
      node.fail("mask_checksum", "side file " + c.mask_file + " has checksum " + it->second + ", the trace expects " + want);
    auto& opened = dir.side_files[id];
    if (!opened) opened = SideFile::open(c.mask_file);
    c.side_file = opened;
  }
  c.seed = static_cast<uint64_t>(node.get<int64_t>("seed", 0, "", "seed of synthetic weights"));
  validate_compression(c, node.where());
  node.finish();
  return c;
}

// Group-wise quantization of the weights: scales (and zero points) that travel with them.
QuantGroup read_quant_group(ConfigNode node, const DType& weights) {
  QuantGroup g;
  g.size = node.require_positive("size", "elements", "weights per scale, along the reduction dimension");
  DType scale;
  parse_dtype("fp16", scale);
  scale = read_dtype(node, "scale_dtype", scale);
  g.scale_bits = scale.bits;
  g.zero_bits = node.get<bool>("zero_point", false, "", "asymmetric: a zero point per group at the weight width") ? weights.bits : 0;
  node.finish();
  return g;
}

TensorSpec read_tensor(ConfigNode parent, const std::string& key, const TensorSpec& fallback,
                       TraceDir& dir, bool allow_compression, bool allow_zeros = false, bool allow_values = false) {
  TensorSpec t = fallback;
  if (!parent.has(key)) return t;
  ConfigNode node = parent.child(key, "tensor description");
  t.dtype = read_dtype(node, "dtype", fallback.dtype);
  if (node.has("bits")) {
    if (node.has("dtype")) node.fail("bits", "give either dtype or bits, not both");
    const int64_t bits = node.get<int64_t>("bits", 8, "bits", "integer width");
    if (bits < 1 || bits > 32) node.fail("bits", "must be within 1..32");
    t.dtype = int_dtype(static_cast<int>(bits));
  }
  if (allow_compression && node.has("compression"))
    t.compression = read_compression(node.child("compression", "compression"), dir);
  if (allow_compression && node.has("quant_group")) t.group = read_quant_group(node.child("quant_group", "group-wise quantization"), t.dtype);
  if (allow_values && node.has("values")) {
    const std::string text = node.get<std::string>("values", "randn", "", "value distribution");
    if (!parse_value_dist(text, t.values)) node.fail("values", std::string("unknown distribution '") + text + "' (known: " + value_dist_forms() + ")");
  }
  if (allow_zeros && node.has("zero_fraction")) {
    t.zero_fraction = node.get<double>("zero_fraction", 0.0, "fraction", "measured fraction of zero activations");
    if (!(t.zero_fraction >= 0 && t.zero_fraction < 1)) node.fail("zero_fraction", "must be in [0, 1)");
  }
  node.finish();
  return t;
}

struct TensorDefaults {
  TensorSpec weights, activations, outputs, accumulators;
};

void read_tensors(ConfigNode& node, const TensorDefaults& d, Layer& l, TraceDir& dir) {
  l.weights = read_tensor(node, "weights", d.weights, dir, true, false, true);
  l.activations = read_tensor(node, "activations", d.activations, dir, false, true, true);
  l.outputs = read_tensor(node, "outputs", d.outputs, dir, false);
  l.accumulators = read_tensor(node, "accumulators", d.accumulators, dir, false);
}

Layer read_layer(ConfigNode node, const TensorDefaults& defaults, TraceDir& dir, size_t index) {
  Layer l;
  l.origin = node.where();
  l.name = node.get("name", ("layer" + std::to_string(index)).c_str(), "", "layer name");
  const std::string op = node.get_choice("op", "gemm", {"conv2d", "linear", "gemm", "matmul", "lstm", "gru"}, "operation");
  l.repeat = node.get_positive("repeat", int64_t{1}, "", "identical consecutive copies of this layer");
  l.batch = node.get_positive("batch", int64_t{1}, "", "batch (conv, lstm), instances (gemm, matmul)");
  if (op == "conv2d") {
    l.op = OpKind::Conv2d;
    l.in_channels = node.require_positive("in_channels", "", "input channels");
    l.in_h = int32_field(node, "in_h", node.require_positive("in_h", "pixels", "input height"));
    l.in_w = int32_field(node, "in_w", node.require_positive("in_w", "pixels", "input width"));
    l.out_channels = node.require_positive("out_channels", "", "output channels");
    read_pair(node, "kernel", 1, l.kernel_h, l.kernel_w, false);
    read_pair(node, "stride", 1, l.stride_h, l.stride_w, false);
    read_pair(node, "padding", 0, l.pad_h, l.pad_w, true);
    read_pair(node, "dilation", 1, l.dilation_h, l.dilation_w, false);
    l.groups = node.get_positive("groups", int64_t{1}, "", "groups (= in_channels for depthwise)");
    if (l.in_channels % l.groups || l.out_channels % l.groups)
      node.fail("groups", "must divide in_channels and out_channels");
    if (l.out_h() <= 0 || l.out_w() <= 0) node.fail("kernel", "kernel larger than the padded input");
  } else if (op == "linear") {
    l.op = OpKind::Linear;
    l.m = node.get_positive("tokens", int64_t{1}, "", "rows of the input (tokens or batch)");
    l.k = node.require_positive("in_features", "", "input features");
    l.n = node.require_positive("out_features", "", "output features");
  } else if (op == "gemm" || op == "matmul") {
    l.op = op == "gemm" ? OpKind::Gemm : OpKind::Matmul;
    l.m = node.require_positive("m", "", "rows of the output");
    l.n = node.require_positive("n", "", "columns of the output");
    l.k = node.require_positive("k", "", "reduction length");
  } else {
    l.op = op == "lstm" ? OpKind::Lstm : OpKind::Gru;
    l.input_size = node.require_positive("input_size", "", "input features");
    l.hidden_size = node.require_positive("hidden_size", "", "hidden units");
    l.steps = node.get_positive("steps", int64_t{1}, "", "time steps run in sequence");
  }
  const bool own_weights = node.has("weights");
  read_tensors(node, defaults, l, dir);
  // A matmul's B operand is an activation: without its own `weights` map it takes the activation
  // format (a trace's weight default must not make attention a mixed-format product).
  if (l.op == OpKind::Matmul && !own_weights) l.weights.dtype = l.activations.dtype;
  if (node.has("kv_cache")) {
    // The cached K/V a matmul reads, or the K/V a projection appends (docs/trace-format.md).
    if (l.op != OpKind::Matmul && l.op != OpKind::Linear) node.fail("kv_cache", "applies to matmul and linear layers only");
    l.has_kv_cache = true;
    l.kv_cache = read_tensor(node, "kv_cache", l.activations, dir, false);
  }
  node.finish();
  return l;
}

}  // namespace

Workload read_trace_file(const std::string& path) {
  YAML::Node root = load_yaml_file(path);
  ConfigNode top = open_config(root, path);
  const std::string format = top.require<std::string>("format", "", "must be accsim-trace");
  if (format != "accsim-trace") top.fail("format", "expected 'accsim-trace'");
  const int64_t version = top.require<int64_t>("version", "", "trace format version");
  if (version != 1) top.fail("version", "unsupported trace version " + std::to_string(version) + " (this accsim reads 1)");
  Workload w;
  w.source = path;
  w.name = top.get("name", std::filesystem::path(path).stem().string().c_str(), "", "network name");
  top.get("description", "", "", "free text");
  // How the trace was made (network, passes, counts before/after): recorded, not simulated.
  if (top.has("provenance")) top.consume("provenance");
  TraceDir dir{std::filesystem::path(path).parent_path().string(), {}, {}};

  TensorDefaults defaults;
  parse_dtype("int8", defaults.weights.dtype);
  defaults.activations = defaults.outputs = defaults.weights;
  parse_dtype("int32", defaults.accumulators.dtype);
  if (top.has("defaults")) {
    ConfigNode d = top.child("defaults", "per-tensor defaults for every layer");
    Layer tmp;
    read_tensors(d, defaults, tmp, dir);
    defaults = {tmp.weights, tmp.activations, tmp.outputs, tmp.accumulators};
    if (!d.has("accumulators")) defaults.accumulators.dtype = default_accumulator(defaults.activations.dtype);
    d.finish();
  }

  if (!top.has("layers") || !top.raw()["layers"].IsSequence()) top.fail("layers", "expected a list of layers");
  top.consume("layers");
  const YAML::Node layers = top.raw()["layers"];
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string p = "layers[" + std::to_string(i) + "]";
    if (!layers[i].IsMap()) throw InputError(SourceLocation{path, layers[i].Mark().line + 1, p}, "expected a map");
    ConfigNode ln(top.tree(), layers[i], YAML::Node(YAML::NodeType::Map), p);
    w.layers.push_back(read_layer(ln, defaults, dir, i));
  }
  if (w.layers.empty()) top.fail("layers", "a workload needs at least one layer");
  top.finish();
  return w;
}

}  // namespace accsim
