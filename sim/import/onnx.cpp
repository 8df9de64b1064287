// ONNX graph import and initializer reading. GraphProto: node 1, initializer 5, input 11.
// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. AttributeProto: name 1, f 2, i 3,
// s 4, t 5, ints 8. ValueInfoProto: name 1, type 2; TypeProto: tensor_type 1 -> shape 2 -> dim 1
// -> dim_value 1 | dim_param 2. Tensors: onnx_proto.cpp.
#include "sim/import/onnx.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <numeric>
#include <set>

#include "sim/core/error.hpp"
#include "sim/import/onnx_proto.hpp"

namespace accsim {

namespace {

struct Attr {
  int64_t i = 0;
  bool has_i = false;
  std::vector<int64_t> ints;
  std::string s;
  std::optional<StoredTensor> t;
};

struct Node {
  std::string name, op;
  std::vector<std::string> in, out;
  std::map<std::string, Attr> attrs;
  int64_t i(const std::string& k, int64_t fallback) const {
    auto it = attrs.find(k);
    return it != attrs.end() && it->second.has_i ? it->second.i : fallback;
  }
  std::vector<int64_t> ints(const std::string& k, std::vector<int64_t> fallback) const {
    auto it = attrs.find(k);
    return it != attrs.end() && !it->second.ints.empty() ? it->second.ints : fallback;
  }
};

Node read_node(Wire w) {
  Node n;
  while (!w.done()) {
    uint64_t f = 0;
    const int wire = w.key(f);
    if (f == 1 && wire == 2) n.in.push_back(w.str());
    else if (f == 2 && wire == 2) n.out.push_back(w.str());
    else if (f == 3 && wire == 2) n.name = w.str();
    else if (f == 4 && wire == 2) n.op = w.str();
    else if (f == 5 && wire == 2) {
      Wire a = w.sub();
      std::string name;
      Attr at;
      while (!a.done()) {
        uint64_t af = 0;
        const int aw = a.key(af);
        if (af == 1 && aw == 2) name = a.str();
        else if (af == 3 && aw == 0) { at.i = static_cast<int64_t>(a.varint()); at.has_i = true; }
        else if (af == 4 && aw == 2) at.s = a.str();
        else if (af == 8) a.ints(aw, at.ints);
        else if (af == 5 && aw == 2) { StoredTensor t; read_onnx_tensor(a.sub(), t); at.t = t; }
        else a.skip(aw);
      }
      n.attrs[name] = at;
    } else {
      w.skip(wire);
    }
  }
  return n;
}

using Shape = std::vector<int64_t>;

std::string dims(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

// Products of dimensions are bounded (2^62), so no count derived from a shape can wrap.
int64_t product(const Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to && i < s.size(); ++i) {
    if (s[i] < 0 || (s[i] > 0 && p > (int64_t{1} << 62) / s[i])) throw InputError("a tensor shape " + dims(s) + " is negative or beyond 2^62 elements");
    p *= s[i];
  }
  return p;
}

// The PyTorch module path in a node name as torch.onnx writes it: scopes separated by '/', the
// last part the op ("/layer1/layer1.0/conv1/Conv" -> "layer1.0.conv1"; a scope that extends the
// one before it, "layer1" -> "layer1.0", replaces it). Empty when the name has no such form.
std::string module_path(const std::string& node_name) {
  if (node_name.size() < 2 || node_name[0] != '/') return "";
  std::vector<std::string> parts;
  size_t start = 1;
  for (size_t slash; (slash = node_name.find('/', start)) != std::string::npos; start = slash + 1) {
    const std::string c = node_name.substr(start, slash - start);
    if (c.empty()) continue;
    if (!parts.empty() && c.size() > parts.back().size() && c.compare(0, parts.back().size() + 1, parts.back() + ".") == 0) parts.back() = c;
    else parts.push_back(c);
  }
  std::string out;
  for (const auto& c : parts) out += (out.empty() ? "" : ".") + c;
  return out;
}

// An ONNX recurrent node's layer per direction: the module path (or node name), "_reverse" for the
// second direction, as export_trace.py names PyTorch's.
std::string recurrent_layer_name(const Node& n, int64_t d, int64_t dirs) {
  const std::string m = module_path(n.name);
  const std::string base = !m.empty() ? m : n.name.empty() ? n.op : n.name;
  return base + (dirs == 2 && d == 1 ? "_reverse" : "");
}

// The weight operand of direction d of an LSTM/GRU/RNN node, when W and R are float initializers of
// matching shapes: W[d] and R[d] side by side, gate blocks in PyTorch's order (LSTM: ONNX i,o,f,c
// -> i,f,c,o; GRU: ONNX z,r,h -> r,z,h), the layout export_trace.py gives torch.cat([w_ih, w_hh], 1).
// The bias B is not a GEMM operand. nullopt otherwise (the layer then takes synthetic weights).
std::optional<StoredTensor> recurrent_weight(const Node& n, const std::map<std::string, StoredTensor>& tensors, int64_t d) {
  auto find = [&](size_t i) -> const StoredTensor* {
    if (n.in.size() <= i) return nullptr;
    auto it = tensors.find(n.in[i]);
    if (it == tensors.end() || it->second.bytes == 0) return nullptr;
    const bool is_float = it->second.dtype[0] == 'f' || it->second.dtype == "bf16";
    return is_float ? &it->second : nullptr;
  };
  const StoredTensor *w = find(1), *r = find(2);
  if (!w || !r || w->shape.size() != 3 || r->shape.size() != 3) return std::nullopt;
  StoredTensor t;
  t.gate_order = n.op == "LSTM" ? std::vector<int>{0, 2, 3, 1} : n.op == "GRU" ? std::vector<int>{1, 0, 2} : std::vector<int>{0};
  const auto gates = static_cast<int64_t>(t.gate_order.size());
  t.hidden = r->shape[2];
  if (t.hidden < 1 || w->shape[0] != r->shape[0] || d >= w->shape[0] || w->shape[1] != gates * t.hidden || r->shape[1] != gates * t.hidden)
    return std::nullopt;
  t.dtype = w->dtype;
  t.file = w->file;
  t.shape = {gates * t.hidden, w->shape[2] + t.hidden};
  t.direction = d;
  t.parts = {*w, *r};
  return t;
}

class GraphImport {
 public:
  GraphImport(const std::string& path, const OnnxDims& d) : path_(path), batch_(d.batch), dims_(d) {}
  OnnxImport run();

