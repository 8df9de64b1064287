#include "sim/core/dtype.hpp"

namespace accsim {

namespace {
DType make_float(const std::string& name, int bits, int e, int m) {
  return DType{DTypeKind::Float, bits, e, m, name};
}
}  // namespace

DType int_dtype(int bits) { return DType{DTypeKind::SignedInt, bits, 0, 0, "int" + std::to_string(bits)}; }

bool parse_dtype(const std::string& text, DType& out) {
  // tf32 is stored in 32-bit registers but carries a 10-bit mantissa (NVIDIA A100 whitepaper).
  if (text == "fp8" || text == "fp8_e4m3" || text == "e4m3") { out = make_float("fp8_e4m3", 8, 4, 3); return true; }
  if (text == "fp8_e5m2" || text == "e5m2") { out = make_float("fp8_e5m2", 8, 5, 2); return true; }
  if (text == "fp16") { out = make_float("fp16", 16, 5, 10); return true; }
  if (text == "bf16") { out = make_float("bf16", 16, 8, 7); return true; }
  if (text == "tf32") { out = make_float("tf32", 32, 8, 10); return true; }
  if (text == "fp32") { out = make_float("fp32", 32, 8, 23); return true; }
  for (const char* prefix : {"int", "uint"}) {
    const std::string p(prefix);
    if (text.rfind(p, 0) == 0 && text.size() > p.size()) {
      const std::string digits = text.substr(p.size());
      if (digits.size() > 2 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
      const int bits = std::stoi(digits);  // at most two digits: cannot overflow
      if (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16 && bits != 32) return false;
      out = DType{p == "int" ? DTypeKind::SignedInt : DTypeKind::UnsignedInt, bits, 0, 0, text};
      return true;
    }
  }
  return false;
}

std::vector<std::string> dtype_names() {
  return {"int2",  "int4",     "int8",     "int16", "int32", "uint2", "uint4", "uint8", "uint16",
          "uint32", "fp8_e4m3", "fp8_e5m2", "fp16",  "bf16",  "tf32",  "fp32"};
}

}  // namespace accsim
