#pragma once
// Helpers shared by the MAC unit models: reading operand/accumulator formats from the config,
// checking whether one format fits in another, and the error text for unsupported precisions.
#include <string>

#include "sim/hw/mac/mac_unit.hpp"

namespace accsim {

// "w int4 x a int8 (acc int32)".
std::string precision_text(const Precision& p);
// Every value of `operand` is exactly representable in `unit` (integers by range, floats by
// exponent and fraction width; integers never fit float units and vice versa).
bool format_fits(const DType& operand, const DType& unit);
// Smallest power of two >= n (n >= 1).
int pow2_ceil(int n);
// "int8|int16|...": the names accepted for formats.
std::string dtype_choices();
// Reads a format key (describe-safe); `fallback` is a dtype name.
DType read_format(ConfigNode& node, const std::string& key, const std::string& fallback, const std::string& doc);

// How the accumulator treats overflow. Integers: wrap (two's complement) or saturate (clip);
// floats: ieee (to Inf, or NaN for E4M3, per IEEE 754 / OCP FP8 non-saturating) or saturate.
// Only the functional arithmetic (sim/hw/mac/arith) depends on it; timing and energy do not.
enum class AccOverflow { Wrap, Saturate, Ieee };
AccOverflow read_overflow(ConfigNode& node, const DType& accumulator);
std::string overflow_name(AccOverflow o);

}  // namespace accsim