 private:
  [[noreturn]] void fail(const Node& n, const std::string& what) const {
    throw InputError(path_ + ": node '" + n.name + "' (" + n.op + "): " + what);
  }
  // An axis attribute normalized to 0..rank-1 (negative counts from the end); fails when outside.
  size_t axis(const Node& n, int64_t a, size_t rank) const {
    const auto r = static_cast<int64_t>(rank);
    if (a < -r || a >= r) fail(n, "axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    return static_cast<size_t>(a < 0 ? a + r : a);
  }
  // 2-D window attributes checked before any use: exactly two positive strides and dilations and
  // four non-negative pads (a zero stride would divide by zero; short lists would be read past).
  void check_window(const Node& n, const std::vector<int64_t>& st, const std::vector<int64_t>& dl, const std::vector<int64_t>& pads) const {
    if (st.size() != 2) fail(n, "expected 2 strides, got " + std::to_string(st.size()));
    if (dl.size() != 2) fail(n, "expected 2 dilations, got " + std::to_string(dl.size()));
    if (pads.size() != 4) fail(n, "expected 4 pads, got " + std::to_string(pads.size()));
    for (int64_t v : {st[0], st[1], dl[0], dl[1]})
      if (v < 1 || v > (int64_t{1} << 31)) fail(n, "strides and dilations must be within 1..2^31");
    for (int64_t v : pads)
      if (v < 0 || v > (int64_t{1} << 31)) fail(n, "pads must be within 0..2^31");
  }
  const Shape& shape(const Node& n, size_t input) const {
    if (input >= n.in.size() || n.in[input].empty()) fail(n, "missing input " + std::to_string(input));
    auto it = shapes_.find(n.in[input]);
    if (it == shapes_.end()) fail(n, "the shape of input '" + n.in[input] + "' is unknown");
    return it->second;
  }
  const StoredTensor* init(const std::string& name) const {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
  }
  std::vector<int64_t> const_ints(const Node& n, size_t input) const {
    const StoredTensor* t = input < n.in.size() ? init(n.in[input]) : nullptr;
    if (!t) fail(n, "needs a constant for input " + std::to_string(input) + " (shapes computed at run time are not supported)");
    return t->ints;
  }
  void node(const Node& n);
  // Shape arithmetic (Shape -> Gather -> Concat -> Reshape chains, Range, ConstantOfShape, ...):
  // integer values known at import time are folded; returns false for other ops.
  bool fold(const Node& n);
  void fold_values(const Node& n, const Shape& out);
  bool known(const std::string& name) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) return false;
    int64_t numel = 1;
    for (int64_t d : it->second.shape) numel *= d;
    return static_cast<int64_t>(it->second.ints.size()) == numel;
  }
  void set_const(const std::string& name, const Shape& shape, std::vector<int64_t> values) {
    StoredTensor t;
    t.dtype = "i8";
    t.shape = shape;
    t.ints = std::move(values);
    tensors_[name] = t;
    shapes_[name] = shape;
  }
  void recurrent(const Node& n);
  void einsum(const Node& n);
  Layer& add(const Node& n, const std::string& weight, OpKind op);

