#include <cmath>
#include <set>

#include "sim/core/suggest.hpp"
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

Registry<ZooInfo>& zoo_registry() {
  static Registry<ZooInfo> r("network");
  return r;
}

ZooRegistrar::ZooRegistrar(const std::string& name, const std::string& summary, ZooFactory build,
                           std::set<std::string> options) {
  zoo_registry().add(KindInfo{name, summary, {}, {}, {}, {}}, ZooInfo{name, summary, std::move(build), std::move(options)});
}

std::map<std::string, ZooInfo> zoo_networks() {
  std::map<std::string, ZooInfo> out;
  for (const auto& [name, e] : zoo_registry().entries()) out.emplace(name, e.item);
  return out;
}

ZooNetwork build_network(const std::string& name, const ZooOptions& opts) {
  const auto* entry = zoo_registry().find(name);
  if (!entry) {
    std::vector<std::string> names;
    for (const auto& kv : zoo_registry().entries()) names.push_back(kv.first);
    const std::string hint = did_you_mean(name, names);
    throw InputError("unknown network '" + name + "'" + (hint.empty() ? " (known: " + zoo_registry().known(", ") + ")" : hint));
  }
  const ZooInfo& info = entry->item;
  if (opts.batch < 1) throw InputError("--batch must be >= 1");
  if (!(opts.width > 0) || !(opts.depth > 0)) throw InputError("--width and --depth multipliers must be > 0");
  const std::vector<std::pair<std::string, bool>> given = {
      {"image", opts.image != 0}, {"seq_len", opts.seq_len != 0}, {"mode", !opts.mode.empty()}, {"context", opts.context != 0},
      {"kv_dtype", !opts.kv_dtype.empty()}};
  for (const auto& [option, set] : given)
    if (set && !info.options.count(option))
      throw InputError("network " + name + " does not take --" + (option == "seq_len" ? std::string("seq-len") : option == "kv_dtype" ? std::string("kv-dtype") : option));
  ZooNetwork net = info.build(opts);
  net.workload.name = name;
  net.workload.source = "accsim zoo: " + name;
  for (auto& l : net.workload.layers) {
    l.origin = SourceLocation{"zoo:" + name, 0, l.name};
    check_layer_size(l);  // --batch/--seq-len/--image can size a layer past 64-bit MAC counts
    const GemmShape g = lower_to_gemm(l);
    if (g.m < 1 || g.n < 1 || g.k < 1 || (l.op == OpKind::Conv2d && (l.in_h < 1 || l.in_w < 1)))
      throw InputError("--image " + std::to_string(opts.image) + " is too small for " + name + ": layer " + l.name +
                       " would be empty");
  }
  return net;
}

int64_t network_params(const ZooNetwork& net) {
  int64_t total = 0;
  for (const auto& l : net.workload.layers)
    if (!net.shares_weights_of.count(l.name)) total += layer_weight_count(l) * l.repeat;
  return total;
}

int64_t network_macs(const Workload& w) {
  int64_t total = 0;
  for (const auto& l : w.layers) total += layer_macs(l) * l.repeat;
  return total;
}

Layer& NetBuilder::add(const std::string& name, OpKind op) {
  Layer l;
  l.name = name;
  l.op = op;
  parse_dtype("fp32", l.weights.dtype);
  l.activations.dtype = l.outputs.dtype = l.accumulators.dtype = l.weights.dtype;
  w_.layers.push_back(l);
  return w_.layers.back();
}

void NetBuilder::conv(const std::string& name, int64_t out_c, int64_t k, int64_t stride, int64_t groups, int64_t pad) {
  Layer& l = add(name, OpKind::Conv2d);
  l.batch = batch_;
  l.in_channels = c_;
  l.in_h = h_;
  l.in_w = w_px_;
  l.out_channels = out_c;
  l.kernel_h = l.kernel_w = k;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = pad < 0 ? (k - 1) / 2 : pad;
  l.groups = groups;
  c_ = out_c;
  h_ = l.out_h();
  w_px_ = l.out_w();
}

void NetBuilder::pool(int64_t k, int64_t stride, int64_t pad) {
  h_ = (h_ + 2 * pad - k) / stride + 1;
  w_px_ = (w_px_ + 2 * pad - k) / stride + 1;
}

void NetBuilder::linear(const std::string& name, int64_t tokens, int64_t in, int64_t out) {
  Layer& l = add(name, OpKind::Linear);
  l.m = tokens;
  l.k = in;
  l.n = out;
}

void NetBuilder::matmul(const std::string& name, int64_t m, int64_t n, int64_t k, int64_t instances) {
  Layer& l = add(name, OpKind::Matmul);
  l.m = m;
  l.n = n;
  l.k = k;
  l.batch = instances;
}

void NetBuilder::lstm(const std::string& name, int64_t input, int64_t hidden, int64_t steps) {
  Layer& l = add(name, OpKind::Lstm);
  l.batch = batch_;
  l.input_size = input;
  l.hidden_size = hidden;
  l.steps = steps;
}

int64_t make_divisible(double v, int64_t divisor) {
  int64_t r = std::max<int64_t>(divisor, static_cast<int64_t>(v + divisor / 2.0) / divisor * divisor);
  if (static_cast<double>(r) < 0.9 * v) r += divisor;
  return r;
}

int64_t scaled(int64_t base, double mult) {
  return std::max<int64_t>(1, std::llround(static_cast<double>(base) * mult));
}

}  // namespace accsim
