#pragma once
// Binary floating-point formats as bit patterns: encode (round to nearest, ties to even) and decode.
// Covers the IEEE-style formats (fp16, bf16, tf32, fp32, OCP fp8_e5m2) and OCP fp8_e4m3, which has
// no infinities and a single NaN mantissa (OCP 8-bit Floating Point Specification v1.0, 2023, Table 1).
#include <cstdint>
#include <string>

#include "sim/core/dtype.hpp"

namespace accsim::arith {

// What a conversion does with a finite value that rounds beyond the largest finite magnitude.
//   ieee:     to Inf where the format has one, else (E4M3) to NaN. This is the OCP spec's
//             non-saturating mode and the IEEE 754 default.
//   saturate: to the largest finite value of the same sign (OCP "saturating" mode; Inf inputs are
//             clamped too, as NVIDIA's __NV_SATFINITE conversions do). NaN stays NaN.
enum class OverflowMode { Ieee, Saturate };

struct FloatFormat {
  int exponent_bits = 8;
  int mantissa_bits = 23;   // explicit fraction bits
  bool ieee_specials = true;  // all-ones exponent = Inf/NaN; false = OCP E4M3 (only S.1111.111 is NaN)
  std::string name = "fp32";

  int bits() const { return 1 + exponent_bits + mantissa_bits; }
  int bias() const { return (1 << (exponent_bits - 1)) - 1; }
  int min_normal_exponent() const { return 1 - bias(); }
  int max_exponent() const;      // unbiased exponent of the largest finite value
  double max_finite() const;
  double min_subnormal() const;  // 2^(emin - mantissa_bits)
  uint32_t nan_pattern(bool negative) const;  // the canonical (quiet) NaN
};

FloatFormat fp32_format();
FloatFormat tf32_format();     // 1+8+10 = 19 significant bits, returned right-aligned
FloatFormat fp16_format();
FloatFormat bf16_format();
FloatFormat e4m3_format();
FloatFormat e5m2_format();
// The format of a float DType; throws std::invalid_argument for integers.
FloatFormat float_format_of(const DType& t);

// Rounds `value` into the format (ties to even) and returns the bit pattern, right-aligned.
uint32_t encode(const FloatFormat& f, double value, OverflowMode mode = OverflowMode::Ieee);
double decode(const FloatFormat& f, uint32_t bits);
// encode then decode: the nearest representable value (NaN, +-Inf included).
double round_to(const FloatFormat& f, double value, OverflowMode mode = OverflowMode::Ieee);

bool is_nan(const FloatFormat& f, uint32_t bits);
bool is_inf(const FloatFormat& f, uint32_t bits);

}  // namespace accsim::arith
