#include "sim/hw/stc/stream_k.hpp"

#include <algorithm>
#include <climits>

namespace accsim {

namespace {

// CUTLASS include/cutlass/gemm/threadblock/threadblock_swizzle_streamk.h: at least 2 k-steps per
// stream-K block (kMinItersPerSkBlock).
constexpr int64_t kSm80MinIters = 2;
// CUTLASS include/cutlass/gemm/kernel/tile_scheduler_params.h (sm90 stream-K params):
// min_iters_per_sk_unit_ = 8.
constexpr int64_t kSm90MinIters = 8;

// ThreadblockSwizzleStreamK::get_sk_blocks: the library's own cost estimate, in k-step units,
// of each trial unit count (fixup as 2 per wave and per peer, misalignment at 2 % per peer),
// keeping the count that saves most against running the tiles data-parallel.
int64_t sm80_sk_blocks(int64_t& savings, int64_t sk_tiles, int64_t iters, int64_t sms, int64_t max_occupancy,
                       bool partial_wave) {
  savings = INT_MIN;
  if (sk_tiles == 0) return 0;
  const int64_t sk_iters = sk_tiles * iters;
  const int64_t dp_equiv_iters = iters * ((sk_tiles + sms - 1) / sms);
  const int64_t lo = partial_wave ? std::min(sms, sk_tiles + 1) : sms;
  const int64_t hi = std::min(sms * max_occupancy, sk_iters / kSm80MinIters);
  int64_t best = 0;
  for (int64_t b = lo; b <= hi; ++b) {
    const int64_t waves = (b + sms - 1) / sms;
    const int64_t iter_equiv = (sk_iters + b - 1) / b * waves;
    int64_t peers = (b + sk_tiles - 1) / sk_tiles + 1;  // one more for alignment skew
    double iter_cost = 0.02 * static_cast<double>(peers) * static_cast<double>(iter_equiv);
    if (b % sk_tiles == 0) peers = b / sk_tiles, iter_cost = 0;
    const auto fixup = static_cast<int64_t>(2.0 * static_cast<double>(waves) + iter_cost + 2.0 * static_cast<double>(peers));
    const int64_t s = dp_equiv_iters - iter_equiv - fixup;
    if (s >= savings) savings = s, best = b;
  }
  return best;
}

}  // namespace

StreamKSplit stream_k_sm80(int64_t tiles, int64_t iters, int64_t sms, int64_t occupancy) {
  StreamKSplit r{tiles, 0, 0};
  const int64_t full_waves = tiles / sms, full_tiles = full_waves * sms, partial = tiles - full_tiles;
  if (partial == 0 || sms <= 1) return r;  // perfect quantization
  int64_t savings = 0, blocks = 0;
  if (full_waves < occupancy) {
    // Below one full GPU occupancy: the partial wave becomes stream-K.
    blocks = sm80_sk_blocks(savings, partial, iters, sms, occupancy - full_waves, true);
    if (savings < 0 || blocks == 0) return r;
    return {full_tiles, partial, std::min(blocks, partial * iters)};
  }
  if (occupancy > 1 && full_waves % occupancy == occupancy - 1) {
    blocks = sm80_sk_blocks(savings, partial, iters, sms, 1, true);
    if (savings >= 0 && blocks > 0) return {full_tiles, partial, std::min(blocks, partial * iters)};
  }
  // The last full wave joins the partial one in the stream-K region.
  const int64_t sk_tiles = partial + sms;
  blocks = sm80_sk_blocks(savings, sk_tiles, iters, sms, occupancy - (full_waves - 1) % occupancy, false);
  if (savings < 0 || blocks == 0) return r;
  return {full_tiles - sms, sk_tiles, std::min(blocks, sk_tiles * iters)};
}

StreamKSplit stream_k_sm90(int64_t tiles, int64_t iters, int64_t ctas_per_wave) {
  StreamKSplit r{tiles, 0, 0};
  const int64_t full_waves = tiles / ctas_per_wave;
  if (tiles % ctas_per_wave == 0 || iters <= kSm90MinIters) return r;  // no tail, or nothing to split
  // "assign the first two waves worth of tiles to be covered by stream-K work and the remainder
  // to be data-parallel" (get_num_sk_tiles).
  const int64_t dp_waves = full_waves > 1 ? full_waves - 1 : 0;
  r.dp_tiles = dp_waves * ctas_per_wave;
  r.sk_tiles = tiles - r.dp_tiles;
  // get_num_sk_units: one unit per CTA slot of a wave, each at least 8 k-steps.
  r.sk_units = std::min(ctas_per_wave, r.sk_tiles * iters / kSm90MinIters);
  return r;
}

StreamKSplit stream_k_split(const std::string& generation, int64_t tiles, int64_t iters, int64_t sms, int64_t occupancy) {
  return generation == "sm90" ? stream_k_sm90(tiles, iters, sms * occupancy) : stream_k_sm80(tiles, iters, sms, occupancy);
}

UnitRange stream_k_unit(int64_t total_iters, int64_t units, int64_t u) {
  const int64_t normal = total_iters / units, big = total_iters % units;
  const int64_t begin = u * normal + std::min(u, big);
  return {begin, begin + normal + (u < big ? 1 : 0)};
}

}  // namespace accsim
