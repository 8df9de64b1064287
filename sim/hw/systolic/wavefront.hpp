#pragma once
// The systolic array stepped cycle by cycle, fast enough for whole networks (sim.mode=cycle).
//
// A PE's registers at cycle c hold the operands that entered the array edge c - i - j cycles ago
// (os: A[i][c-i-j] and B[c-i-j][j]); the wavefront of valid operands is a band of anti-diagonals.
// Instead of shifting R x C registers one by one, each cycle steps every array row as one vector
// operation over its columns on skewed copies of the operands (A rows reversed, B columns skewed),
// which gcc vectorizes. Bubbles carry no operand; the loop runs until no PE holds a valid one, so
// the cycle count is measured, not taken from the fold equations. ws/is shift their stationary
// operand in row by row (R cycles) and their partial sums down the columns; os optionally shifts
// its results out (R cycles). Values are int32 operands and int64 accumulators: exact.
#include <cstdint>
#include <vector>

#include "sim/hw/systolic/fold_model.hpp"

namespace accsim {

struct WavefrontFold {
  int64_t cycles = 0;      // cycles until the fold's last result has left the array
  int64_t pe_cycles = 0;   // cycles x R x C: what the grid stepped
};

// One fold. os: A (m x k) and B (k x n), m <= R, n <= C; ws: X (t x kd) streams past W (kd x cd),
// kd <= R, cd <= C; is: computes C^T = B^T A^T with A^T stationary. `k_pack` products per PE and
// step (fused lanes), `t_scale` cycles per step (bit-serial lanes). Results are added into `out`
// (row-major m x n of the fold's GEMM block), so row folds accumulate partial sums.
WavefrontFold step_wavefront(Dataflow df, int64_t R, int64_t C, const int32_t* a, int64_t lda, const int32_t* b,
                             int64_t ldb, int64_t m, int64_t n, int64_t k, int64_t k_pack, int64_t t_scale,
                             bool os_output_drain, int64_t* out, int64_t ldo);

}  // namespace accsim
