// Issue #16: checked number parsing, YAML document checks and the hand-written .npy header scanner.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "sim/core/parse_number.hpp"
#include "sim/core/yaml_checks.hpp"
#include "sim/import/weights_io.hpp"
#include "sim/workload/weight_mask.hpp"
#include "tests/unit/test_support.hpp"

namespace accsim {
namespace {

namespace fs = std::filesystem;
using test::input_error;

TEST(ParseNumber, WholeTextAndRange) {
  EXPECT_EQ(parse_int64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_int64("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(parse_int64("+12"), 12);
  EXPECT_FALSE(parse_int64("9223372036854775808"));  // 2^63: does not fit
  EXPECT_FALSE(parse_int64("12x"));
  EXPECT_FALSE(parse_int64(""));
  EXPECT_FALSE(parse_int64("1e3"));
  EXPECT_FALSE(parse_uint64("-1"));  // never wrapped to 2^64 - 1
  EXPECT_EQ(parse_uint64("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_finite_double("inf"));
  EXPECT_FALSE(parse_finite_double("nan"));
  EXPECT_FALSE(parse_finite_double("1e400"));  // overflows to inf
  EXPECT_EQ(parse_finite_double("2.5e3"), 2500.0);
  const SourceLocation at{"f", 3, "wbits"};
  EXPECT_EQ(input_error([&] { parse_int_in("4294967297", 1, kInt32Max, at, "wbits"); }),
            "f:3: wbits: wbits must be a positive integer, got '4294967297' (does not fit a 32-bit integer)");
  EXPECT_EQ(input_error([&] { parse_int_in("33", 1, 32, at, "bits"); }),
            "f:3: wbits: bits must be an integer in 1..32, got '33'");
}

TEST(YamlChecks, DuplicateKeysNameBothLines) {
  const YAML::Node n = YAML::Load("a: 1\nb:\n  c: 2\n  c: 3\n");
  EXPECT_EQ(input_error([&] { check_yaml_document(n, "x.yaml"); }), "x.yaml:4: c: key given twice (first at line 3)");
  EXPECT_NO_THROW(check_yaml_document(YAML::Load("a: {b: 1, c: [1, 2, {d: 3}]}"), "ok.yaml"));
}

TEST(YamlChecks, ComplexKeysAndInvalidUtf8) {
  EXPECT_EQ(input_error([] { check_yaml_document(YAML::Load("{[a]: 1}"), "x.yaml"); }),
            "x.yaml:1: a map key must be a plain name, not a list");
  EXPECT_TRUE(valid_utf8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(valid_utf8("\xff"));
  EXPECT_FALSE(valid_utf8("\xc0\x80"));          // overlong NUL
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(valid_utf8("\xe2\x82"));          // truncated
}

// A version-1 .npy file whose header dict is `dict` (padded as numpy pads it).
std::string npy(std::string dict, const std::string& data) {
  while ((10 + dict.size() + 1) % 64) dict += ' ';
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict + data;
}

std::string npy_error(const std::string& bytes) {
  const fs::path p = fs::temp_directory_path() / ("accsim-hard-" + std::to_string(::getpid()) + ".npy");
  std::ofstream(p, std::ios::binary) << bytes;
  const std::string msg = input_error([&] { WeightStore::open(p.string()); });
  fs::remove(p);
  return msg;
}

TEST(NpyHeader, LongHeadersAndHugeDimensionsAreErrorsNotCrashes) {
  // ~40k characters inside 'shape' overflowed the stack in std::regex before.
  const std::string long_shape = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::string(40000, ' ') + "2,), }";
  EXPECT_NE(npy_error(npy(long_shape, "")).find("file is truncated"), std::string::npos);
  const std::string huge = "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }";
  EXPECT_NE(npy_error(npy(huge, "")).find("shape dimension '99999999999999999999999' is out of range"), std::string::npos);
  const std::string product = "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 4), }";
  EXPECT_NE(npy_error(npy(product, "")).find("tensor shape is out of range"), std::string::npos);
  const std::string long_descr = "{'descr': '<f" + std::string(40000, '4') + "', 'fortran_order': False, 'shape': (1,), }";
  EXPECT_NE(npy_error(npy(long_descr, "")).find("no readable 'descr'"), std::string::npos);
}

}  // namespace
}  // namespace accsim

namespace accsim {
namespace {

TEST(UnstructuredMask, RadixSelectKeepsLargestMagnitudesTiesToLowerIndex) {
  Compression c;
  c.pattern = SparsityPattern::Unstructured;
  const SourceLocation at{"t", 0, ""};
  // |w| = 3 3 1 2 3 0.5: the three 3s are the top half; two thirds adds the 2 (index 3).
  const std::vector<float> w = {3, -3, 1, 2, 3, 0.5f};
  c.density = 0.5;
  EXPECT_EQ(prune_by_magnitude(w, 2, 3, c, at).keep.to_bytes(), (std::vector<uint8_t>{1, 1, 0, 0, 1, 0}));
  c.density = 4.0 / 6.0;
  EXPECT_EQ(prune_by_magnitude(w, 2, 3, c, at).keep.to_bytes(), (std::vector<uint8_t>{1, 1, 0, 1, 1, 0}));
  // All equal: the lower indices win.
  c.density = 0.5;
  EXPECT_EQ(prune_by_magnitude({1, 1, 1, 1}, 1, 4, c, at).keep.to_bytes(), (std::vector<uint8_t>{1, 1, 0, 0}));
}

TEST(UnstructuredMask, StreamedSyntheticMaskEqualsPruningStoredWeights) {
  Layer l;
  l.name = "fc";
  l.op = OpKind::Gemm;
  l.m = 4;
  l.n = 96;
  l.k = 200;
  l.weights.compression.pattern = SparsityPattern::Unstructured;
  l.weights.compression.density = 0.3;
  const auto streamed = weight_mask(l);
  const auto stored = prune_by_magnitude(synthetic_weights(96, 200, synthetic_seed(0, "fc")), 96, 200,
                                         l.weights.compression, l.origin);
  EXPECT_EQ(streamed->keep, stored.keep);
  EXPECT_EQ(streamed->nonzeros(), 5760);  // round(0.3 x 96 x 200)
}

}  // namespace
}  // namespace accsim
