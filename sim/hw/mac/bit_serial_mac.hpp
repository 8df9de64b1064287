#pragma once
// Bit-serial MAC lanes: Stripes (Judd et al., MICRO'16) feeds activations one bit per cycle against
// bit-parallel weights, so a product takes ceil(abits / bits_per_cycle) cycles; Loom-like lanes
// (Sharify et al., DAC'18) are serial in both operands: ceil(w/bpc) * ceil(a/bpc) cycles.
#include "sim/hw/mac/mac_common.hpp"

namespace accsim {

enum class SerialOperands { Activations, Both };

struct BitSerialParams {
  SerialOperands serial = SerialOperands::Activations;
  int weight_bits = 16;     // width of the bit-parallel weight datapath (Stripes: 16)
  int bits_per_cycle = 1;   // serial bits consumed per cycle
  DType accumulator;
  AccOverflow overflow = AccOverflow::Wrap;
};

class BitSerialMac : public MacUnit {
 public:
  explicit BitSerialMac(BitSerialParams p) : p_(p) {}
  std::string kind() const override { return "bit_serial"; }
  void check(const Precision& p, const SourceLocation& where) const override;
  double products_per_cycle(const Precision& p) const override;  // 1 / cycles per product
  int cycles_per_product(const Precision& p) const;
  // Each cycle adds one partial product (adder_bits wide) into the running product; the finished
  // product is added to the accumulator once.
  double energy_pj_per_mac(const Precision& p, const EnergyTable& table) const override;
  int adder_bits() const;
  double area_um2(const EnergyTable& table) const override;
  // Integer products are exact however they are split into bricks or bits; only the accumulator
  // width and overflow rule shape the result.
  double dot(const Precision& p, const std::vector<double>& w, const std::vector<double>& a) const override;

 private:
  BitSerialParams p_;
};

}  // namespace accsim
