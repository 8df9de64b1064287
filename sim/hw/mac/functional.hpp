#pragma once
// Functional dot products through the bit-exact arithmetic of sim/hw/mac/arith, as a MAC lane
// configured with `accumulator` and `overflow` computes them.
#include <vector>

#include "sim/hw/mac/mac_common.hpp"

namespace accsim {

// Integer operands must be integral values within their formats (std::out_of_range otherwise);
// float operands are rounded into their formats first (ties to even). Products are rounded to
// the accumulator format (exact for fp8/fp16/bf16/tf32 into fp32).
double functional_dot(const Precision& p, const DType& accumulator, AccOverflow overflow,
                      const std::vector<double>& w, const std::vector<double>& a);

}  // namespace accsim
