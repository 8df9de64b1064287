#pragma once
// Numeric formats of operand tensors: integer widths, the OCP FP8 pair, and the IEEE/brain floats.
#include <cstdint>
#include <string>
#include <vector>

namespace accsim {

enum class DTypeKind { SignedInt, UnsignedInt, Float };

struct DType {
  DTypeKind kind = DTypeKind::SignedInt;
  int bits = 8;            // storage width
  int exponent_bits = 0;   // floats only
  int mantissa_bits = 0;   // floats only, explicit fraction bits
  std::string name = "int8";

  bool is_float() const { return kind == DTypeKind::Float; }
  bool is_integer() const { return !is_float(); }
  double bytes() const { return bits / 8.0; }
  bool operator==(const DType& o) const { return name == o.name; }
};

// Parses int2..int32, uint2..uint32, fp8 (= fp8_e4m3), fp8_e4m3, fp8_e5m2, fp16, bf16, tf32, fp32.
// Returns false for an unknown name.
bool parse_dtype(const std::string& text, DType& out);
// A signed integer type of any width 1..32 (for wbits=/abits= style specs).
DType int_dtype(int bits);
std::vector<std::string> dtype_names();

}  // namespace accsim