  int64_t symbolic(const std::string& input, size_t axis, const std::string& param);
  std::string path_;
  int64_t batch_;
  OnnxDims dims_;
  std::set<std::string> used_;  // which of batch, seq_len, image a symbolic dimension took
  std::map<std::string, StoredTensor> tensors_;
  std::map<std::string, Shape> shapes_;
  std::map<std::string, std::string> layer_of_weight_;
  std::map<std::string, std::string> aliases_;  // layer name -> its weight initializer
  std::map<std::string, StoredTensor> recurrent_weights_;  // recurrent layer -> its W|R operand
  ZooNetwork net_;
};

Layer& GraphImport::add(const Node& n, const std::string& weight, OpKind op) {
  Layer l;
  l.op = op;
  parse_dtype("fp32", l.weights.dtype);
  l.activations.dtype = l.outputs.dtype = l.accumulators.dtype = l.weights.dtype;
  // Layers are named after the module in the node's name (torch.onnx: "/layer1/layer1.0/conv1/Conv"
  // -> "layer1.0.conv1"), else after their weight tensor, else the node; the weight store gets the
  // same name as an alias, so --weights finds every layer's tensor.
  // A weight with a parameter's own name ("layers.0.self_attn.out_proj.weight") names the layer;
  // torch.onnx's generated names ("onnx::Conv_193") give way to the node's module path.
  std::string name = !weight.empty() && weight.find("::") == std::string::npos ? weight : module_path(n.name);
  // Activation products have no weight: the module plus the node's own part ("self_attn.MatMul_1").
  if (!name.empty() && weight.empty()) name += "." + n.name.substr(n.name.rfind('/') + 1);
  if (name.empty()) name = weight.empty() ? (n.name.empty() ? n.op + std::to_string(net_.workload.layers.size()) : n.name) : weight;
  if (name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0) name.resize(name.size() - 7);
  auto taken = [&](const std::string& x) {
    return std::any_of(net_.workload.layers.begin(), net_.workload.layers.end(), [&](const Layer& y) { return y.name == x; });
  };
  if (weight.empty() || !layer_of_weight_.count(weight)) {
    const std::string base = name;
    for (int k = 2; taken(name); ++k) name = base + "#" + std::to_string(k);
    if (!weight.empty()) aliases_[name] = weight;
  }
  if (!weight.empty()) {
    auto owner = layer_of_weight_.find(weight);
    if (owner != layer_of_weight_.end()) {
      const std::string base = name;
      for (int k = 2; std::any_of(net_.workload.layers.begin(), net_.workload.layers.end(), [&](const Layer& x) { return x.name == name; }); ++k)
        name = base + "#" + std::to_string(k);
      net_.shares_weights_of[name] = owner->second;
    } else {
      layer_of_weight_[weight] = name;
    }
  }
  l.name = name;
  net_.workload.layers.push_back(l);
  return net_.workload.layers.back();
}

void GraphImport::node(const Node& n) {
  static const std::set<std::string> same = {"Relu", "Sigmoid", "Tanh", "LeakyRelu", "Clip", "Dropout", "Identity",
                                              "BatchNormalization", "Softmax", "LogSoftmax", "Erf", "Gelu", "Sqrt",
                                              "Cast", "LayerNormalization", "HardSigmoid", "HardSwish", "Neg", "Exp",
                                              "Reciprocal", "Elu", "Selu", "PRelu", "InstanceNormalization", "Not", "IsNaN",
                                              "Abs", "Floor", "Ceil", "Round", "Softplus", "Mish", "SimplifiedLayerNormalization"};
  static const std::set<std::string> broadcast = {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Where", "Equal",
                                                   "Less", "Greater", "And", "Or", "Mod", "LessOrEqual", "GreaterOrEqual"};
  Shape out;
  const std::string& op = n.op;
  if (fold(n)) return;
  if (op == "LSTM" || op == "GRU" || op == "RNN") return recurrent(n);
  if (op == "Einsum") return einsum(n);
  if (op == "Constant") {
    auto it = n.attrs.find("value");
    if (it == n.attrs.end() || !it->second.t) fail(n, "only tensor-valued Constant nodes are supported");
    tensors_[n.out.at(0)] = *it->second.t;
    shapes_[n.out.at(0)] = it->second.t->shape;
    return;
  } else if (op == "Expand") {
    const Shape& x = shape(n, 0);
    const std::vector<int64_t> to = const_ints(n, 1);
    out = to.size() > x.size() ? to : x;
    for (size_t i = 0; i < out.size(); ++i) {
      const int64_t a = i + x.size() >= out.size() ? x[i + x.size() - out.size()] : 1, b = i + to.size() >= out.size() ? to[i + to.size() - out.size()] : 1;
      if (a != 1 && b != 1 && a != b) fail(n, "cannot expand " + dims(x) + " to " + dims(to));
      out[i] = a == 1 ? b : a;
    }
  } else if (op == "ConstantOfShape") {
    out = const_ints(n, 0);
    for (int64_t d : out)
      if (d < 0) fail(n, "negative dimension in " + dims(out));
  } else if (op == "Slice") {
    out = shape(n, 0);
    const auto starts = const_ints(n, 1), ends = const_ints(n, 2);
    std::vector<int64_t> axes(starts.size()), steps(starts.size(), 1);
    std::iota(axes.begin(), axes.end(), 0);
    if (n.in.size() > 3 && !n.in[3].empty()) axes = const_ints(n, 3);
    if (n.in.size() > 4 && !n.in[4].empty()) steps = const_ints(n, 4);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) fail(n, "starts, ends, axes and steps differ in length");
    for (size_t i = 0; i < starts.size(); ++i) {
      const size_t ax = axis(n, axes[i], out.size());
      const int64_t d = out[ax], st = steps[i];
      if (st == 0) fail(n, "a step of 0");
      auto clampi = [&](int64_t v, int64_t lo, int64_t hi) { return std::max(lo, std::min(hi, v < 0 ? v + d : v)); };
      const int64_t b = st > 0 ? clampi(starts[i], 0, d) : clampi(starts[i], -1, d - 1), e = st > 0 ? clampi(ends[i], 0, d) : clampi(ends[i], -1, d - 1);
      out[ax] = st > 0 ? std::max<int64_t>(0, (e - b + st - 1) / st) : std::max<int64_t>(0, (b - e - st - 1) / -st);
    }
  } else if (same.count(op)) {
    out = shape(n, 0);
  } else if (broadcast.count(op)) {
    for (size_t i = 0; i < n.in.size(); ++i) {
      const Shape& s = shape(n, i);
      if (s.size() > out.size()) out.insert(out.begin(), s.size() - out.size(), 1);
      for (size_t k = 0; k < s.size(); ++k) {
        int64_t& o = out[out.size() - s.size() + k];
        if (o == 1) o = s[k];
        else if (s[k] != 1 && s[k] != o) fail(n, "shapes " + dims(out) + " and " + dims(s) + " do not broadcast");
      }
    }
  } else if (op == "Conv") {
    const Shape& x = shape(n, 0);
    const StoredTensor* w = n.in.size() > 1 ? init(n.in[1]) : nullptr;
    if (!w) fail(n, "the weights must be an initializer");
    if (x.size() != 4 || w->shape.size() != 4) fail(n, "only 2-D convolutions are supported");
    const auto st = n.ints("strides", {1, 1}), dl = n.ints("dilations", {1, 1}), pads = n.ints("pads", {0, 0, 0, 0});
    const std::string autopad = n.attrs.count("auto_pad") ? n.attrs.at("auto_pad").s : "NOTSET";
    if (autopad != "NOTSET" && autopad != "VALID") fail(n, "auto_pad " + autopad + " is not supported (export explicit pads)");
    check_window(n, st, dl, pads);
    if (pads[0] != pads[2] || pads[1] != pads[3]) fail(n, "asymmetric padding is not supported");
    const int64_t group = n.i("group", 1);
    if (group < 1) fail(n, "group must be >= 1, got " + std::to_string(group));
    for (int64_t d : w->shape)
      if (d < 1) fail(n, "weights " + dims(w->shape) + " have an empty dimension");
    for (int64_t d : x)
      if (d < 1) fail(n, "input " + dims(x) + " has an empty dimension");
    Layer& l = add(n, n.in[1], OpKind::Conv2d);
    l.batch = x[0];
    l.in_channels = x[1];
    l.in_h = x[2];
    l.in_w = x[3];
    l.out_channels = w->shape[0];
    l.kernel_h = w->shape[2];
    l.kernel_w = w->shape[3];
    l.stride_h = st.at(0);
    l.stride_w = st.at(1);
    l.dilation_h = dl.at(0);
    l.dilation_w = dl.at(1);
    l.pad_h = pads[0];
    l.pad_w = pads[1];
    l.groups = group;
    if (l.in_channels != w->shape[1] * l.groups || l.out_channels % l.groups) fail(n, "weights " + dims(w->shape) + " do not fit input " + dims(x));
    if (l.out_h() < 1 || l.out_w() < 1) fail(n, "the kernel is larger than the padded input " + dims(x));
    out = {l.batch, l.out_channels, l.out_h(), l.out_w()};
  } else if (op == "Gemm" || op == "MatMul") {
    const Shape& a = shape(n, 0);
    const StoredTensor* w = n.in.size() > 1 ? init(n.in[1]) : nullptr;
    const bool trans_a = n.i("transA", 0) != 0, trans_b = op == "Gemm" && n.i("transB", 0) != 0;
    if (w && w->shape.size() == 2 && !trans_a) {
      // x W: W is K x N unless transB (N x K, PyTorch's Linear layout).
      const int64_t k = trans_b ? w->shape[1] : w->shape[0], nn = trans_b ? w->shape[0] : w->shape[1];
      if (a.empty() || a.back() != k) fail(n, "input " + dims(a) + " does not meet weights " + dims(w->shape));
      Layer& l = add(n, n.in[1], OpKind::Linear);
      l.m = product(a, 0, a.size() - 1);
      l.k = k;
      l.n = nn;
      if (!trans_b) tensors_[n.in[1]].transposed = true;
      out = a;
      out.back() = nn;
    } else if (op == "MatMul") {
      const Shape& b = shape(n, 1);
      if (a.size() < 2 || b.size() < 2 || a.back() != b[b.size() - 2]) fail(n, "shapes " + dims(a) + " x " + dims(b) + " do not multiply");
      const int64_t ba = product(a, 0, a.size() - 2), bb = product(b, 0, b.size() - 2);
      if (ba != bb && ba != 1 && bb != 1) fail(n, "batch dimensions of " + dims(a) + " and " + dims(b) + " do not broadcast");
      Layer& l = add(n, "", OpKind::Matmul);
      l.m = a[a.size() - 2];
      l.k = a.back();
      l.n = b.back();
      l.batch = std::max(product(a, 0, a.size() - 2), product(b, 0, b.size() - 2));
      out = a.size() >= b.size() ? a : b;
      out[out.size() - 2] = l.m;
      out.back() = l.n;
    } else {
      fail(n, "only Gemm with a 2-D initializer B and no transA is supported (B is '" + (n.in.size() > 1 ? n.in[1] : std::string()) + "')");
    }
  } else if (op == "MaxPool" || op == "AveragePool") {
    const Shape& x = shape(n, 0);
    const auto k = n.ints("kernel_shape", {}), st = n.ints("strides", {1, 1}), pads = n.ints("pads", {0, 0, 0, 0});
    if (x.size() != 4 || k.size() != 2) fail(n, "only 2-D pooling is supported");
    check_window(n, st, n.ints("dilations", {1, 1}), pads);
    if (n.ints("dilations", {1, 1}) != std::vector<int64_t>{1, 1}) fail(n, "dilated pooling is not supported");
    if (k[0] < 1 || k[1] < 1 || k[0] > (int64_t{1} << 31) || k[1] > (int64_t{1} << 31)) fail(n, "kernel_shape must be within 1..2^31");
    const bool ceil = n.i("ceil_mode", 0) != 0;
    auto dim = [&](int64_t in, int64_t kk, int64_t s, int64_t p0, int64_t p1) {
      const int64_t span = in + p0 + p1 - kk;
      return (ceil ? (span + s - 1) / s : span / s) + 1;
    };
    out = {x[0], x[1], dim(x[2], k[0], st[0], pads[0], pads[2]), dim(x[3], k[1], st[1], pads[1], pads[3])};
    if (out[2] < 1 || out[3] < 1) fail(n, "the window is larger than the padded input " + dims(x));
  } else if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
    out = shape(n, 0);
    for (size_t i = 2; i < out.size(); ++i) out[i] = 1;
  } else if (op == "Flatten") {
    const Shape& x = shape(n, 0);
    const int64_t a = n.i("axis", 1), r = static_cast<int64_t>(x.size());
    if (a < -r || a > r) fail(n, "axis " + std::to_string(a) + " is out of range for rank " + std::to_string(r));
    const auto at = static_cast<size_t>(a < 0 ? a + r : a);
    out = {product(x, 0, at), product(x, at, x.size())};
  } else if (op == "Reshape") {
    const Shape& x = shape(n, 0);
    out = const_ints(n, 1);
    const int64_t total = product(x, 0, x.size());
    int64_t infer = -1;
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i] == 0) out[i] = i < x.size() ? x[i] : 1;
      if (out[i] < -1) fail(n, "shape value " + std::to_string(out[i]) + " is negative");
      if (out[i] == -1) {
        if (infer >= 0) fail(n, "more than one -1 in the target shape");
        infer = static_cast<int64_t>(i);
      }
    }
    if (infer >= 0) {
      out[static_cast<size_t>(infer)] = 1;
      const int64_t known = product(out, 0, out.size());
      if (known == 0 || total % known) fail(n, "cannot reshape " + dims(x) + " to " + dims(const_ints(n, 1)));
      out[static_cast<size_t>(infer)] = total / known;
    }
    if (product(out, 0, out.size()) != total) fail(n, "cannot reshape " + dims(x) + " to " + dims(out));
  } else if (op == "Transpose") {
    const Shape& x = shape(n, 0);
    std::vector<int64_t> perm(x.size());
    std::iota(perm.rbegin(), perm.rend(), 0);
    perm = n.ints("perm", perm);
    std::vector<bool> seen(x.size(), false);
    if (perm.size() != x.size()) fail(n, "perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(x.size()));
    for (int64_t p : perm) {
      if (p < 0 || p >= static_cast<int64_t>(x.size()) || seen[static_cast<size_t>(p)]) fail(n, "perm is not a permutation of 0.." + std::to_string(x.size() - 1));
      seen[static_cast<size_t>(p)] = true;
      out.push_back(x[static_cast<size_t>(p)]);
    }
  } else if (op == "Concat") {
    out = shape(n, 0);
    const size_t ax = axis(n, n.i("axis", 0), out.size());
    for (size_t i = 1; i < n.in.size(); ++i) {
      const Shape& s = shape(n, i);
      if (s.size() != out.size()) fail(n, "inputs of ranks " + std::to_string(out.size()) + " and " + std::to_string(s.size()));
      for (size_t d = 0; d < s.size(); ++d)
        if (d != ax && s[d] != out[d]) fail(n, "shapes " + dims(out) + " and " + dims(s) + " differ off the axis");
      out[ax] += s[ax];
    }
  } else if (op == "Unsqueeze" || op == "Squeeze") {
    out = shape(n, 0);
    std::vector<int64_t> axes = n.ints("axes", {});
    if (axes.empty() && n.in.size() > 1) axes = const_ints(n, 1);
    if (op == "Unsqueeze") {
      // Axes index the output, whose rank is the input's plus the number of axes (onnx.ai Unsqueeze).
      if (axes.empty()) fail(n, "needs axes");
      const size_t rank = out.size() + axes.size();
      std::vector<bool> one(rank, false);
      for (int64_t a : axes) {
        const size_t at = axis(n, a, rank);
        if (one[at]) fail(n, "axis " + std::to_string(a) + " given twice");
        one[at] = true;
      }
      Shape grown;
      size_t from = 0;
      for (size_t i = 0; i < rank; ++i) grown.push_back(one[i] ? 1 : out[from++]);
      out = grown;
    } else {
      std::vector<bool> drop(out.size(), false);
      for (int64_t a : axes) {
        const size_t at = axis(n, a, out.size());
        if (out[at] != 1) fail(n, "cannot squeeze axis " + std::to_string(a) + " of size " + std::to_string(out[at]));
        drop[at] = true;
      }
      Shape kept;
      for (size_t i = 0; i < out.size(); ++i)
        if (!(axes.empty() ? out[i] == 1 : drop[i])) kept.push_back(out[i]);
      out = kept;
    }
  } else if (op == "Gather") {
    const Shape& data = shape(n, 0);
    const Shape& idx = shape(n, 1);
    if (data.empty()) fail(n, "Gather needs data of rank >= 1, got a 0-d tensor");
    const size_t ax = axis(n, n.i("axis", 0), data.size());
    out.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(ax));
    out.insert(out.end(), idx.begin(), idx.end());
    out.insert(out.end(), data.begin() + static_cast<std::ptrdiff_t>(ax) + 1, data.end());
  } else if (op == "ReduceMean") {
    out = shape(n, 0);
    std::vector<int64_t> axes = n.ints("axes", {});
    if (axes.empty() && n.in.size() > 1) axes = const_ints(n, 1);
    // No axes reduces all of them, unless opset 18's noop_with_empty_axes makes it the identity.
    std::vector<bool> reduced(out.size(), axes.empty() && n.i("noop_with_empty_axes", 0) == 0);
    for (int64_t a : axes) reduced[axis(n, a, out.size())] = true;
    Shape kept;
    for (size_t i = 0; i < out.size(); ++i)
      if (!reduced[i]) kept.push_back(out[i]);
      else if (n.i("keepdims", 1) != 0) kept.push_back(1);
    out = kept;
  } else {
    fail(n, "operator not supported by the ONNX importer (docs/workloads.md lists the supported ones)");
  }
  for (const auto& o : n.out)
    if (!o.empty()) shapes_[o] = out;
  fold_values(n, out);
}

