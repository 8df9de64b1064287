// Bit patterns of the float formats. Expected patterns are worked out by hand from each format's
// definition (sign | biased exponent | fraction), or come from the OCP FP8 spec v1.0 Table 1.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "sim/hw/mac/arith/float_format.hpp"

using namespace accsim::arith;

TEST(FloatFormat, Fp16KnownPatterns) {
  const FloatFormat h = fp16_format();
  EXPECT_EQ(encode(h, 1.0), 0x3C00u);            // exp 15 (bias 15), fraction 0
  EXPECT_EQ(encode(h, -2.0), 0xC000u);
  EXPECT_EQ(encode(h, 65504.0), 0x7BFFu);        // (2 - 2^-10) * 2^15, largest finite
  EXPECT_EQ(encode(h, std::ldexp(1.0, -14)), 0x0400u);  // smallest normal
  EXPECT_EQ(encode(h, std::ldexp(1.0, -24)), 0x0001u);  // smallest subnormal
  EXPECT_EQ(encode(h, 1023 * std::ldexp(1.0, -24)), 0x03FFu);  // largest subnormal
  EXPECT_EQ(decode(h, 0x0001), std::ldexp(1.0, -24));
  EXPECT_EQ(decode(h, 0x3555), 0.333251953125);  // 1.0101010101b * 2^-2
  EXPECT_EQ(encode(h, -0.0), 0x8000u);
  EXPECT_EQ(encode(h, INFINITY), 0x7C00u);
  EXPECT_TRUE(is_nan(h, encode(h, NAN)));
  EXPECT_TRUE(std::isinf(decode(h, 0xFC00)) && decode(h, 0xFC00) < 0);
}

TEST(FloatFormat, Fp16RoundsTiesToEven) {
  const FloatFormat h = fp16_format();
  const double ulp = std::ldexp(1.0, -10);  // at 1.0
  EXPECT_EQ(encode(h, 1.0 + ulp / 2), 0x3C00u);            // tie, 0x3C00 is even
  EXPECT_EQ(encode(h, 1.0 + 3 * ulp / 2), 0x3C02u);        // tie between 0x3C01 and 0x3C02
  EXPECT_EQ(encode(h, 1.0 + ulp / 2 + 1e-9), 0x3C01u);     // just above the tie
  EXPECT_EQ(encode(h, 1.0 + ulp / 2 - 1e-9), 0x3C00u);     // just below
  // Subnormal ties: half the smallest subnormal goes to 0 (even), 1.5x goes to 2 quanta.
  EXPECT_EQ(encode(h, std::ldexp(1.0, -25)), 0x0000u);
  EXPECT_EQ(encode(h, 3 * std::ldexp(1.0, -25)), 0x0002u);
  // Rounding up across a binade: the largest subnormal + half a quantum becomes the smallest normal.
  EXPECT_EQ(encode(h, 1023.5 * std::ldexp(1.0, -24)), 0x0400u);
}

TEST(FloatFormat, Fp16Overflow) {
  const FloatFormat h = fp16_format();
  // Half an ulp (16) above 65504 is a tie between 0x7BFF (odd) and 2^16: rounds up, overflows.
  EXPECT_EQ(encode(h, 65520.0), 0x7C00u);
  EXPECT_EQ(encode(h, 65519.99), 0x7BFFu);
  EXPECT_EQ(encode(h, 1e6, OverflowMode::Saturate), 0x7BFFu);
  EXPECT_EQ(encode(h, -1e6, OverflowMode::Saturate), 0xFBFFu);
  EXPECT_EQ(encode(h, -INFINITY, OverflowMode::Saturate), 0xFBFFu);
}

TEST(FloatFormat, E4M3FollowsOcp) {
  const FloatFormat f = e4m3_format();
  EXPECT_EQ(f.max_finite(), 448.0);
  EXPECT_EQ(encode(f, 448.0), 0x7Eu);      // S.1111.110 = 1.75 * 2^8
  EXPECT_EQ(encode(f, 256.0), 0x78u);      // the all-ones exponent holds normal numbers in E4M3
  EXPECT_EQ(encode(f, 1.0), 0x38u);        // exp 7 (bias 7)
  EXPECT_EQ(encode(f, std::ldexp(1.0, -6)), 0x08u);  // smallest normal
  EXPECT_EQ(encode(f, std::ldexp(1.0, -9)), 0x01u);  // smallest subnormal 2^-9
  EXPECT_TRUE(is_nan(f, 0x7F));
  EXPECT_TRUE(is_nan(f, 0xFF));
  EXPECT_FALSE(is_nan(f, 0x7E));
  EXPECT_FALSE(is_inf(f, 0x78));  // no infinities at all
  EXPECT_TRUE(std::isnan(decode(f, 0x7F)));
  EXPECT_EQ(decode(f, 0xFE), -448.0);
  // 464 is a tie between 448 (fraction 110, even) and 480 (would be 111 = NaN): rounds to 448.
  EXPECT_EQ(encode(f, 464.0), 0x7Eu);
  // Beyond that, the non-saturating mode gives NaN (there is no Inf); saturating gives 448.
  EXPECT_EQ(encode(f, 465.0), 0x7Fu);
  EXPECT_EQ(encode(f, -465.0), 0xFFu);
  EXPECT_EQ(encode(f, INFINITY), 0x7Fu);
  EXPECT_EQ(encode(f, 465.0, OverflowMode::Saturate), 0x7Eu);
  EXPECT_EQ(encode(f, INFINITY, OverflowMode::Saturate), 0x7Eu);
  EXPECT_EQ(encode(f, NAN, OverflowMode::Saturate), 0x7Fu);
}

