#pragma once
// Floating-point multiply-accumulate: operands in one format, the running sum in another.
//
// Each step is acc <- round_acc(round_p(w * a) + acc), where round_p rounds the product to the
// accumulator format (default) or to the operand format (`ProductRounding::Operand`, a multiplier
// whose outputs are operand-width). All rounding is to nearest, ties to even.
// Why this is exact with doubles: operand significands have at most 24 bits, so w * a (<= 48 bits)
// is exact in a double and round_p is a single rounding; the sum of two values of a format with
// p <= 24 significand bits rounded first to double (53 >= 2p + 2) and then to the format gives the
// correctly rounded sum (Figueroa, "When is double rounding innocuous?", SIGNUM 1995).
// With fp8/fp16/bf16/tf32 operands and an fp32 accumulator the product is exact in fp32, so this
// equals a fused MAC (one rounding per step), as in tensor-core style dot products.
#include <cstdint>

#include "sim/hw/mac/arith/float_format.hpp"

namespace accsim::arith {

enum class ProductRounding { Accumulator, Operand };

class FloatMac {
 public:
  FloatMac(FloatFormat operands, FloatFormat accumulator, ProductRounding product = ProductRounding::Accumulator,
           OverflowMode overflow = OverflowMode::Ieee);
  // Operands as bit patterns of the operand format.
  void mac_bits(uint32_t w, uint32_t a);
  // Operands as real values, first rounded into the operand format.
  void mac(double w, double a);
  double value() const { return acc_; }
  uint32_t bits() const { return encode(acc_fmt_, acc_, overflow_); }
  void reset(double v = 0.0) { acc_ = round_to(acc_fmt_, v, overflow_); }

 private:
  void step(double w, double a);
  FloatFormat op_fmt_, acc_fmt_;
  ProductRounding product_;
  OverflowMode overflow_;
  double acc_ = 0.0;
};

}  // namespace accsim::arith
