// ONNX graph import from a model encoded here byte by byte (protobuf wire format, onnx.proto
// field numbers): shapes propagate through Conv/Relu/MaxPool/Flatten/Gemm/MatMul.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "sim/import/onnx.hpp"
#include "sim/workload/trace.hpp"
#include "sim/app/trace_builder.hpp"
#include "tests/common/protobuf_writer.hpp"

namespace accsim {
namespace {

namespace fs = std::filesystem;

using pbwire::bytes;
using pbwire::key;
using pbwire::num;
using pbwire::varint;
std::string packed(int field, std::initializer_list<int64_t> v) {
  std::string p;
  for (int64_t x : v) p += varint(static_cast<uint64_t>(x));
  return bytes(field, p);
}

// TensorProto of FLOAT data 0, 1, 2, ... (so transposition is visible).
std::string tensor(const std::string& name, std::initializer_list<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  std::string raw;
  for (int64_t i = 0; i < n; ++i) {
    const float f = static_cast<float>(i);
    raw.append(reinterpret_cast<const char*>(&f), 4);
  }
  return packed(1, dims) + num(2, 1) + bytes(8, name) + bytes(9, raw);
}
std::string attr_i(const std::string& name, int64_t v) { return bytes(5, bytes(1, name) + num(3, static_cast<uint64_t>(v)) + num(20, 2)); }
std::string attr_ints(const std::string& name, std::initializer_list<int64_t> v) { return bytes(5, bytes(1, name) + packed(8, v) + num(20, 7)); }
std::string node(const std::string& op, std::initializer_list<std::string> in, const std::string& out, const std::string& attrs = "") {
  std::string n;
  for (const auto& i : in) n += bytes(1, i);
  return bytes(1, n + bytes(2, out) + bytes(3, op + "_" + out) + bytes(4, op) + attrs);
}
// Graph input "x" of shape [batch (symbolic), 3, 8, 8].
std::string input() {
  const std::string dim_n = bytes(1, bytes(2, "N")), dim = [] {
    std::string d;
    for (int v : {3, 8, 8}) d += bytes(1, num(1, static_cast<uint64_t>(v)));
    return d;
  }();
  return bytes(11, bytes(1, "x") + bytes(2, bytes(1, num(1, 1) + bytes(2, dim_n + dim))));
}

fs::path write_model(const std::string& graph) {
  const fs::path p = fs::temp_directory_path() / ("accsim-onnx-" + std::to_string(::getpid()) + ".onnx");
  std::ofstream(p, std::ios::binary) << num(1, 8) + bytes(7, graph);
  return p;
}

std::string cnn_graph(const std::string& extra_node = "") {
  return node("Conv", {"x", "conv1.weight"}, "c", attr_ints("pads", {1, 1, 1, 1}) + attr_ints("kernel_shape", {3, 3})) +
         node("Relu", {"c"}, "r") + node("MaxPool", {"r"}, "p", attr_ints("kernel_shape", {2, 2}) + attr_ints("strides", {2, 2})) +
         node("Flatten", {"p"}, "f") + node("Gemm", {"f", "fc.weight"}, "g", attr_i("transB", 1)) +
         node("MatMul", {"g", "proj"}, "y") + extra_node + bytes(5, tensor("conv1.weight", {4, 3, 3, 3})) +
         bytes(5, tensor("fc.weight", {10, 64})) + bytes(5, tensor("proj", {10, 5})) + bytes(2, "g") + input();
}

TEST(Onnx, ImportsShapesAndWeights) {
  const fs::path p = write_model(cnn_graph());
  const OnnxImport m = import_onnx(p.string(), 2);
  const auto& L = m.network.workload.layers;
  ASSERT_EQ(L.size(), 3u);
  // conv 3->4, 3x3 pad 1 on 8x8 (batch 2 from the symbolic dim); pool to 4x4; 4*4*4 = 64 features.
  EXPECT_EQ(L[0].name, "conv1");
  EXPECT_EQ(L[0].op, OpKind::Conv2d);
  EXPECT_EQ(L[0].batch, 2);
  EXPECT_EQ(L[0].out_h(), 8);
  EXPECT_EQ(L[1].name, "fc");
  EXPECT_EQ(L[1].m, 2);
  EXPECT_EQ(L[1].k, 64);
  EXPECT_EQ(L[1].n, 10);
  EXPECT_EQ(L[2].name, "proj");
  EXPECT_EQ(L[2].k, 10);
  EXPECT_EQ(L[2].n, 5);
  // fc.weight is PyTorch's [out, in]: read as is. proj is [K=10, N=5] for y = x W: read transposed.
  EXPECT_EQ((*m.weights.get("fc", 10, 64))[65], 65.0f);
  const auto proj = *m.weights.get("proj", 5, 10);
  EXPECT_EQ(proj[1], 5.0f);   // row n=0, col k=1 is W[1][0] = 1*5 + 0
  EXPECT_EQ(proj[10], 1.0f);  // row n=1, col k=0 is W[0][1] = 1
  fs::remove(p);
}

TEST(Onnx, TraceFromOnnxAndErrors) {
  const fs::path p = write_model(cnn_graph());
  const fs::path out = fs::temp_directory_path() / ("accsim-onnx-" + std::to_string(::getpid()) + ".yaml");
  TraceRequest r;
  r.onnx = p.string();
  r.prune = "nm:2:4";
  r.exempt_first = true;
  r.out = out.string();
  const TraceSummary s = write_trace(r);
  EXPECT_EQ(s.params_before, 4 * 27 + 640 + 50);
  // conv1 is exempt; fc keeps 2 of every 4 of its 64-long rows; proj's 10-long rows are groups of
  // 4, 4 and a ragged 2, each keeping 2: 6 of 10 per row.
  EXPECT_EQ(s.nonzeros_after, 4 * 27 + 10 * 32 + 5 * 6);
  const Workload w = read_trace_file(out.string());
  EXPECT_EQ(w.layers[2].weights.compression.pattern, SparsityPattern::NM);
  fs::remove(out);
  fs::remove(fs::path(out).replace_extension("").string() + ".weights.bin");
  fs::remove(p);
  // An operator the importer does not know, and a truncated file: InputErrors.
  const fs::path bad = write_model(cnn_graph(node("NonMaxSuppression", {"y"}, "z")));
  EXPECT_THROW(import_onnx(bad.string(), 1), InputError);
  std::string model;
  {
    std::ifstream in(bad, std::ios::binary);
    model.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(bad, std::ios::binary | std::ios::trunc) << model.substr(0, model.size() - 20);
  EXPECT_THROW(import_onnx(bad.string(), 1), InputError);
  fs::remove(bad);
}

// Issue #16's crash classes: every attribute, rank and axis is checked before use and turned into
// a located InputError (file, node name and op), never a division by zero or an out-of-bounds access.
std::string import_error(const std::string& graph) {
  const fs::path p = write_model(graph);
  std::string msg;
  try {
    import_onnx(p.string(), 1);
  } catch (const InputError& e) {
    msg = e.what();
  }
  fs::remove(p);
  return msg;
}

std::string conv_with(const std::string& attrs) {
  return node("Conv", {"x", "w"}, "c", attrs) + bytes(5, tensor("w", {4, 3, 3, 3})) + input();
}
std::string pool_with(const std::string& attrs) {
  return node("MaxPool", {"x"}, "p", attr_ints("kernel_shape", {2, 2}) + attrs) + node("Conv", {"p", "w"}, "c") +
         bytes(5, tensor("w", {4, 3, 1, 1})) + input();
}

TEST(OnnxHardening, ConvAndPoolAttributesAreCheckedBeforeUse) {
  const std::string zero_stride = import_error(conv_with(attr_ints("strides", {0, 1})));
  EXPECT_NE(zero_stride.find("node 'Conv_c' (Conv)"), std::string::npos) << zero_stride;
  EXPECT_NE(zero_stride.find("strides"), std::string::npos) << zero_stride;
  EXPECT_NE(import_error(conv_with(attr_i("group", 0))).find("group must be >= 1"), std::string::npos);
  EXPECT_NE(import_error(conv_with(attr_ints("strides", {1}))).find("expected 2 strides"), std::string::npos);
  EXPECT_NE(import_error(conv_with(attr_ints("pads", {1, 1}))).find("expected 4 pads"), std::string::npos);
  EXPECT_NE(import_error(conv_with(attr_ints("dilations", {1, 0}))).find("dilations"), std::string::npos);
  EXPECT_NE(import_error(pool_with(attr_ints("strides", {0, 2}))).find("(MaxPool): strides"), std::string::npos);
  EXPECT_NE(import_error(pool_with(attr_ints("strides", {2}))).find("expected 2 strides"), std::string::npos);
  EXPECT_NE(import_error(pool_with(attr_ints("pads", {0, 0}))).find("expected 4 pads"), std::string::npos);
  EXPECT_NE(import_error(pool_with(attr_ints("pads", {0, 0, -1, 0}))).find("pads must be"), std::string::npos);
}

TEST(OnnxHardening, AxesAndRanksAreChecked) {
  // Unsqueeze of [N,3,8,8] at axis 7 (the output has rank 5), twice the same axis, Gather on a 0-d
  // constant, Squeeze of a dimension that is not 1, Transpose with a short perm, Concat off-axis mismatch.
  const std::string tail = node("Conv", {"x", "w"}, "c") + bytes(5, tensor("w", {4, 3, 1, 1})) + input();
  EXPECT_NE(import_error(node("Unsqueeze", {"x"}, "u", attr_ints("axes", {7})) + tail).find("axis 7 is out of range for rank 5"), std::string::npos);
  EXPECT_NE(import_error(node("Unsqueeze", {"x"}, "u", attr_ints("axes", {-6})) + tail).find("out of range"), std::string::npos);
  EXPECT_NE(import_error(node("Unsqueeze", {"x"}, "u", attr_ints("axes", {1, 1})) + tail).find("given twice"), std::string::npos);
  const std::string scalar = bytes(5, num(2, 7) + bytes(8, "s") + packed(7, {5}));  // INT64 0-d tensor
  EXPECT_NE(import_error(node("Gather", {"s", "x"}, "g") + scalar + tail).find("0-d tensor"), std::string::npos);
  EXPECT_NE(import_error(node("Gather", {"x", "x"}, "g", attr_i("axis", 4)) + tail).find("out of range"), std::string::npos);
  EXPECT_NE(import_error(node("Squeeze", {"x"}, "q", attr_ints("axes", {1})) + tail).find("cannot squeeze"), std::string::npos);
  EXPECT_NE(import_error(node("Transpose", {"x"}, "t", attr_ints("perm", {0, 1})) + tail).find("perm has 2 entries"), std::string::npos);
  EXPECT_NE(import_error(node("Flatten", {"x"}, "f", attr_i("axis", 9)) + tail).find("out of range"), std::string::npos);
  EXPECT_NE(import_error(node("Reshape", {"x", "shp"}, "r") + bytes(5, num(2, 7) + bytes(8, "shp") + packed(1, {2}) + packed(7, {-1, -1})) + tail)
                .find("more than one -1"),
            std::string::npos);
}

TEST(OnnxNames, LayersAreNamedAfterTheModuleInTheNodeName) {
  // torch.onnx names a Conv node "/layer1/layer1.0/conv1/Conv" and its folded weight "onnx::Conv_7".
  const std::string g = bytes(1, bytes(1, "x") + bytes(1, "onnx::Conv_7") + bytes(2, "c") + bytes(3, "/layer1/layer1.0/conv1/Conv") + bytes(4, "Conv")) +
                        bytes(5, tensor("onnx::Conv_7", {4, 3, 1, 1})) + input();
  const fs::path p = write_model(g);
  const OnnxImport m = import_onnx(p.string(), 1);
  ASSERT_EQ(m.network.workload.layers.size(), 1u);
  EXPECT_EQ(m.network.workload.layers[0].name, "layer1.0.conv1");
  EXPECT_TRUE(m.weights.get("layer1.0.conv1", 4, 3).has_value());
  // The same file as --weights for a network with torchvision names: found by module path.
  const WeightStore w = WeightStore::open(p.string());
  EXPECT_TRUE(w.has("layer1.0.conv1"));
  fs::remove(p);
}

TEST(OnnxDimsOptions, SymbolicDimensionsTakeTheirOptionAndOthersAreErrors) {
  const fs::path p = write_model(cnn_graph());
  EXPECT_EQ(import_onnx(p.string(), OnnxDims{4, true, 0, 0}).network.workload.layers[0].batch, 4);
  std::string e;
  try {
    import_onnx(p.string(), OnnxDims{1, false, 128, 0});
  } catch (const InputError& x) {
    e = x.what();
  }
  EXPECT_NE(e.find("--seq-len does not apply"), std::string::npos) << e;
  e.clear();
  try {
    import_onnx(p.string(), OnnxDims{1, false, 0, 224});
  } catch (const InputError& x) {
    e = x.what();
  }
  EXPECT_NE(e.find("--image does not apply"), std::string::npos) << e;
  fs::remove(p);
}

}  // namespace
}  // namespace accsim
