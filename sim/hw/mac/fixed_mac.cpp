// A fixed-precision MAC lane: one product per cycle for any operands that fit the format it was
// built for; energy and area are those of the built width (narrow operands do not gate the logic).
#include "sim/hw/mac/functional.hpp"

namespace accsim {

namespace {

class FixedMac : public MacUnit {
 public:
  FixedMac(DType format, DType accumulator, AccOverflow overflow, bool mixed_sign)
      : format_(format), accumulator_(accumulator), overflow_(overflow), mixed_sign_(mixed_sign) {}
  std::string kind() const override { return "fixed"; }

  void check(const Precision& p, const SourceLocation& where) const override {
    for (const DType* t : {&p.weights, &p.activations})
      if (!format_fits(*t, format_) && !(mixed_sign_ && t->is_integer() && format_.is_integer() && t->bits <= format_.bits))
        throw InputError(where, "a fixed " + format_.name + " MAC unit cannot execute " + precision_text(p) +
                                    ": " + t->name + " operands do not fit " + format_.name +
                                    " (trace the network with `accsim trace --quant " + format_.name +
                                    "`, which sets weights and activations, or set mac.format)");
    if (!format_fits(p.accumulators, accumulator_))
      throw InputError(where, "a fixed MAC unit with a " + accumulator_.name + " accumulator cannot execute " +
                                  precision_text(p) + " (set mac.accumulator)");
  }
  double products_per_cycle(const Precision&) const override { return 1.0; }
  double energy_pj_per_mac(const Precision&, const EnergyTable& table) const override {
    return table.mac_pj(format_, format_, accumulator_);
  }
  double area_um2(const EnergyTable& table) const override { return table.mac_area_um2(format_); }
  double dot(const Precision& p, const std::vector<double>& w, const std::vector<double>& a) const override {
    return functional_dot(p, accumulator_, overflow_, w, a);
  }

 private:
  DType format_;
  DType accumulator_;
  AccOverflow overflow_;  // functional behaviour only (dot(), sim/hw/mac/arith)
  bool mixed_sign_;
};

const MacRegistrar fixed_registrar(
    "fixed", "one operand format per unit (int1..32, uint, fp8 e4m3/e5m2, fp16, bf16, tf32, fp32), one product per cycle",
    [](ConfigNode& node) -> std::unique_ptr<MacUnit> {
      const DType format = read_format(node, "format", "int8", "operand format the unit is built for");
      const std::string acc_default = node.describing() || !format.is_float() ? "int32" : "fp32";
      const DType accumulator = read_format(node, "accumulator", acc_default,
                                            "accumulator format (default: int32 for integer units, fp32 for float units)");
      const AccOverflow overflow = read_overflow(node, accumulator);
      // Integer multipliers commonly take signed or unsigned operands of their width (TPUv1:
      // "8-bit multiply-and-adds on signed or unsigned integers", Jouppi et al. ISCA'17).
      const bool mixed_sign = node.get<bool>("mixed_sign", true, "",
                                             "integer units accept signed and unsigned operands of their width");
      return std::make_unique<FixedMac>(format, accumulator, overflow, mixed_sign);
    });

}  // namespace
}  // namespace accsim