TEST(FloatFormat, E5M2IsIeeeLike) {
  const FloatFormat f = e5m2_format();
  EXPECT_EQ(f.max_finite(), 57344.0);
  EXPECT_EQ(encode(f, 57344.0), 0x7Bu);    // S.11110.11 = 1.75 * 2^15
  EXPECT_EQ(encode(f, 1.0), 0x3Cu);        // exp 15 (bias 15)
  EXPECT_EQ(encode(f, std::ldexp(1.0, -16)), 0x01u);  // smallest subnormal 2^(-14-2)
  EXPECT_EQ(encode(f, INFINITY), 0x7Cu);
  EXPECT_TRUE(is_nan(f, 0x7D) && is_nan(f, 0x7E) && is_nan(f, 0x7F));
  EXPECT_TRUE(is_inf(f, 0xFC));
  // 61440 = 57344 + half an ulp (4096): tie, 0x7B is odd, rounds up to 2^16 = overflow = Inf.
  EXPECT_EQ(encode(f, 61440.0), 0x7Cu);
  EXPECT_EQ(encode(f, 61439.0), 0x7Bu);
  EXPECT_EQ(encode(f, 61440.0, OverflowMode::Saturate), 0x7Bu);
  EXPECT_EQ(encode(f, 1.0 + 0.125), 0x3Cu);   // tie at 1 + ulp/2 to even
  EXPECT_EQ(encode(f, 1.0 + 0.375), 0x3Eu);   // tie between 0x3D and 0x3E, to even
}

TEST(FloatFormat, Bf16AndTf32) {
  const FloatFormat b = bf16_format();
  EXPECT_EQ(encode(b, 1.0), 0x3F80u);          // the top half of fp32's 0x3F800000
  EXPECT_EQ(encode(b, 1.0 + std::ldexp(1.0, -8)), 0x3F80u);      // tie to even
  EXPECT_EQ(encode(b, 1.0 + 3 * std::ldexp(1.0, -8)), 0x3F82u);  // tie to even (up)
  EXPECT_EQ(encode(b, std::ldexp(1.0, -133)), 0x0001u);          // smallest subnormal 2^(-126-7)
  EXPECT_EQ(decode(b, 0x7F7F), std::ldexp(255.0 / 128.0, 127));   // largest finite
  const FloatFormat t = tf32_format();
  EXPECT_EQ(t.bits(), 19);
  EXPECT_EQ(encode(t, 1.0), 127u << 10);      // exp 127, 10 fraction bits, right-aligned
  EXPECT_EQ(encode(t, -1.0), (1u << 18) | (127u << 10));
  EXPECT_EQ(encode(t, 1.0 + std::ldexp(1.0, -11)), 127u << 10);  // tie to even
}

// Oracles: the compiler's float and _Float16 conversions (correctly rounded, ties to even).
TEST(FloatFormat, MatchesHardwareConversionsOnRandomValues) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mant(-2.0, 2.0);
  std::uniform_int_distribution<int> ex(-160, 140);
  const FloatFormat s = fp32_format(), h = fp16_format();
  for (int i = 0; i < 200000; ++i) {
    const double v = std::ldexp(mant(rng), ex(rng));
    const float f = static_cast<float>(v);
    uint32_t fbits;
    std::memcpy(&fbits, &f, 4);
    ASSERT_EQ(encode(s, v), fbits) << v;
    ASSERT_EQ(decode(s, fbits), static_cast<double>(f));
#ifdef __FLT16_MAX__
    const _Float16 hv = static_cast<_Float16>(v);
    uint16_t hbits;
    std::memcpy(&hbits, &hv, 2);
    ASSERT_EQ(encode(h, v), hbits) << v;
#endif
  }
}

TEST(FloatFormat, EveryPatternRoundTrips) {
  for (const FloatFormat& f : {e4m3_format(), e5m2_format(), fp16_format(), bf16_format()}) {
    for (uint32_t bits = 0; bits < (1u << f.bits()); ++bits) {
      if (is_nan(f, bits)) continue;
      ASSERT_EQ(encode(f, decode(f, bits)), bits) << f.name << " " << bits;
    }
  }
}
