// Integer and floating-point MAC arithmetic; expected values worked out by hand beside each check.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "sim/hw/mac/arith/float_mac.hpp"
#include "sim/hw/mac/arith/int_mac.hpp"

using namespace accsim::arith;

TEST(IntMac, WrapAndSaturateAt16Bits) {
  const IntFormat i8{8, true}, acc16{16, true};
  IntMac wrap(i8, i8, acc16, IntOverflow::Wrap), sat(i8, i8, acc16, IntOverflow::Saturate);
  for (int i = 0; i < 3; ++i) {
    wrap.mac(127, 127);
    sat.mac(127, 127);
  }
  // 3 x 16129 = 48387 > 32767: wraps to 48387 - 65536 = -17149; saturates at 32767.
  EXPECT_EQ(wrap.value(), -17149);
  EXPECT_EQ(sat.value(), 32767);
  EXPECT_EQ(wrap.overflows(), 1u);
  // Saturation is sticky per step, not retroactive: 32767 + (-128 x 127) = 16511.
  sat.mac(-128, 127);
  EXPECT_EQ(sat.value(), 16511);
}

TEST(IntMac, NegativeSaturationAndUnsigned) {
  IntMac s({4, true}, {4, true}, {8, true}, IntOverflow::Saturate);
  for (int i = 0; i < 3; ++i) s.mac(-8, 7);  // -56 x 3 = -168 < -128
  EXPECT_EQ(s.value(), -128);
  IntMac u({8, false}, {8, false}, {16, false}, IntOverflow::Wrap);
  u.mac(255, 255);  // 65025
  u.mac(2, 255);    // 65535
  EXPECT_EQ(u.value(), 65535);
  u.mac(1, 1);      // 65536 wraps to 0 in 16 unsigned bits
  EXPECT_EQ(u.value(), 0);
}

TEST(IntMac, RejectsOperandsOutsideTheirFormat) {
  IntMac m({2, true}, {4, false}, {32, true}, IntOverflow::Wrap);
  m.mac(-2, 15);  // int2 holds -2..1, uint4 holds 0..15
  EXPECT_EQ(m.value(), -30);
  EXPECT_THROW(m.mac(2, 1), std::out_of_range);
  EXPECT_THROW(m.mac(1, -1), std::out_of_range);
}

TEST(IntMac, WideOperandsIntoA64BitAccumulator) {
  IntMac m({32, true}, {32, true}, {64, true}, IntOverflow::Saturate);
  m.mac(INT32_MIN, INT32_MIN);  // 2^62
  m.mac(INT32_MIN, INT32_MIN);  // 2^63 > INT64_MAX: saturates
  EXPECT_EQ(m.value(), INT64_MAX);
  EXPECT_EQ(wrap_to(static_cast<__int128>(1) << 63, {64, true}), INT64_MIN);
}

TEST(FloatMac, Fp16AccumulatorStallsAt2048) {
  // fp16 has 11 significand bits: at 2048 the ulp is 2, so 2048 + 1 ties back to 2048 (even).
  FloatMac h(fp16_format(), fp16_format());
  FloatMac s(fp16_format(), fp32_format());
  for (int i = 0; i < 3000; ++i) {
    h.mac(1.0, 1.0);
    s.mac(1.0, 1.0);
  }
  EXPECT_EQ(h.value(), 2048.0);
  EXPECT_EQ(h.bits(), 0x6800u);  // 2^11: exp 26, fraction 0
  EXPECT_EQ(s.value(), 3000.0);
}

TEST(FloatMac, OperandsAreRoundedIntoTheirFormat) {
  // 0.1 in E4M3 is 0.1015625 (1.101b x 2^-4); squared exactly = 0.01031494140625, exact in fp32.
  FloatMac m(e4m3_format(), fp32_format());
  m.mac(0.1, 0.1);
  EXPECT_EQ(m.value(), 0.1015625 * 0.1015625);
}

TEST(FloatMac, ProductRoundingAndOverflowModes) {
  FloatMac wide(e4m3_format(), fp32_format());
  wide.mac(448.0, 2.0);
  EXPECT_EQ(wide.value(), 896.0);  // exact in fp32
  // Products rounded to E4M3 overflow: NaN in the OCP non-saturating mode, 448 when saturating.
  FloatMac nan_mode(e4m3_format(), fp32_format(), ProductRounding::Operand, OverflowMode::Ieee);
  nan_mode.mac(448.0, 2.0);
  EXPECT_TRUE(std::isnan(nan_mode.value()));
  FloatMac sat(e4m3_format(), fp32_format(), ProductRounding::Operand, OverflowMode::Saturate);
  sat.mac(448.0, 2.0);
  EXPECT_EQ(sat.value(), 448.0);
  // bf16 accumulator: 256 + 1 is a tie (ulp 2 at 256) and stays 256; 256 + 3 -> 260 (tie to even).
  FloatMac b(bf16_format(), bf16_format());
  b.mac(16.0, 16.0);
  b.mac(1.0, 1.0);
  EXPECT_EQ(b.value(), 256.0);
  b.mac(3.0, 1.0);
  EXPECT_EQ(b.value(), 260.0);
  // E5M2 accumulating past 57344 becomes +Inf.
  FloatMac e(e5m2_format(), e5m2_format());
  e.mac(57344.0, 1.0);
  e.mac(8192.0, 1.0);
  EXPECT_TRUE(std::isinf(e.value()));
}
