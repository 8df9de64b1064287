#include "sim/hw/mac/arith/float_format.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace accsim::arith {

namespace {
FloatFormat make(int e, int m, bool ieee, const char* name) { return FloatFormat{e, m, ieee, name}; }
uint32_t all_ones(int n) { return n >= 32 ? 0xFFFFFFFFu : ((1u << n) - 1u); }
}  // namespace

int FloatFormat::max_exponent() const {
  // IEEE-style formats reserve the all-ones exponent for Inf/NaN; E4M3 uses it for normal numbers.
  const int top_field = static_cast<int>(all_ones(exponent_bits)) - (ieee_specials ? 1 : 0);
  return top_field - bias();
}

double FloatFormat::max_finite() const {
  // Largest significand: all mantissa ones, except E4M3 whose all-ones pattern at the top exponent is NaN.
  const double ulps = static_cast<double>(all_ones(mantissa_bits)) - (ieee_specials ? 0.0 : 1.0);
  return std::ldexp(1.0 + ulps / std::ldexp(1.0, mantissa_bits), max_exponent());
}

double FloatFormat::min_subnormal() const { return std::ldexp(1.0, min_normal_exponent() - mantissa_bits); }

uint32_t FloatFormat::nan_pattern(bool negative) const {
  const uint32_t sign = negative ? (1u << (bits() - 1)) : 0u;
  const uint32_t exp = all_ones(exponent_bits) << mantissa_bits;
  // IEEE quiet NaN: top mantissa bit set. OCP E4M3: the only NaN mantissa is all ones.
  const uint32_t man = ieee_specials ? (1u << (mantissa_bits - 1)) : all_ones(mantissa_bits);
  return sign | exp | man;
}

FloatFormat fp32_format() { return make(8, 23, true, "fp32"); }
FloatFormat tf32_format() { return make(8, 10, true, "tf32"); }
FloatFormat fp16_format() { return make(5, 10, true, "fp16"); }
FloatFormat bf16_format() { return make(8, 7, true, "bf16"); }
FloatFormat e4m3_format() { return make(4, 3, false, "fp8_e4m3"); }
FloatFormat e5m2_format() { return make(5, 2, true, "fp8_e5m2"); }

FloatFormat float_format_of(const DType& t) {
  if (!t.is_float()) throw std::invalid_argument(t.name + " is not a floating-point format");
  if (t.name == "fp8_e4m3") return e4m3_format();
  return make(t.exponent_bits, t.mantissa_bits, true, t.name.c_str());
}

bool is_nan(const FloatFormat& f, uint32_t bits) {
  const uint32_t exp = (bits >> f.mantissa_bits) & all_ones(f.exponent_bits);
  const uint32_t man = bits & all_ones(f.mantissa_bits);
  if (exp != all_ones(f.exponent_bits)) return false;
  return f.ieee_specials ? man != 0 : man == all_ones(f.mantissa_bits);
}

bool is_inf(const FloatFormat& f, uint32_t bits) {
  const uint32_t exp = (bits >> f.mantissa_bits) & all_ones(f.exponent_bits);
  const uint32_t man = bits & all_ones(f.mantissa_bits);
  return f.ieee_specials && exp == all_ones(f.exponent_bits) && man == 0;
}

uint32_t encode(const FloatFormat& f, double value, OverflowMode mode) {
  const bool negative = std::signbit(value);
  const uint32_t sign = negative ? (1u << (f.bits() - 1)) : 0u;
  const uint32_t inf = sign | (all_ones(f.exponent_bits) << f.mantissa_bits);
  const uint32_t top_field = all_ones(f.exponent_bits) - (f.ieee_specials ? 1u : 0u);
  const uint32_t max_pattern =
      sign | (top_field << f.mantissa_bits) | (all_ones(f.mantissa_bits) - (f.ieee_specials ? 0u : 1u));
  if (std::isnan(value)) return f.nan_pattern(negative);
  if (std::isinf(value)) {
    if (mode == OverflowMode::Saturate) return max_pattern;
    return f.ieee_specials ? inf : f.nan_pattern(negative);
  }
  const double mag = std::fabs(value);
  if (mag == 0.0) return sign;
  // Quantum (unit in the last place) at the value's binade, never below the subnormal quantum.
  int exp = std::ilogb(mag);
  if (exp < f.min_normal_exponent()) exp = f.min_normal_exponent();
  const double quantum = std::ldexp(1.0, exp - f.mantissa_bits);
  // mag / quantum is exact (power-of-two scaling); nearbyint rounds ties to even in the default mode.
  const double units = std::nearbyint(mag / quantum);
  const double rounded = units * quantum;
  if (rounded > f.max_finite()) {
    if (mode == OverflowMode::Saturate) return max_pattern;
    return f.ieee_specials ? inf : f.nan_pattern(negative);
  }
  if (rounded == 0.0) return sign;
  int rexp = std::ilogb(rounded);
  if (rexp < f.min_normal_exponent()) {
    // Subnormal: exponent field 0, mantissa counts quanta of 2^(emin - m).
    return sign | static_cast<uint32_t>(rounded / f.min_subnormal());
  }
  const uint32_t field = static_cast<uint32_t>(rexp + f.bias());
  const double frac = rounded / std::ldexp(1.0, rexp - f.mantissa_bits) - std::ldexp(1.0, f.mantissa_bits);
  return sign | (field << f.mantissa_bits) | static_cast<uint32_t>(frac);
}

double decode(const FloatFormat& f, uint32_t bits) {
  const bool negative = (bits >> (f.bits() - 1)) & 1u;
  const double s = negative ? -1.0 : 1.0;
  if (is_nan(f, bits)) return std::numeric_limits<double>::quiet_NaN();
  if (is_inf(f, bits)) return s * std::numeric_limits<double>::infinity();
  const uint32_t exp = (bits >> f.mantissa_bits) & all_ones(f.exponent_bits);
  const double man = static_cast<double>(bits & all_ones(f.mantissa_bits));
  if (exp == 0) return s * man * f.min_subnormal();
  return s * std::ldexp(1.0 + man / std::ldexp(1.0, f.mantissa_bits), static_cast<int>(exp) - f.bias());
}

double round_to(const FloatFormat& f, double value, OverflowMode mode) { return decode(f, encode(f, value, mode)); }

}  // namespace accsim::arith
