#pragma once
// What values an operand tensor holds, as a distribution, and how often its stored bits toggle
// from one element to the next. GPU power depends on it (switching power of the datapath): a
// GEMM on zeros runs at a higher power-limited clock than one on torch.randn data (Horace He,
// "Strangely, Matrix Multiplications on GPUs Run Faster When Given 'Predictable' Data!", 2024).
#include <string>

#include "sim/core/dtype.hpp"
#include "sim/core/error.hpp"

namespace accsim {

struct ValueDist {
  enum class Kind { Randn, Rand, Zeros, Ints };
  Kind kind = Kind::Randn;  // trained weights and activations: bell-shaped around zero
  int lo = 0, hi = 0;       // Ints: uniform integers in [lo, hi]

  std::string name() const;  // the spelling parse_value_dist reads back
  bool operator==(const ValueDist& o) const { return kind == o.kind && lo == o.lo && hi == o.hi; }
};

// Reads randn (standard normal), rand (uniform [0, 1)), zeros, int:LO:HI (uniform integers,
// -65536 <= LO <= HI <= 65536). Returns false for anything else.
bool parse_value_dist(const std::string& text, ValueDist& out);
inline const char* value_dist_forms() { return "randn, rand, zeros or int:LO:HI"; }
// The same, for a command-line setting (inline data=, --workload-set data=): an unknown form is an
// InputError at `where` that lists the forms.
ValueDist read_value_dist(const std::string& text, const SourceLocation& where);

// Mean over the dtype's stored bits of the probability that the bit differs between two
// independent elements: 2 p (1 - p) for a bit that is set with probability p. 0.5 for uniformly
// random bits, 0 for zeros. Continuous distributions are stored as the dtype stores them:
// floats rounded to nearest (saturating); integer types quantized symmetrically with randn's
// +-4 sigma (rand's [0, 1)) mapped onto the largest code. Memoized per (distribution, dtype).
double bit_toggle_probability(const ValueDist& dist, const DType& dtype);

// The stored bit pattern of `x` in `dtype` (round to nearest, saturating to the largest finite
// value; integers in two's complement, masked to the width).
uint64_t encode_value(double x, const DType& dtype);

}  // namespace accsim
