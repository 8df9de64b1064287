#pragma once
// Bit Fusion's buffer tiling (Sharma et al., ISCA'18, §V: the compiler tiles each layer into
// blocks that fit the double-buffered IBUF/WBUF/OBUF and orders the tile loops; the authors'
// simulator, github.com/hsharma35/bitfusion src/optimizer, picks the tiling and loop order with
// the fewest cycles). Five tile loops (batch, output rows, output columns, input channels, output
// channels) in some order; going outwards, an operand whose block still fits half its buffer is
// reused across loops it does not depend on, and once its block no longer fits it is fetched again
// at every outer iteration. Partial sums live in the OBUF as accumulator words: the output block
// is loaded (bias / partial sums) and stored at accumulator precision, and re-loaded and stored
// again for every outer input-channel tile once it no longer fits (the psum spill).
// Plain arithmetic; docs/models/mac.md "Bit Fusion's buffer tiling".
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace accsim {

// One GEMM instance as a loop nest: a conv (kh x kw taps, strides) or a matmul (kh = kw = 1,
// oh = ow = 1, b = rows of the GEMM, ic = K, oc = N).
struct LoopNest {
  int64_t b = 1, oh = 1, ow = 1, ic = 1, oc = 1, kh = 1, kw = 1, sh = 1, sw = 1;
};

struct LoopTilingInputs {
  int64_t rows = 16, cols = 32;  // array: rows x pack reduction lanes, cols output channels
  int64_t pack = 1;              // products per lane per cycle at this precision (perf factor)
  double a_bits = 8, w_bits = 8, acc_bits = 32;
  double act_capacity_bits = 0, wgt_capacity_bits = 0, out_capacity_bits = 0;  // per tile (half, double buffered)
  double dram_bits_per_cycle = 0;  // <= 0: unlimited
};

enum TileLoop { kBatch = 0, kOutRows, kOutCols, kInChannels, kOutChannels };
enum Operand { kAct = 0, kWgt, kOut };

struct LoopTilingPlan {
  bool found = false;                    // false: no tiling fits the buffers
  std::array<int64_t, 5> tile{};         // tile size per TileLoop
  std::array<int64_t, 5> count{};        // tiles per TileLoop
  std::array<int, 5> order{};            // outermost first
  double dram_read_bits[3] = {0, 0, 0};  // act, wgt, out (partial sums loaded)
  double dram_write_bits = 0;            // out (partial sums and results stored)
  double compute_cycles = 0;             // the controller's estimate (per-tap channel mapping)
  double cycles = 0;                     // estimate with memory stalls, used to choose
  int64_t tiles() const { return count[0] * count[1] * count[2] * count[3] * count[4]; }
  double dram_bits() const { return dram_read_bits[0] + dram_read_bits[1] + dram_read_bits[2] + dram_write_bits; }
  std::string describe() const;          // e.g. "oc>b>oh>ow>ic, tiles b16 o4 ic128 oc64"
};

// The fastest tiling and loop order in whole interface cycles (the authors' optimizer.py
// get_stats_fast rounds each transfer up); ties: fewest DRAM bits (theirs: lower Stats.get_energy,
// DRAM bits plus buffer accesses), then fewest OBUF accumulate passes; then the first found.
LoopTilingPlan plan_loop_tiling(const LoopNest& nest, const LoopTilingInputs& in);

// Evaluates one tiling and order (exposed for the unit test); nullopt-like: found=false when a
// block does not fit its buffer.
LoopTilingPlan evaluate_loop_tiling(const LoopNest& nest, const LoopTilingInputs& in, const std::array<int64_t, 5>& tile,
                                    const std::array<int, 5>& order);

}  // namespace accsim
