#include "sim/hw/mac/arith/float_mac.hpp"

#include <stdexcept>

namespace accsim::arith {

FloatMac::FloatMac(FloatFormat operands, FloatFormat accumulator, ProductRounding product, OverflowMode overflow)
    : op_fmt_(operands), acc_fmt_(accumulator), product_(product), overflow_(overflow) {
  // The double-rounding argument in the header needs p <= 24 significand bits.
  for (const FloatFormat* f : {&op_fmt_, &acc_fmt_})
    if (f->mantissa_bits > 23) throw std::invalid_argument("formats wider than fp32 are not modelled");
}

void FloatMac::mac_bits(uint32_t w, uint32_t a) { step(decode(op_fmt_, w), decode(op_fmt_, a)); }

void FloatMac::mac(double w, double a) { step(round_to(op_fmt_, w, overflow_), round_to(op_fmt_, a, overflow_)); }

void FloatMac::step(double w, double a) {
  const FloatFormat& pf = product_ == ProductRounding::Operand ? op_fmt_ : acc_fmt_;
  const double product = round_to(pf, w * a, overflow_);  // w * a is exact in double
  acc_ = round_to(acc_fmt_, acc_ + product, overflow_);
}

}  // namespace accsim::arith
