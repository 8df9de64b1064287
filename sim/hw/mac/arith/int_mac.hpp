#pragma once
// Bit-exact integer multiply-accumulate: operands of any width 1..32 (signed or unsigned), an
// accumulator of 2..64 bits that wraps (two's complement, as plain adders do) or saturates.
#include <cstdint>

namespace accsim::arith {

enum class IntOverflow { Wrap, Saturate };

struct IntFormat {
  int bits = 8;
  bool is_signed = true;
  int64_t min_value() const;
  int64_t max_value() const;
  bool holds(__int128 v) const { return v >= min_value() && v <= max_value(); }
};

// Reduces v to the format: wrap keeps the low `bits` bits (sign-extended when signed).
int64_t wrap_to(__int128 v, const IntFormat& f);
int64_t saturate_to(__int128 v, const IntFormat& f);

class IntMac {
 public:
  IntMac(IntFormat weights, IntFormat activations, IntFormat accumulator, IntOverflow mode);
  // acc <- acc + w * a. Operands outside their formats are a caller bug (std::out_of_range).
  void mac(int64_t w, int64_t a);
  int64_t value() const { return acc_; }
  void reset(int64_t v = 0) { acc_ = v; }
  // How many accumulations overflowed (wrapped or clipped) since the last reset.
  uint64_t overflows() const { return overflows_; }

 private:
  IntFormat w_, a_, acc_fmt_;
  IntOverflow mode_;
  int64_t acc_ = 0;
  uint64_t overflows_ = 0;
};

}  // namespace accsim::arith
