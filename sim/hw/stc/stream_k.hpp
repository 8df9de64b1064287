#pragma once
// Stream-K decomposition (Osama et al., "Stream-K: Work-centric Parallel Decomposition for Dense
// Matrix-Matrix Multiplication on the GPU", PPoPP'23, arXiv 2301.03598): full waves of output
// tiles run data-parallel; the MAC-loop iterations (k-steps) of the remaining tiles are spread
// evenly over persistent "stream-K units", one CTA each. A unit that covers only part of a tile
// writes its fp32 partial tile to a global workspace; the unit covering the tile's first k-step
// waits for its peers, adds their partials and stores the tile. Plain C++: only how many tiles and
// units, by the dispatch rules CUTLASS ships (stream_k.cpp cites them); gemm_plan.cpp times them.
#include <cstdint>
#include <string>
#include <vector>

namespace accsim {

struct StreamKSplit {
  int64_t dp_tiles = 0;  // tiles run data-parallel, one CTA each
  int64_t sk_tiles = 0;  // tiles whose k-steps the units share
  int64_t sk_units = 0;  // stream-K CTAs (0: no stream-K work)
};

// CUTLASS 2.x sm80 GemmUniversal stream-K dispatch (ThreadblockSwizzleStreamK::get_blocks):
// `sms` SMs holding `occupancy` CTAs each, `iters` k-steps per tile.
StreamKSplit stream_k_sm80(int64_t tiles, int64_t iters, int64_t sms, int64_t occupancy);

// CUTLASS 3.x sm90 persistent scheduler, StreamK decomposition
// (PersistentTileSchedulerSm90StreamKParams::get_num_sk_tiles / get_num_sk_units).
StreamKSplit stream_k_sm90(int64_t tiles, int64_t iters, int64_t ctas_per_wave);

// The rule of a library generation ("sm90" or else sm80's).
StreamKSplit stream_k_split(const std::string& generation, int64_t tiles, int64_t iters, int64_t sms, int64_t occupancy);

// Unit u's k-step range [begin, end) over the sk_tiles x iters k-steps: CUTLASS's even split,
// the first (total % units) units one k-step longer (get_iter_extents).
struct UnitRange {
  int64_t begin = 0, end = 0;
};
UnitRange stream_k_unit(int64_t total_iters, int64_t units, int64_t u);

}  // namespace accsim
