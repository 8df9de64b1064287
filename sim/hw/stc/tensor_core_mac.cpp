// The MAC lane of a tensor core (mac.kind: tensor_core): one datapath that multiplies two operands
// of the same format (fp16, bf16, tf32, fp8, int8, int4; u8 x s8 and u4 x s4 mix signedness only).
// Which formats a given GPU runs, and how fast, is the compute block's fma_per_clk table; area and
// leakage are the block's too, so this lane reports energy per MAC only.
#include "sim/hw/mac/mac_unit.hpp"

namespace accsim {

namespace {

class TensorCoreMac : public MacUnit {
 public:
  std::string kind() const override { return "tensor_core"; }
  void check(const Precision& p, const SourceLocation& where) const override {
    const DType& w = p.weights;
    const DType& a = p.activations;
    const bool same = w.is_float() ? w == a : (a.is_integer() && a.bits == w.bits);
    if (!same)
      throw InputError(where, "tensor cores multiply operands of one format; got weights " + w.name + " x activations " +
                                  a.name);
  }
  double products_per_cycle(const Precision&) const override { return 1.0; }
  double energy_pj_per_mac(const Precision& p, const EnergyTable& table) const override {
    return table.mac_pj(p.weights, p.activations, p.accumulators);
  }
  double area_um2(const EnergyTable&) const override { return 0; }
  double leakage_uw(const EnergyTable&) const override { return 0; }
};

const MacRegistrar tensor_core_registrar("tensor_core",
                                         "tensor-core lane: same-format operands, rates set by the compute block",
                                         [](ConfigNode&) { return std::make_unique<TensorCoreMac>(); });

}  // namespace
}  // namespace accsim
