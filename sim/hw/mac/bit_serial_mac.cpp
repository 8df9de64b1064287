#include "sim/hw/mac/bit_serial_mac.hpp"

#include "sim/hw/mac/functional.hpp"

namespace accsim {

namespace {
int ceil_div(int a, int b) { return (a + b - 1) / b; }
}  // namespace

void BitSerialMac::check(const Precision& p, const SourceLocation& where) const {
  for (const DType* t : {&p.weights, &p.activations})
    if (t->is_float())
      throw InputError(where, "a bit_serial MAC unit cannot execute " + precision_text(p) +
                                  ": bit-serial lanes multiply integers only (trace the network with `accsim trace --quant int8`, which "
                                  "sets weights and activations, or a narrower int)");
  if (p.weights.bits > p_.weight_bits)
    throw InputError(where, "a bit_serial MAC unit cannot execute " + precision_text(p) + ": weights wider than its " +
                                std::to_string(p_.weight_bits) + "-bit weight datapath (mac.weight_bits)");
  if (!format_fits(p.accumulators, p_.accumulator))
    throw InputError(where, "a bit_serial MAC unit with a " + p_.accumulator.name + " accumulator cannot execute " +
                                precision_text(p) + " (set mac.accumulator)");
}

int BitSerialMac::cycles_per_product(const Precision& p) const {
  const int a = ceil_div(p.activations.bits, p_.bits_per_cycle);
  return p_.serial == SerialOperands::Both ? a * ceil_div(p.weights.bits, p_.bits_per_cycle) : a;
}

double BitSerialMac::products_per_cycle(const Precision& p) const { return 1.0 / cycles_per_product(p); }

int BitSerialMac::adder_bits() const {
  // A serial step adds (weight x bpc activation bits) = weight_bits + bpc bits, or bpc x bpc
  // bits (2 bpc wide) when both operands are serial.
  return p_.serial == SerialOperands::Both ? 2 * p_.bits_per_cycle : p_.weight_bits + p_.bits_per_cycle;
}

double BitSerialMac::energy_pj_per_mac(const Precision& p, const EnergyTable& table) const {
  return cycles_per_product(p) * adder_bits() * table.extra_pj("adder_per_bit") + table.add_pj(p_.accumulator);
}

double BitSerialMac::area_um2(const EnergyTable& table) const {
  // Scaled from the smallest synthesized fixed PE (2-bit, whose product is 4 bits wide) by the
  // width of the serial adder (assumption: a serial lane is an AND row plus an adder).
  return table.mac_area_um2("int2") * adder_bits() / 4.0;
}

double BitSerialMac::dot(const Precision& p, const std::vector<double>& w, const std::vector<double>& a) const {
  return functional_dot(p, p_.accumulator, p_.overflow, w, a);
}

namespace {

const MacRegistrar bit_serial_registrar(
    "bit_serial", "bit-serial lane (Stripes; Loom with serial_operands: both): cycles proportional to operand bits",
    [](ConfigNode& node) -> std::unique_ptr<MacUnit> {
      BitSerialParams p;
      const std::string serial = node.get_choice("serial_operands", "activations", {"activations", "both"},
                                                 "activations (Stripes) or both operands (Loom-like) bit-serial");
      const int64_t wbits = node.get_positive("weight_bits", int64_t{16}, "bits", "bit-parallel weight datapath width");
      const int64_t bpc = node.get_positive("bits_per_cycle", int64_t{1}, "bits", "serial bits consumed per cycle");
      p.accumulator = read_format(node, "accumulator", "int32", "integer accumulator format");
      p.overflow = read_overflow(node, p.accumulator);
      if (wbits > 32) node.fail("weight_bits", "must be <= 32");
      if (bpc > 16) node.fail("bits_per_cycle", "must be <= 16");
      if (p.accumulator.is_float()) node.fail("accumulator", "bit-serial lanes accumulate integers");
      p.serial = serial == "both" ? SerialOperands::Both : SerialOperands::Activations;
      p.weight_bits = static_cast<int>(wbits);
      p.bits_per_cycle = static_cast<int>(bpc);
      return std::make_unique<BitSerialMac>(p);
    });

}  // namespace
}  // namespace accsim
