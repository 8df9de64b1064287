// Operand value distributions and their bit-toggle probabilities (sim/workload/value_dist.hpp).
// Every expected value is derived by hand beside it.
#include <gtest/gtest.h>

#include "sim/workload/trace.hpp"
#include "sim/workload/value_dist.hpp"
#include "sim/workload/workload_overrides.hpp"
#include "tests/unit/test_support.hpp"

namespace accsim {
namespace {

DType dtype(const char* name) {
  DType t;
  EXPECT_TRUE(parse_dtype(name, t)) << name;
  return t;
}

ValueDist dist(const char* text) {
  ValueDist d;
  EXPECT_TRUE(parse_value_dist(text, d)) << text;
  return d;
}

TEST(ValueDist, ParsesAndNamesItsForms) {
  for (const char* text : {"randn", "rand", "zeros", "int:-4:4", "int:0:9", "int:7:7"}) EXPECT_EQ(dist(text).name(), text);
  ValueDist d;
  for (const char* bad : {"", "normal", "int", "int:", "int:1", "int:3:2", "int:a:2", "int:1:2x", "int:0:70000", "int:-1:", "randn "})
    EXPECT_FALSE(parse_value_dist(bad, d)) << bad;
  EXPECT_EQ(ValueDist{}.name(), "randn");  // the default: trained tensors are bell-shaped around 0
}

TEST(ValueDist, EncodesEachFormat) {
  EXPECT_EQ(encode_value(1.0, dtype("fp16")), 0x3C00u);    // exponent 15 (bias 15), fraction 0
  EXPECT_EQ(encode_value(-2.0, dtype("fp16")), 0xC000u);   // sign, exponent 16
  EXPECT_EQ(encode_value(65504.0, dtype("fp16")), 0x7BFFu);  // largest finite
  EXPECT_EQ(encode_value(1e6, dtype("fp16")), 0x7BFFu);    // saturates, no infinity
  EXPECT_EQ(encode_value(0x1p-24, dtype("fp16")), 0x0001u);  // smallest subnormal
  EXPECT_EQ(encode_value(1.0, dtype("bf16")), 0x3F80u);    // exponent 127 (bias 127)
  EXPECT_EQ(encode_value(448.0, dtype("fp8_e4m3")), 0x7Eu);  // OCP E4M3 max: 1.75 x 2^8, S.1111.110
  EXPECT_EQ(encode_value(1000.0, dtype("fp8_e4m3")), 0x7Eu);
  EXPECT_EQ(encode_value(1.0, dtype("fp8_e5m2")), 0x3Cu);  // exponent 15 (bias 15)
  EXPECT_EQ(encode_value(-1.0, dtype("int8")), 0xFFu);     // two's complement
  EXPECT_EQ(encode_value(300.0, dtype("int8")), 0x7Fu);    // saturates at 127
}

TEST(ValueDist, ToggleProbabilitiesDerivedByHand) {
  // Zeros never toggle.
  EXPECT_EQ(bit_toggle_probability(dist("zeros"), dtype("fp16")), 0.0);
  // 0 and 1 in int8: bit 0 is set half the time, 2 x 0.5 x 0.5 = 0.5; 7 bits never: 0.5 / 8.
  EXPECT_DOUBLE_EQ(bit_toggle_probability(dist("int:0:1"), dtype("int8")), 0.0625);
  // -1 (0xFF) and 0: all 8 bits set half the time: 0.5.
  EXPECT_DOUBLE_EQ(bit_toggle_probability(dist("int:-1:0"), dtype("int8")), 0.5);
  // 1.0 (0 01111 0...) and 2.0 (0 10000 0...) in fp16: the 5 exponent bits differ: 5 x 0.5 / 16.
  EXPECT_DOUBLE_EQ(bit_toggle_probability(dist("int:1:2"), dtype("fp16")), 5 * 0.5 / 16);
  // U[0, 1) quantized onto int8 codes 0..127: q and 127 - q are equally likely and complementary in
  // the low 7 bits, so each is set with p = 0.5; the sign bit never: 7 x 0.5 / 8.
  EXPECT_NEAR(bit_toggle_probability(dist("rand"), dtype("int8")), 7 * 0.5 / 8, 1e-12);
  // randn: the fp16 sign bit is set half the time and the low mantissa bits about half the time,
  // while the top exponent bits of N(0, 1) values (0.5 <= |x| < 4 mostly) rarely change, so the
  // mean lies between the sign bit's 0.5 / 16 share and 0.5.
  const double randn = bit_toggle_probability(dist("randn"), dtype("fp16"));
  EXPECT_GT(randn, 0.35);
  EXPECT_LT(randn, 0.5);
  // Small integers leave most fp16 mantissa bits at 0: fewer toggles than randn.
  EXPECT_LT(bit_toggle_probability(dist("int:-4:4"), dtype("fp16")), 0.5 * randn);
}

TEST(ValueDist, InlineSpecSetsBothOperands) {
  const Layer l = load_workload("gemm:m=2,n=3,k=4,dtype=fp16,data=int:-4:4").layers[0];
  EXPECT_EQ(l.weights.values.name(), "int:-4:4");
  EXPECT_EQ(l.activations.values.name(), "int:-4:4");
  EXPECT_EQ(load_workload("gemm:m=2,n=3,k=4").layers[0].weights.values.name(), "randn");
  EXPECT_NE(test::input_error([] { load_workload("gemm:m=2,n=3,k=4,data=gauss"); })
                .find("unknown data distribution 'gauss' (known: randn, rand, zeros or int:LO:HI)"),
            std::string::npos);
}

TEST(ValueDist, WorkloadSetAppliesToEveryLayer) {
  Workload w = load_workload("gemm:m=2,n=3,k=4,dtype=fp16");
  apply_workload_overrides(w, {"data=zeros"});
  EXPECT_EQ(w.layers[0].weights.values.name(), "zeros");
  EXPECT_EQ(w.layers[0].activations.values.name(), "zeros");
  EXPECT_NE(test::input_error([&] { apply_workload_overrides(w, {"data=int:4"}); }).find("unknown data distribution 'int:4'"),
            std::string::npos);
}

}  // namespace
}  // namespace accsim