// LSTM/GRU/RNN nodes: X [seq, batch, input] (layout 0) or [batch, seq, input] (layout 1), W
// [directions, gates x hidden, input]. One trace layer per direction, as export_trace.py writes them;
// an RNN step is a linear layer over [x, h] repeated per time step. The weights are W and R side by
// side in PyTorch's gate order (recurrent_weight()).
void GraphImport::recurrent(const Node& n) {
  const Shape& x = shape(n, 0);
  const StoredTensor* w = n.in.size() > 1 ? init(n.in[1]) : nullptr;
  if (!w || w->shape.size() != 3) fail(n, "W must be a 3-D initializer");
  if (x.size() != 3) fail(n, "X must be 3-D");
  const int64_t hidden = n.i("hidden_size", 0);
  const int64_t gates = n.op == "LSTM" ? 4 : n.op == "GRU" ? 3 : 1;
  if (hidden < 1 || w->shape[1] != gates * hidden || w->shape[2] != x[2]) fail(n, "W " + dims(w->shape) + " does not fit hidden_size " + std::to_string(hidden) + " and X " + dims(x));
  const bool batch_major = n.i("layout", 0) != 0;
  const int64_t steps = batch_major ? x[1] : x[0], batch = batch_major ? x[0] : x[1], dirs = w->shape[0];
  if (dirs < 1 || dirs > 2) fail(n, "expected 1 or 2 directions");
  for (int64_t d = 0; d < dirs; ++d) {
    Node part = n;
    part.name = "";
    Layer& l = add(part, "", n.op == "RNN" ? OpKind::Linear : n.op == "LSTM" ? OpKind::Lstm : OpKind::Gru);
    l.name = recurrent_layer_name(n, d, dirs);
    if (auto rw = recurrent_weight(n, tensors_, d)) recurrent_weights_[l.name] = *rw;
    if (n.op == "RNN") {
      l.m = batch;
      l.k = x[2] + hidden;
      l.n = hidden;
      l.repeat = steps;
    } else {
      l.batch = batch;
      l.input_size = x[2];
      l.hidden_size = hidden;
      l.steps = steps;
    }
  }
  const Shape y = batch_major ? Shape{batch, steps, dirs, hidden} : Shape{steps, dirs, batch, hidden};
  const Shape yh = batch_major ? Shape{batch, dirs, hidden} : Shape{dirs, batch, hidden};
  for (size_t i = 0; i < n.out.size(); ++i)
    if (!n.out[i].empty()) shapes_[n.out[i]] = i == 0 ? y : yh;
}

