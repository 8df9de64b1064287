#include "sim/hw/mac/functional.hpp"

#include <cmath>
#include <stdexcept>

#include "sim/hw/mac/arith/float_mac.hpp"
#include "sim/hw/mac/arith/int_mac.hpp"

namespace accsim {

namespace {

arith::IntFormat int_format(const DType& t) { return {t.bits, t.kind == DTypeKind::SignedInt}; }

int64_t as_integer(double v) {
  if (v != std::floor(v)) throw std::out_of_range("integer operand expected, got " + std::to_string(v));
  return static_cast<int64_t>(v);
}

}  // namespace

double functional_dot(const Precision& p, const DType& accumulator, AccOverflow overflow,
                      const std::vector<double>& w, const std::vector<double>& a) {
  if (w.size() != a.size()) throw std::invalid_argument("dot product of vectors of different lengths");
  if (p.weights.is_float() || p.activations.is_float()) {
    if (!(p.weights == p.activations)) throw std::invalid_argument("mixed float operand formats");
    if (!accumulator.is_float()) throw std::invalid_argument("float operands need a float accumulator");
    arith::FloatMac mac(arith::float_format_of(p.weights), arith::float_format_of(accumulator),
                        arith::ProductRounding::Accumulator,
                        overflow == AccOverflow::Saturate ? arith::OverflowMode::Saturate : arith::OverflowMode::Ieee);
    for (size_t i = 0; i < w.size(); ++i) mac.mac(w[i], a[i]);
    return mac.value();
  }
  if (accumulator.is_float()) throw std::invalid_argument("integer operands need an integer accumulator");
  // The multiplier sees the layer's formats; the accumulator is the unit's.
  arith::IntMac mac(int_format(p.weights), int_format(p.activations), int_format(accumulator),
                    overflow == AccOverflow::Saturate ? arith::IntOverflow::Saturate : arith::IntOverflow::Wrap);
  for (size_t i = 0; i < w.size(); ++i) mac.mac(as_integer(w[i]), as_integer(a[i]));
  return static_cast<double>(mac.value());
}

double MacUnit::dot(const Precision& p, const std::vector<double>& w, const std::vector<double>& a) const {
  return functional_dot(p, int_dtype(32), AccOverflow::Wrap, w, a);
}

}  // namespace accsim
