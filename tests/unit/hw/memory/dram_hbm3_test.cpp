// The HBM3 preset (H100 SXM5's memory) against the numbers its sources give, worked by hand:
// 5 stacks x 1024 DQ at 3.35 TB/s (NVIDIA H100 whitepaper) -> 3350e9 x 8 / 5120 = 5.234375 Gb/s
// per pin, tCK = 2 / 5.234375 = 0.38209 ns; 160 pseudo channels of 32 DQ, BL8 = 32 B in 4 tCK.
#include <gtest/gtest.h>

#include "sim/hw/memory/dram_timing_engine.hpp"

namespace accsim {
namespace {

DramTimingSpec hbm3(bool refresh) {
  DramTimingSpec s;
  EXPECT_TRUE(dram_preset("hbm3", s));
  s.refresh = refresh;
  return s;
}

TEST(DramHbm3, PresetFromH100AndHbm2ArrayTimings) {
  const DramTimingSpec s = hbm3(true);
  EXPECT_EQ(s.channels, 160);      // 5 stacks x 16 channels x 2 pseudo channels
  EXPECT_EQ(s.burst_bytes, 32);    // 32 DQ x BL8 / 8
  EXPECT_EQ(s.BL, 4);
  EXPECT_NEAR(s.tck_ns, 0.382090, 1e-6);
  EXPECT_NEAR(s.peak_gb_s(), 3350.0, 1e-6);  // 160 x 32 B / (4 x 0.38209 ns)
  EXPECT_EQ(s.RCD, 32);    // 12 ns / 0.38209 = 31.4 -> 32
  EXPECT_EQ(s.CL, 48);     // 18 ns -> 47.1 -> 48
  EXPECT_EQ(s.RP, 37);     // 14 ns -> 36.6 -> 37
  EXPECT_EQ(s.RAS, 74);    // 28 ns -> 73.3 -> 74
  EXPECT_EQ(s.FAW, 42);    // 16 ns -> 41.9 -> 42
  EXPECT_EQ(s.CCD_L, 8);   // 3 ns -> 7.9 -> 8: two bursts
  EXPECT_EQ(s.RFC, 917);   // 350 ns -> 916.02 -> 917
  EXPECT_EQ(s.REFI, 10208);  // 3.9 us -> 10207.03 -> 10208
}

// One read to a closed bank: tRCD + CL + BL = 32 + 48 + 4 = 84 tCK (32.1 ns).
TEST(DramHbm3, RowMissLatency) {
  DramTimingEngine e(hbm3(false));
  EXPECT_EQ(e.read_batch({0}, 0), 84);
}

// 64 MiB read in order spreads over all 160 pseudo channels (channel bits lowest): each carries
// 64 MiB / 32 B / 160 = 13107.2 bursts of 4 tCK. Without refresh the stream runs near peak; with
// refresh it loses about tRFC / tREFI = 917 / 10208 = 9.0 %.
TEST(DramHbm3, SequentialStreamNearPeakAndRefreshOverhead) {
  std::vector<uint64_t> a;
  for (uint64_t x = 0; x < (64ULL << 20); x += 32) a.push_back(x);
  const double ideal = static_cast<double>(a.size()) / 160.0 * 4.0;
  DramTimingEngine no_ref(hbm3(false));
  const double eff = ideal / static_cast<double>(no_ref.read_batch(a, 0));
  EXPECT_GT(eff, 0.97);
  DramTimingEngine with_ref(hbm3(true));
  const double eff_ref = ideal / static_cast<double>(with_ref.read_batch(a, 0));
  EXPECT_NEAR(eff - eff_ref, 917.0 / 10208.0, 0.02);
}

}  // namespace
}  // namespace accsim