// Einsum of two activations: one matmul with M x N = the output's elements and K = the product
// of the summed indices (MACs = the product of all distinct index sizes).
void GraphImport::einsum(const Node& n) {
  auto it = n.attrs.find("equation");
  if (it == n.attrs.end() || n.in.size() != 2) fail(n, "only two-operand Einsum with an equation is supported");
  std::string eq;
  for (char c : it->second.s)
    if (c != ' ') eq += c;
  const size_t arrow = eq.find("->"), comma = eq.find(',');
  if (arrow == std::string::npos || comma == std::string::npos || comma > arrow || eq.find("...") != std::string::npos)
    fail(n, "equation '" + eq + "': needs explicit output indices, no ellipsis");
  const std::string a = eq.substr(0, comma), b = eq.substr(comma + 1, arrow - comma - 1), o = eq.substr(arrow + 2);
  std::map<char, int64_t> size;
  for (const auto& [sub, input] : {std::pair<std::string, size_t>{a, 0}, {b, 1}}) {
    const Shape& s = shape(n, input);
    if (s.size() != sub.size()) fail(n, "operand " + std::to_string(input) + " " + dims(s) + " does not match '" + sub + "'");
    for (size_t i = 0; i < sub.size(); ++i) {
      auto [at, fresh] = size.emplace(sub[i], s[i]);
      if (!fresh && at->second != s[i] && at->second != 1 && s[i] != 1) fail(n, "index '" + std::string(1, sub[i]) + "' has sizes " + std::to_string(at->second) + " and " + std::to_string(s[i]));
      at->second = std::max(at->second, s[i]);
    }
  }
  Shape out;
  int64_t out_elems = 1, summed = 1;
  for (char c : o) {
    if (!size.count(c)) fail(n, "output index '" + std::string(1, c) + "' is in no operand");
    out.push_back(size[c]);
    out_elems *= size[c];
  }
  for (const auto& [c, v] : size)
    if (o.find(c) == std::string::npos) summed *= v;
  Layer& l = add(n, "", OpKind::Matmul);
  l.m = out_elems;
  l.n = 1;
  l.k = summed;
  if (!n.out.empty() && !n.out[0].empty()) shapes_[n.out[0]] = out;
}

