// A fixed-precision MAC lane: one product per cycle for operands no wider than the format it was
// built for; energy and area are those of the built width (narrow operands do not gate the logic).
#include "sim/hw/mac/mac_unit.hpp"

namespace accsim {

namespace {

class FixedMac : public MacUnit {
 public:
  FixedMac(DType format, DType accumulator) : format_(format), accumulator_(accumulator) {}
  std::string kind() const override { return "fixed"; }

  void check(const Precision& p, const SourceLocation& where) const override {
    for (const DType* t : {&p.weights, &p.activations}) {
      const bool fits = format_.is_float() ? (*t == format_)
                                           : (t->is_integer() && t->bits <= format_.bits);
      if (!fits)
        throw InputError(where, "a fixed " + format_.name + " MAC unit cannot execute " + t->name +
                                    " operands (set mac.format, or use mac.kind bit_fusion/bit_serial)");
    }
  }
  double products_per_cycle(const Precision&) const override { return 1.0; }
  double energy_pj_per_mac(const Precision&, const EnergyTable& table) const override {
    return table.mac_pj(format_, format_, accumulator_);
  }
  double area_um2(const EnergyTable& table) const override { return table.mac_area_um2(format_); }
  double leakage_uw(const EnergyTable& table) const override { return table.mac_leakage_uw(format_); }

 private:
  DType format_;
  DType accumulator_;
};

std::string dtype_choices() {
  std::string out;
  for (const auto& n : dtype_names()) out += (out.empty() ? "" : "|") + n;
  return out;
}

const MacRegistrar fixed_registrar(
    "fixed", "one operand format per unit, one product per cycle", [](ConfigNode& node) {
      const std::string fmt = node.get("format", "int8", dtype_choices(), "operand format the unit is built for");
      const std::string acc = node.get("accumulator", "", dtype_choices(),
                                       "accumulator format (default: int32 for integers, fp32 for floats)");
      DType format, accumulator;
      if (!node.describing() && !parse_dtype(fmt, format)) node.fail("format", "unknown format '" + fmt + "'");
      if (!node.describing()) {
        if (acc.empty()) {
          parse_dtype(format.is_float() ? "fp32" : "int32", accumulator);
        } else if (!parse_dtype(acc, accumulator)) {
          node.fail("accumulator", "unknown format '" + acc + "'");
        }
      }
      return std::make_unique<FixedMac>(format, accumulator);
    });

}  // namespace
}  // namespace accsim
