#pragma once
// Cycle-stepped systolic array of plain C++ PE objects, for checking the fold equations: every
// cycle each PE latches its neighbours' operands and multiplies. Slow; sim.mode=cycle uses it.
#include <cstdint>
#include <vector>

#include "sim/hw/systolic/fold_model.hpp"

namespace accsim {

struct SteppedFold {
  int64_t cycles = 0;                 // cycles until the fold's last result is complete
  std::vector<int64_t> outputs;       // row-major results of the fold's GEMM block
};

// Steps one fold: A is (sr x t) for os / (t x sr) for ws ..., see pe_grid.cpp for the operand
// layouts; operands are int64 values so integer results are exact.
SteppedFold step_fold(Dataflow df, int64_t rows, int64_t cols, const std::vector<int64_t>& a,
                      const std::vector<int64_t>& b, int64_t m, int64_t n, int64_t k, bool os_output_drain);

// Cycles of one fold of `t` temporal steps on a full R x C array, measured by stepping the grid.
int64_t stepped_fold_cycles(Dataflow df, int64_t rows, int64_t cols, int64_t t, bool os_output_drain);

}  // namespace accsim
