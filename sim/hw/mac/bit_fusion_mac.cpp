#include "sim/hw/mac/bit_fusion_mac.hpp"

#include "sim/hw/mac/functional.hpp"

namespace accsim {

int bit_fusion_slices(int bits) { return pow2_ceil((bits + 1) / 2); }

void BitFusionMac::check(const Precision& p, const SourceLocation& where) const {
  for (const DType* t : {&p.weights, &p.activations}) {
    if (t->is_float())
      throw InputError(where, "a bit_fusion MAC unit cannot execute " + precision_text(p) +
                                  ": BitBricks multiply integers only (trace the network with `accsim trace --quant int8`, which sets "
                                  "weights and activations, or a narrower int)");
    if (t->bits > p_.max_bits)
      throw InputError(where, "a bit_fusion MAC unit cannot execute " + precision_text(p) + ": operands wider than " +
                                  std::to_string(p_.max_bits) + " bits (mac.max_bits)");
  }
  if (!format_fits(p.accumulators, p_.accumulator))
    throw InputError(where, "a bit_fusion MAC unit with a " + p_.accumulator.name + " accumulator cannot execute " +
                                precision_text(p) + " (set mac.accumulator)");
}

double BitFusionMac::products_per_cycle(const Precision& p) const {
  const int needed = bit_fusion_slices(p.weights.bits) * bit_fusion_slices(p.activations.bits);
  return static_cast<double>(p_.bricks) / needed;
}

double BitFusionMac::cycle_energy_pj(const EnergyTable& table) const {
  return p_.bricks * table.extra_pj("bitbrick_2x2") + (p_.bricks - 1) * table.extra_pj("bitfusion_shift_add") +
         table.add_pj(p_.accumulator);
}

double BitFusionMac::energy_pj_per_mac(const Precision& p, const EnergyTable& table) const {
  return cycle_energy_pj(table) / products_per_cycle(p);
}

double BitFusionMac::area_um2(const EnergyTable& table) const {
  // The synthesized 16-brick unit, scaled linearly with the brick count (assumption: the fusion
  // tree grows with the bricks it joins).
  return table.mac_area_um2("bitfusion_unit_16_bricks") * p_.bricks / 16.0;
}

double BitFusionMac::dot(const Precision& p, const std::vector<double>& w, const std::vector<double>& a) const {
  return functional_dot(p, p_.accumulator, p_.overflow, w, a);
}

namespace {

const MacRegistrar bit_fusion_registrar(
    "bit_fusion",
    "Bit Fusion fusion unit (Sharma ISCA'18): 2b x 2b BitBricks fused per layer; bricks/(ceil(w/2) ceil(a/2)) "
    "products per cycle",
    [](ConfigNode& node) -> std::unique_ptr<MacUnit> {
      BitFusionParams p;
      const int64_t bricks = node.get_positive("bricks", int64_t{16}, "BitBricks", "BitBricks per fusion unit (power of two)");
      const int64_t max_bits = node.get_positive("max_bits", int64_t{16}, "bits", "widest operand accepted (<= 32)");
      p.accumulator = read_format(node, "accumulator", "int32", "integer accumulator format");
      p.overflow = read_overflow(node, p.accumulator);
      if (pow2_ceil(static_cast<int>(bricks)) != bricks || bricks > 4096)
        node.fail("bricks", "must be a power of two up to 4096 (bricks fuse in powers of two)");
      if (max_bits > 32) node.fail("max_bits", "must be <= 32");
      if (p.accumulator.is_float()) node.fail("accumulator", "BitBricks accumulate integers");
      p.bricks = static_cast<int>(bricks);
      p.max_bits = static_cast<int>(max_bits);
      return std::make_unique<BitFusionMac>(p);
    });

}  // namespace
}  // namespace accsim
