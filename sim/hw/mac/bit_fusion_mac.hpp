#pragma once
// Bit Fusion fusion unit (Sharma et al., ISCA'18): B 2b x 2b BitBricks that fuse at run time.
// Exposed for tests; the unit registers itself as `mac.kind: bit_fusion`.
#include "sim/hw/mac/mac_common.hpp"

namespace accsim {

struct BitFusionParams {
  int bricks = 16;     // BitBricks per fusion unit (a power of two)
  int max_bits = 16;   // widest operand accepted; wider than 8 bits takes several cycles
  DType accumulator;   // int32 by default
  AccOverflow overflow = AccOverflow::Wrap;
};

// 2-bit slices an operand of `bits` occupies: ceil(bits / 2), rounded up to a power of two
// because bricks fuse in powers of two (1, 2, 4, 8 ... per operand).
int bit_fusion_slices(int bits);

class BitFusionMac : public MacUnit {
 public:
  explicit BitFusionMac(BitFusionParams p) : p_(p) {}
  std::string kind() const override { return "bit_fusion"; }
  void check(const Precision& p, const SourceLocation& where) const override;
  // bricks / (slices(w) * slices(a)): 16 at 2x2, 4 at 4x4 or 8x2, 1 at 8x8, 1/4 at 16x16 (B = 16).
  double products_per_cycle(const Precision& p) const override;
  // One cycle of the unit costs B brick products, B - 1 shift-adds in the fusion tree and one
  // accumulator add; a product takes slices(w) * slices(a) / B of a cycle's energy.
  double energy_pj_per_mac(const Precision& p, const EnergyTable& table) const override;
  double cycle_energy_pj(const EnergyTable& table) const;
  double area_um2(const EnergyTable& table) const override;
  // Integer products are exact however they are split into bricks or bits; only the accumulator
  // width and overflow rule shape the result.
  double dot(const Precision& p, const std::vector<double>& w, const std::vector<double>& a) const override;
  const BitFusionParams& params() const { return p_; }

 private:
  BitFusionParams p_;
};

}  // namespace accsim
