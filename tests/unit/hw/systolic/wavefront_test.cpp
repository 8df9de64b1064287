// The vectorized wavefront grid against the fold equations (docs/models/systolic.md §3: os
// R + C + T - 2, ws/is 2R + C + T - 2 with T = ceil(K / k_pack) x t_scale) and against a plain GEMM.
#include <gtest/gtest.h>

#include <random>

#include "sim/hw/systolic/wavefront.hpp"

namespace accsim {
namespace {

struct Case { Dataflow df; int64_t R, C, m, n, k, kp, ts; };

TEST(Wavefront, CyclesAndOutputsMatchEquationsAndGemm) {
  const Case cases[] = {
      {Dataflow::OutputStationary, 4, 4, 4, 4, 5, 1, 1},  {Dataflow::OutputStationary, 8, 6, 3, 5, 17, 1, 1},
      {Dataflow::OutputStationary, 8, 8, 8, 8, 9, 2, 1},  {Dataflow::OutputStationary, 4, 4, 2, 3, 7, 1, 3},
      {Dataflow::WeightStationary, 4, 4, 6, 4, 4, 1, 1},  {Dataflow::WeightStationary, 8, 6, 13, 5, 7, 1, 1},
      {Dataflow::WeightStationary, 4, 4, 5, 3, 8, 2, 1},  {Dataflow::WeightStationary, 4, 4, 5, 3, 3, 1, 2},
      {Dataflow::InputStationary, 4, 4, 4, 9, 4, 1, 1},   {Dataflow::InputStationary, 8, 6, 5, 11, 6, 1, 1},
      {Dataflow::InputStationary, 4, 4, 3, 7, 8, 2, 2},
  };
  std::mt19937 rng(7);
  for (const Case& c : cases) {
    std::vector<int32_t> a(c.m * c.k), b(c.k * c.n);
    for (auto& x : a) x = static_cast<int32_t>(rng() % 255) - 127;
    for (auto& x : b) x = static_cast<int32_t>(rng() % 255) - 127;
    std::vector<int64_t> out(c.m * c.n, 0), ref(c.m * c.n, 0);
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t kk = 0; kk < c.k; ++kk)
        for (int64_t j = 0; j < c.n; ++j) ref[i * c.n + j] += int64_t{a[i * c.k + kk]} * b[kk * c.n + j];
    const WavefrontFold f =
        step_wavefront(c.df, c.R, c.C, a.data(), c.k, b.data(), c.n, c.m, c.n, c.k, c.kp, c.ts, false, out.data(), c.n);
    // T: the streamed length. os streams K; ws streams M; is streams N (packed K sits on the rows).
    const int64_t kpacked = (c.k + c.kp - 1) / c.kp;
    const int64_t t = c.df == Dataflow::OutputStationary ? kpacked : (c.df == Dataflow::WeightStationary ? c.m : c.n);
    EXPECT_EQ(f.cycles, fold_cycles(c.df, c.R, c.C, t * c.ts)) << dataflow_name(c.df) << " m" << c.m << " n" << c.n
                                                                << " k" << c.k << " kp" << c.kp << " ts" << c.ts;
    EXPECT_EQ(out, ref) << dataflow_name(c.df);
  }
}

// 4x4 os, T = 5: the last PE (3, 3) sees its last pair at cycle 3 + 3 + 4 = 10: 11 cycles
// (= R + C + T - 2); with the drain, 4 more.
TEST(Wavefront, OsDrainSteppedOut) {
  std::vector<int32_t> a(16 * 5, 1), b(5 * 16, 1);
  std::vector<int64_t> out(16, 0);
  EXPECT_EQ(step_wavefront(Dataflow::OutputStationary, 4, 4, a.data(), 5, b.data(), 4, 4, 4, 5, 1, 1, false,
                           out.data(), 4).cycles, 11);
  EXPECT_EQ(step_wavefront(Dataflow::OutputStationary, 4, 4, a.data(), 5, b.data(), 4, 4, 4, 5, 1, 1, true,
                           out.data(), 4).cycles, 15);
  EXPECT_EQ(out[0], 10);  // two folds of five ones each
}

}  // namespace
}  // namespace accsim
