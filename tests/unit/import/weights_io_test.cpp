// Real-weight readers: .npy and .safetensors built byte by byte here; broken files are InputErrors.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "sim/core/error.hpp"
#include "sim/import/weights_io.hpp"
#include "tests/common/protobuf_writer.hpp"

namespace accsim {
namespace {

namespace fs = std::filesystem;

std::string npy(const std::string& descr, const std::string& shape, const std::string& data, bool fortran = false) {
  std::string h = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + shape + "), }";
  while ((10 + h.size() + 1) % 64) h += ' ';
  h += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(h.size() & 0xff);
  out += static_cast<char>(h.size() >> 8);
  return out + h + data;
}

std::string floats(std::initializer_list<float> v) {
  std::string s;
  for (float f : v) s.append(reinterpret_cast<const char*>(&f), 4);
  return s;
}

fs::path write(const std::string& name, const std::string& bytes) {
  const fs::path p = fs::temp_directory_path() / ("accsim-wio-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

TEST(WeightsIo, NpyFloat32AndFloat16) {
  const fs::path p = write("fc.npy", npy("<f4", "2, 3", floats({1, 2, 3, 4, 5, -6})));
  const WeightStore s = WeightStore::open(p.string());
  const auto w = s.get(p.stem().string(), 2, 3);
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(*w, (std::vector<float>{1, 2, 3, 4, 5, -6}));
  EXPECT_THROW(s.get(p.stem().string(), 3, 3), InputError);  // wrong element count for the layer
  EXPECT_FALSE(s.get("other", 2, 3).has_value());
  // float16: 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800.
  const fs::path h = write("h.npy", npy("<f2", "3,", std::string("\x00\x3c\x00\xc0\x00\x38", 6)));
  EXPECT_EQ(*WeightStore::open(h.string()).get(h.stem().string(), 1, 3), (std::vector<float>{1.0f, -2.0f, 0.5f}));
  fs::remove(p);
  fs::remove(h);
}

TEST(WeightsIo, BrokenNpyFilesAreInputErrors) {
  const std::string good = npy("<f4", "2, 3", floats({1, 2, 3, 4, 5, 6}));
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"truncated data", good.substr(0, good.size() - 3)},
      {"truncated header", good.substr(0, 40)},
      {"bad magic", "\x93NUMPX" + good.substr(6)},
      {"too short", "\x93NU"},
      {"unknown dtype", npy("<c8", "2, 3", std::string(48, '\0'))},
      {"big endian", npy(">f4", "2, 3", floats({1, 2, 3, 4, 5, 6}))},
  };
  for (const auto& [what, bytes] : bad) {
    const fs::path p = write("bad.npy", bytes);
    EXPECT_THROW(WeightStore::open(p.string()), InputError) << what;
    fs::remove(p);
  }
  const fs::path f = write("f.npy", npy("<f4", "2, 3", floats({1, 2, 3, 4, 5, 6}), true));
  EXPECT_THROW(WeightStore::open(f.string()).get(f.stem().string(), 2, 3), InputError);  // Fortran order
  fs::remove(f);
}

std::string safetensors(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  const uint64_t n = header.size();
  std::memcpy(out.data(), &n, 8);
  return out + header + data;
}

TEST(WeightsIo, Safetensors) {
  const std::string data = floats({1, 2, 3, 4}) + std::string("\x80\x3f\x00\x40", 4);  // + bf16 1.0, 2.0
  const std::string hdr = R"({"__metadata__":{"format":"pt"},"fc.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                          R"("fc2.weight":{"dtype":"BF16","shape":[1,2],"data_offsets":[16,20]}})";
  const fs::path p = write("m.safetensors", safetensors(hdr, data));
  const WeightStore s = WeightStore::open(p.string());
  EXPECT_EQ(*s.get("fc", 2, 2), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(*s.get("fc2", 1, 2), (std::vector<float>{1, 2}));
  fs::remove(p);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"truncated", safetensors(hdr, data).substr(0, 8 + hdr.size() + 10)},
      {"not json", safetensors("{not json", data)},
      {"header too long", safetensors(hdr, data).replace(0, 1, "\xff")},
      {"offsets past end", safetensors(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,64]}})", data)},
      {"shape mismatch", safetensors(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})", data)},
      {"missing field", safetensors(R"({"a":{"dtype":"F32","shape":[4]}})", data)},
  };
  for (const auto& [what, bytes] : bad) {
    const fs::path b = write("bad.safetensors", bytes);
    EXPECT_THROW(WeightStore::open(b.string()), InputError) << what;
    fs::remove(b);
  }
  const fs::path u = write("x.pth", "whatever");
  EXPECT_THROW(WeightStore::open(u.string()), InputError);
  fs::remove(u);
}

// Protobuf wire format by hand (onnx.proto field numbers), tests/common/protobuf_writer.hpp.
using pbwire::varint;
std::string field(int number, const std::string& payload) { return pbwire::bytes(number, payload); }

TEST(WeightsIo, OnnxInitializers) {
  // TensorProto: dims (1) packed, data_type (2) FLOAT=1, name (8), raw_data (9) or float_data (4).
  const std::string t1 = field(1, varint(2) + varint(2)) + varint(2 << 3) + varint(1) + field(8, "fc.weight") +
                         field(9, floats({1, 2, 3, 4}));
  const std::string t2 = varint(1 << 3) + varint(3) + varint(2 << 3) + varint(1) + field(8, "conv.weight") +
                         field(4, floats({-1, 0.5f, 7}));
  const std::string shape_const = field(1, varint(1)) + varint(2 << 3) + varint(7) + field(8, "shape") + field(7, varint(5));
  // Nodes are read too (a Conv/Gemm/MatMul node's module path aliases its weight): a well-formed one.
  const std::string graph = field(1, field(4, "Relu")) + field(5, t1) + field(5, t2) + field(5, shape_const) + field(2, "g");
  const std::string model = varint(1 << 3) + varint(7) + field(7, graph);
  const fs::path p = write("m.onnx", model);
  const WeightStore s = WeightStore::open(p.string());
  EXPECT_EQ(*s.get("fc", 2, 2), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(*s.get("conv", 1, 3), (std::vector<float>{-1, 0.5f, 7}));
  EXPECT_FALSE(s.get("shape", 1, 1).has_value());  // integer constants are not weights
  fs::remove(p);
  for (size_t cut : {model.size() - 3, model.size() / 2, size_t{3}}) {
    const fs::path b = write("cut.onnx", model.substr(0, cut));
    EXPECT_THROW(WeightStore::open(b.string()), InputError) << cut;
    fs::remove(b);
  }
  // Dims that disagree with the data, and external data, are errors.
  const std::string wrong = field(1, varint(3) + varint(2)) + varint(2 << 3) + varint(1) + field(8, "w") + field(9, floats({1, 2}));
  const fs::path w = write("w.onnx", field(7, field(5, wrong)));
  EXPECT_THROW(WeightStore::open(w.string()), InputError);
  fs::remove(w);
  const std::string ext = field(1, varint(1)) + varint(2 << 3) + varint(1) + field(8, "e") + varint(14 << 3) + varint(1);
  const fs::path e = write("e.onnx", field(7, field(5, ext)));
  EXPECT_THROW(WeightStore::open(e.string()), InputError);
  fs::remove(e);
}

}  // namespace
}  // namespace accsim
