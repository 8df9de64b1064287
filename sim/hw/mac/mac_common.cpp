#include "sim/hw/mac/mac_common.hpp"

namespace accsim {

std::string precision_text(const Precision& p) {
  return "w " + p.weights.name + " x a " + p.activations.name + " (acc " + p.accumulators.name + ")";
}

bool format_fits(const DType& operand, const DType& unit) {
  if (operand.is_float() != unit.is_float()) return false;
  if (operand.is_float())
    return operand.exponent_bits <= unit.exponent_bits && operand.mantissa_bits <= unit.mantissa_bits;
  const bool op_signed = operand.kind == DTypeKind::SignedInt;
  const bool unit_signed = unit.kind == DTypeKind::SignedInt;
  if (op_signed && !unit_signed) return false;
  // An unsigned b-bit value needs b + 1 bits in a signed unit.
  return operand.bits + (!op_signed && unit_signed ? 1 : 0) <= unit.bits;
}

int pow2_ceil(int n) {
  int p = 1;
  while (p < n) p *= 2;
  return p;
}

std::string dtype_choices() {
  std::string out;
  for (const auto& n : dtype_names()) out += (out.empty() ? "" : "|") + n;
  return out;
}

DType read_format(ConfigNode& node, const std::string& key, const std::string& fallback, const std::string& doc) {
  const std::string text = node.get(key, fallback.c_str(), dtype_choices(), doc);
  DType t;
  if (!node.describing() && !parse_dtype(text, t)) node.fail(key, "unknown format '" + text + "'");
  return t;
}

AccOverflow read_overflow(ConfigNode& node, const DType& accumulator) {
  const std::string text =
      node.get_choice("overflow", "auto", {"auto", "wrap", "saturate", "ieee"},
                      "accumulator overflow: wrap|saturate for integers, ieee|saturate for floats "
                      "(auto: wrap for integers, ieee for floats)");
  if (node.describing()) return AccOverflow::Wrap;
  if (text == "auto") return accumulator.is_float() ? AccOverflow::Ieee : AccOverflow::Wrap;
  if (text == "saturate") return AccOverflow::Saturate;
  if (text == "wrap" && accumulator.is_float()) node.fail("overflow", "a float accumulator cannot wrap (use ieee|saturate)");
  if (text == "ieee" && !accumulator.is_float()) node.fail("overflow", "an integer accumulator cannot be ieee (use wrap|saturate)");
  return text == "wrap" ? AccOverflow::Wrap : AccOverflow::Ieee;
}

std::string overflow_name(AccOverflow o) {
  switch (o) {
    case AccOverflow::Wrap: return "wrap";
    case AccOverflow::Saturate: return "saturate";
    case AccOverflow::Ieee: return "ieee";
  }
  return "?";
}

}  // namespace accsim
