#include "sim/hw/mac/arith/int_mac.hpp"

#include <stdexcept>
#include <string>

namespace accsim::arith {

int64_t IntFormat::min_value() const {
  if (!is_signed) return 0;
  return bits >= 64 ? INT64_MIN : -(int64_t{1} << (bits - 1));
}

int64_t IntFormat::max_value() const {
  if (bits >= 64) return INT64_MAX;
  if (!is_signed) return static_cast<int64_t>((uint64_t{1} << bits) - 1);
  return (int64_t{1} << (bits - 1)) - 1;
}

int64_t wrap_to(__int128 v, const IntFormat& f) {
  if (f.bits >= 64) return static_cast<int64_t>(static_cast<uint64_t>(v));
  const uint64_t mask = (uint64_t{1} << f.bits) - 1;
  uint64_t low = static_cast<uint64_t>(v) & mask;
  if (f.is_signed && (low >> (f.bits - 1)) & 1u) low |= ~mask;  // sign-extend
  return static_cast<int64_t>(low);
}

int64_t saturate_to(__int128 v, const IntFormat& f) {
  if (v < f.min_value()) return f.min_value();
  if (v > f.max_value()) return f.max_value();
  return static_cast<int64_t>(v);
}

IntMac::IntMac(IntFormat weights, IntFormat activations, IntFormat accumulator, IntOverflow mode)
    : w_(weights), a_(activations), acc_fmt_(accumulator), mode_(mode) {
  for (const IntFormat* f : {&w_, &a_})
    if (f->bits < 1 || f->bits > 32) throw std::invalid_argument("operand width must be 1..32 bits");
  if (acc_fmt_.bits < 2 || acc_fmt_.bits > 64) throw std::invalid_argument("accumulator width must be 2..64 bits");
}

void IntMac::mac(int64_t w, int64_t a) {
  if (!w_.holds(w) || !a_.holds(a))
    throw std::out_of_range("operand outside its format: " + std::to_string(w) + " x " + std::to_string(a));
  // 32 x 32-bit products and a 64-bit accumulator fit in 128 bits without loss.
  const __int128 exact = static_cast<__int128>(acc_) + static_cast<__int128>(w) * a;
  if (!acc_fmt_.holds(exact)) ++overflows_;
  acc_ = mode_ == IntOverflow::Wrap ? wrap_to(exact, acc_fmt_) : saturate_to(exact, acc_fmt_);
}

}  // namespace accsim::arith