bool GraphImport::fold(const Node& n) {
  const std::string& op = n.op;
  auto out_name = [&]() -> const std::string& {
    if (n.out.empty() || n.out[0].empty()) fail(n, "has no output");
    return n.out[0];
  };
  auto all_known = [&](size_t from, size_t to) {
    for (size_t i = from; i < std::min(to, n.in.size()); ++i)
      if (!n.in[i].empty() && !known(n.in[i])) return false;
    return true;
  };
  auto vals = [&](size_t i) { return tensors_.at(n.in.at(i)).ints; };
  constexpr size_t kMaxFolded = 1 << 16;  // shape arithmetic is small; bigger values are not folded
  if (op == "Identity" && !n.in.empty() && tensors_.count(n.in[0])) {
    // torch.onnx deduplicates equal initializers into Identity nodes: the output is that tensor.
    tensors_[out_name()] = tensors_.at(n.in[0]);
    shapes_[out_name()] = tensors_.at(n.in[0]).shape;
    return true;
  }
  if (op == "Shape") {
    const Shape& x = shape(n, 0);
    const auto r = static_cast<int64_t>(x.size());
    int64_t b = n.i("start", 0), e = n.i("end", r);
    b = std::clamp<int64_t>(b < 0 ? b + r : b, 0, r);
    e = std::clamp<int64_t>(e < 0 ? e + r : e, 0, r);
    Shape v(x.begin() + b, x.begin() + std::max(b, e));
    set_const(out_name(), {static_cast<int64_t>(v.size())}, v);
    return true;
  }
  if (op == "Size") {
    const Shape& x = shape(n, 0);
    set_const(out_name(), {}, {product(x, 0, x.size())});
    return true;
  }
  if (op == "Range" && all_known(0, 3)) {
    const int64_t a = vals(0).at(0), lim = vals(1).at(0), d = vals(2).at(0);
    if (d == 0) fail(n, "a delta of 0");
    const int64_t count = std::max<int64_t>(0, (lim - a + d + (d > 0 ? -1 : 1)) / d);
    if (static_cast<size_t>(count) > kMaxFolded) fail(n, "a range of " + std::to_string(count) + " values");
    std::vector<int64_t> v;
    for (int64_t i = 0; i < count; ++i) v.push_back(a + i * d);
    set_const(out_name(), {count}, v);
    return true;
  }
  if (op == "Range") {
    fail(n, "needs constant start, limit and delta");
  }
  // Element-wise integer ops, Gather, Concat, Unsqueeze, Squeeze, Reshape, Cast, Slice, Equal and
  // Where on known values: the shape as usual (node() below), plus the values.
  static const std::set<std::string> foldable = {"Gather", "Concat", "Unsqueeze", "Squeeze", "Reshape", "Cast", "Slice",
                                                 "Add", "Sub", "Mul", "Div", "Equal", "Where", "Identity", "ConstantOfShape",
                                                 "Expand", "Max", "Min"};
  (void)foldable;
  (void)kMaxFolded;
  return false;  // values are computed after the shape, in fold_values()
}

