// DramTimingEngine::read_batch with each read's own data clock (cycle mode's demand-ordered
// fills), worked by hand on DDR4-3200 (CL 22, tRCD 22, BL8 = 4 clocks on the bus).
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/hw/memory/dram_timing_engine.hpp"

namespace accsim {
namespace {

TEST(DramReadEach, EachReadHasItsOwnDataClock) {
  DramTimingSpec s;
  ASSERT_TRUE(dram_preset("ddr4-3200", s));
  s.refresh = false;
  DramTimingEngine e(s);
  std::vector<int64_t> each;
  // 256 and 0: same bank, bank group and row (dram_timing_test.cpp). The oldest (256) is served
  // first: ACT at 0, RD at tRCD = 22, data until 22 + 22 + 4 = 48. Then 0, a row hit in the same
  // bank group: RD at max(22 + tCCD_L, 48 - CL) (tCCD_L apart, its data right after the bus frees),
  // data until + CL + BL.
  const int64_t done = e.read_batch({256, 0}, 0, each);
  ASSERT_EQ(each.size(), 2u);
  EXPECT_EQ(each[0], 48);
  EXPECT_EQ(each[1], std::max<int64_t>(22 + s.CCD_L, 48 - 22) + 26);
  EXPECT_EQ(done, std::max(each[0], each[1]));
  // The per-read overload moves the engine exactly as the batch one: a fresh engine, same batch.
  DramTimingEngine f(s);
  EXPECT_EQ(f.read_batch({256, 0}, 0), done);
}

}  // namespace
}  // namespace accsim