void GraphImport::fold_values(const Node& n, const Shape& out) {
  const std::string& op = n.op;
  static const std::set<std::string> foldable = {"Gather", "Concat", "Unsqueeze", "Squeeze", "Reshape", "Cast", "Slice", "Add",
                                                 "Sub", "Mul", "Div", "Equal", "Where", "Identity", "ConstantOfShape", "Expand",
                                                 "Max", "Min", "Neg", "Abs"};
  if (!foldable.count(op) || n.out.empty() || n.out[0].empty()) return;
  for (const auto& i : n.in)
    if (!i.empty() && !known(i)) return;
  const int64_t numel = product(out, 0, out.size());
  if (numel > 4096) return;
  auto vals = [&](size_t i) -> const std::vector<int64_t>& { return tensors_.at(n.in.at(i)).ints; };
  std::vector<int64_t> v;
  if (op == "Cast" || op == "Identity" || op == "Reshape" || op == "Unsqueeze" || op == "Squeeze") {
    v = vals(0);
  } else if (op == "Concat") {
    if (out.size() != 1) return;
    for (size_t i = 0; i < n.in.size(); ++i) v.insert(v.end(), vals(i).begin(), vals(i).end());
  } else if (op == "Gather") {
    const Shape& data = shape(n, 0);
    if (data.size() != 1) return;
    for (int64_t ix : vals(1)) {
      const int64_t k = ix < 0 ? ix + data[0] : ix;
      if (k < 0 || k >= data[0]) fail(n, "index " + std::to_string(ix) + " is out of range for " + dims(data));
      v.push_back(vals(0)[static_cast<size_t>(k)]);
    }
  } else if (op == "Slice") {
    const Shape& data = shape(n, 0);
    if (data.size() != 1) return;
    const int64_t d = data[0], st = n.in.size() > 4 && !n.in[4].empty() ? vals(4).at(0) : 1;
    auto clampi = [&](int64_t x, int64_t lo, int64_t hi) { return std::max(lo, std::min(hi, x < 0 ? x + d : x)); };
    const int64_t b = st > 0 ? clampi(vals(1).at(0), 0, d) : clampi(vals(1).at(0), -1, d - 1);
    const int64_t e = st > 0 ? clampi(vals(2).at(0), 0, d) : clampi(vals(2).at(0), -1, d - 1);
    for (int64_t i = b; st > 0 ? i < e : i > e; i += st) v.push_back(vals(0)[static_cast<size_t>(i)]);
  } else if (op == "ConstantOfShape") {
    auto it = n.attrs.find("value");
    const int64_t fill = it != n.attrs.end() && it->second.t && !it->second.t->ints.empty() ? it->second.t->ints[0] : 0;
    if (it != n.attrs.end() && it->second.t && it->second.t->ints.empty()) return;  // a float fill: shape only
    v.assign(static_cast<size_t>(numel), fill);
  } else if (op == "Neg" || op == "Abs") {
    for (int64_t x : vals(0)) v.push_back(op == "Neg" ? -x : std::abs(x));
  } else {
    // Broadcasting element-wise ops (Where takes three inputs: condition, then, else).
    std::vector<const std::vector<int64_t>*> in;
    std::vector<Shape> sh;
    for (size_t i = 0; i < (op == "Expand" ? 1 : n.in.size()); ++i) {
      in.push_back(&vals(i));
      sh.push_back(shape(n, i));
    }
    for (int64_t e = 0; e < numel; ++e) {
      std::vector<int64_t> x;
      for (size_t i = 0; i < in.size(); ++i) {
        // Index of output element e in input i (broadcast: size-1 dimensions repeat).
        int64_t rem = e, idx = 0, stride = 1;
        for (size_t d = out.size(); d-- > 0;) {
          const int64_t coord = rem % out[d];
          rem /= out[d];
          const size_t id = d + sh[i].size() >= out.size() ? d + sh[i].size() - out.size() : SIZE_MAX;
          if (id == SIZE_MAX) continue;
          if (sh[i][id] != 1) idx += coord * stride;
          stride *= sh[i][id];
        }
        if (idx < 0 || static_cast<size_t>(idx) >= in[i]->size()) return;  // not a value this folding understands
        x.push_back((*in[i])[static_cast<size_t>(idx)]);
      }
      if (op == "Add") v.push_back(x[0] + x[1]);
      else if (op == "Sub") v.push_back(x[0] - x[1]);
      else if (op == "Mul") v.push_back(x[0] * x[1]);
      else if (op == "Div") {
        if (x[1] == 0) fail(n, "division by zero in shape arithmetic");
        v.push_back(x[0] / x[1]);
      } else if (op == "Equal") v.push_back(x[0] == x[1]);
      else if (op == "Max") v.push_back(std::max(x[0], x[1]));
      else if (op == "Min") v.push_back(std::min(x[0], x[1]));
      else if (op == "Where") v.push_back(x[0] ? x[1] : x[2]);
      else if (op == "Expand") v.push_back(x[0]);  // (x[1] is the target shape's value, unused)
      else return;
    }
  }
  if (static_cast<int64_t>(v.size()) != numel) return;
  set_const(n.out[0], out, std::move(v));
}

OnnxImport GraphImport::run() {
  const std::vector<uint8_t> b = read_whole_file(path_);
  std::vector<Node> nodes;
  std::vector<std::pair<std::string, Shape>> inputs;
  with_graph(b, path_, [&](Wire g) {
    while (!g.done()) {
      uint64_t f = 0;
      const int wire = g.key(f);
      if (f == 1 && wire == 2) {
        nodes.push_back(read_node(g.sub()));
      } else if (f == 5 && wire == 2) {
        StoredTensor t;
        const std::string name = read_onnx_tensor(g.sub(), t);
        if (!name.empty()) tensors_[name] = t;
      } else if (f == 11 && wire == 2) {
        // ValueInfoProto -> TypeProto(2) -> tensor_type(1) -> shape(2) -> dim(1) -> value(1)|param(2)
        Wire v = g.sub();
        std::string name;
        Shape s;
        while (!v.done()) {
          uint64_t vf = 0;
          const int vw = v.key(vf);
          if (vf == 1 && vw == 2) {
            name = v.str();
          } else if (vf == 2 && vw == 2) {
            Wire tp = v.sub();
            while (!tp.done()) {
              uint64_t tf = 0;
              const int tw = tp.key(tf);
              if (tf != 1 || tw != 2) { tp.skip(tw); continue; }
              Wire tt = tp.sub();
              while (!tt.done()) {
                uint64_t sf = 0;
                const int sw = tt.key(sf);
                if (sf != 2 || sw != 2) { tt.skip(sw); continue; }
                Wire sh = tt.sub();
                while (!sh.done()) {
                  uint64_t df = 0;
                  const int dw = sh.key(df);
                  if (df != 1 || dw != 2) { sh.skip(dw); continue; }
                  Wire d = sh.sub();
                  int64_t value = -1;
                  std::string param;
                  while (!d.done()) {
                    uint64_t xf = 0;
                    const int xw = d.key(xf);
                    if (xf == 1 && xw == 0) value = static_cast<int64_t>(d.varint());
                    else if (xf == 2 && xw == 2) param = d.str();
                    else d.skip(xw);
                  }
                  s.push_back(value >= 0 ? value : symbolic(name, s.size(), param));
                }
              }
            }
          } else {
            v.skip(vw);
          }
        }
        inputs.emplace_back(name, s);
      } else {
        g.skip(wire);
      }
    }
  });
  for (const auto& [name, t] : tensors_) shapes_[name] = t.shape;
  for (const auto& [name, s] : inputs)
    if (!tensors_.count(name)) shapes_[name] = s;
  // An option no symbolic dimension takes would be silently ignored: an error instead.
  if (dims_.batch_given && dims_.batch != 1 && !used_.count("batch")) throw InputError(path_ + ": the graph's inputs have no symbolic batch dimension: --batch does not apply (re-export with a dynamic batch axis)");
  if (dims_.seq_len && !used_.count("seq_len")) throw InputError(path_ + ": the graph's inputs have no symbolic sequence dimension: --seq-len does not apply");
  if (dims_.image && !used_.count("image")) throw InputError(path_ + ": the graph's inputs have no symbolic height/width: --image does not apply"); 
  for (const Node& n : nodes) node(n);
  if (net_.workload.layers.empty()) throw InputError(path_ + ": the ONNX graph has no Conv, Gemm or MatMul node");
  net_.source = "ONNX graph " + path_;
  std::map<std::string, StoredTensor> weights;
  for (auto& [name, t] : tensors_)
    if (t.bytes > 0) weights[name] = t;
  for (const auto& [layer, weight] : aliases_) {
    auto it = weights.find(weight);
    if (it != weights.end() && !weights.count(layer)) weights[layer] = it->second;
  }
  for (const auto& [layer, t] : recurrent_weights_)
    if (!weights.count(layer)) weights[layer] = t;
  return OnnxImport{net_, WeightStore::from(path_, std::move(weights))};
}

}  // namespace

void read_onnx_initializers(const std::string& path, std::map<std::string, StoredTensor>& out) {
  const std::vector<uint8_t> b = read_whole_file(path);
  std::vector<Node> nodes;
  with_graph(b, path, [&](Wire g) {
    while (!g.done()) {
      uint64_t f = 0;
      const int wire = g.key(f);
      if (f == 5 && wire == 2) {
        StoredTensor t;
        const std::string name = read_onnx_tensor(g.sub(), t);
        if (!name.empty() && t.bytes > 0) out[name] = t;  // varint integer constants are not weights
      } else if (f == 1 && wire == 2) {
        nodes.push_back(read_node(g.sub()));
      } else {
        g.skip(wire);
      }
    }
  });
  // torch.onnx names folded initializers "onnx::Conv_193" but keeps the module path in the node
  // name: each Conv/Gemm/MatMul weight is also found as "<module path>.weight" (a zoo network with
  // torchvision names then gets real weights for every layer).
  for (const Node& n : nodes) {
    if (n.op == "LSTM" || n.op == "GRU" || n.op == "RNN") {
      // The same layer names and W|R operands as the graph import gives recurrent layers.
      const int64_t dirs = n.in.size() > 1 && out.count(n.in[1]) && !out.at(n.in[1]).shape.empty() ? out.at(n.in[1]).shape[0] : 0;
      for (int64_t d = 0; d < dirs && d < 2; ++d)
        if (auto rw = recurrent_weight(n, out, d)) out.emplace(recurrent_layer_name(n, d, dirs) + ".weight", *rw);
      continue;
    }
    if ((n.op != "Conv" && n.op != "Gemm" && n.op != "MatMul") || n.in.size() < 2) continue;
    const std::string module = module_path(n.name);
    auto it = out.find(n.in[1]);
    if (module.empty() || it == out.end() || out.count(module + ".weight")) continue;
    StoredTensor t = it->second;
    if (n.op == "MatMul" || (n.op == "Gemm" && n.i("transB", 0) == 0)) t.transposed = t.shape.size() == 2;
    out[module + ".weight"] = t;
  }
}

int64_t GraphImport::symbolic(const std::string& input, size_t axis, const std::string& param) {
  std::string p;
  for (char c : param) p += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto has = [&](const char* w) { return p.find(w) != std::string::npos; };
  const std::string where = path_ + ": input '" + input + "' dimension " + std::to_string(axis) + (param.empty() ? "" : " ('" + param + "')");
  if (has("batch") || p == "n" || p == "b" || (axis == 0 && !has("seq") && !has("height") && !has("width"))) {
    used_.insert("batch");
    return batch_;
  }
  if (has("seq") || has("len") || has("token") || has("time") || p == "t" || p == "s") {
    if (!dims_.seq_len) throw InputError(where + " is symbolic: give --seq-len");
    used_.insert("seq_len");
    return dims_.seq_len;
  }
  if (has("height") || has("width") || p == "h" || p == "w") {
    if (!dims_.image) throw InputError(where + " is symbolic: give --image");
    used_.insert("image");
    return dims_.image;
  }
  throw InputError(where + " is symbolic and not a batch, sequence or image dimension (name it so, or export a fixed size)");
}

OnnxImport import_onnx(const std::string& path, const OnnxDims& dims) { return GraphImport(path, dims).run(); }

}  // namespace accsim
