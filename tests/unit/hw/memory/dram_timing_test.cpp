// The timing DRAM engine against what its JEDEC tables predict, worked by hand beside each case,
// and against published efficiency figures (validation/dram/cases.csv carries the same numbers).
#include <gtest/gtest.h>

#include <random>

#include "sim/hw/memory/dram_timing_engine.hpp"

namespace accsim {
namespace {

DramTimingSpec ddr4(bool refresh = false) {
  DramTimingSpec s;
  EXPECT_TRUE(dram_preset("ddr4-3200", s));
  s.refresh = refresh;
  return s;
}

// DDR4-3200AA: CL 22, tRCD 22, tRP 22, BL8 = 4 clocks on the bus.
TEST(DramTiming, Ddr4PresetMatchesJedecBin) {
  const DramTimingSpec s = ddr4();
  EXPECT_EQ(s.CL, 22);
  EXPECT_EQ(s.RCD, 22);
  EXPECT_EQ(s.RP, 22);
  EXPECT_EQ(s.RAS, 52);    // 32 ns / 0.625 ns = 51.2 -> 52
  EXPECT_EQ(s.FAW, 34);    // 21 ns -> 33.6 -> 34
  EXPECT_EQ(s.RFC, 560);   // 350 ns
  EXPECT_EQ(s.REFI, 12480);  // 7.8 us
  EXPECT_NEAR(s.peak_gb_s(), 25.6, 1e-9);  // 64 B per 4 x 0.625 ns
}

// Latencies of one read, from arrival to the last data beat:
//   row miss (bank closed): tRCD + CL + BL = 22 + 22 + 4 = 48 tCK
//   row hit:                CL + BL        = 26 tCK
//   row conflict:           tRP + tRCD + CL + BL = 70 tCK (once tRAS of the open row has passed)
TEST(DramTiming, HitMissConflictLatencies) {
  DramTimingEngine e(ddr4());
  EXPECT_EQ(e.read_batch({0}, 0), 48);
  EXPECT_EQ(e.read_batch({256}, 1000), 1000 + 26);  // same row and bank (64 B x 4 groups on)
  // Same bank, other row: with RoRaBaCoBgCh and 8 KiB rows, +8 KiB x 16 banks is the next row.
  const uint64_t other_row = 8192ULL * 16;
  const auto d0 = e.decode(0), d1 = e.decode(other_row);
  EXPECT_EQ(d0.bank, d1.bank);
  EXPECT_EQ(d0.bg, d1.bg);
  EXPECT_NE(d0.row, d1.row);
  EXPECT_EQ(e.read_batch({other_row}, 2000), 2000 + 70);
  EXPECT_EQ(e.stats().row_misses, 1u);
  EXPECT_EQ(e.stats().row_hits, 1u);
  EXPECT_EQ(e.stats().row_conflicts, 1u);
}

// A long sequential read streams at nearly the peak: per 8 KiB row, 128 bursts of 4 clocks; the
// row changes are hidden by the other banks. Expected efficiency without refresh ~ 100 %, and
// with refresh about 1 - tRFC/tREFI = 1 - 560/12480 = 95.5 % at most.
double sequential_efficiency(bool refresh) {
  DramTimingEngine e(ddr4(refresh));
  std::vector<uint64_t> a;
  const uint64_t bytes = 64ULL << 20;
  for (uint64_t x = 0; x < bytes; x += 64) a.push_back(x);
  const int64_t end = e.read_batch(a, 0);
  const double ideal = static_cast<double>(a.size()) * 4;
  return ideal / static_cast<double>(end);
}

TEST(DramTiming, SequentialReadEfficiency) {
  const double no_ref = sequential_efficiency(false);
  EXPECT_GT(no_ref, 0.97);
  const double with_ref = sequential_efficiency(true);
  EXPECT_LT(with_ref, 1.0 - 560.0 / 12480.0 + 0.005);
  EXPECT_GT(with_ref, 0.90);
  // Refresh overhead: tRFC / tREFI = 4.5 % of the time, so the efficiency drops by about that.
  EXPECT_NEAR(no_ref - with_ref, 560.0 / 12480.0, 0.02);
}

// Random 64 B reads over 1 GiB: nearly every read opens a row. The limit is the activate rate:
// 4 ACTs per tFAW (34 tCK) -> 8.5 tCK per read -> 4 / 8.5 = 47 % of the bus; tRRD_S (4 tCK) is
// looser. The bank-level limit (16 banks / tRC 74 -> 4.6 tCK) is looser too. So ~40-50 %.
TEST(DramTiming, RandomReadEfficiencyIsActivateBound) {
  DramTimingEngine e(ddr4(false));
  std::mt19937_64 rng(1);
  std::vector<uint64_t> a;
  for (int i = 0; i < 200000; ++i) a.push_back((rng() % (1ULL << 30)) / 64 * 64);
  const int64_t end = e.read_batch(a, 0);
  const double eff = 4.0 * a.size() / static_cast<double>(end);
  EXPECT_GT(eff, 0.38);
  EXPECT_LT(eff, 0.48);
}

// Read -> write -> read on one open row: the write's data waits for the bus turnaround and the
// read after it waits tWTR_L after the write data ends (write data end + 12).
TEST(DramTiming, WriteToReadTurnaround) {
  DramTimingSpec s = ddr4();
  s.write_high = 1;  // drain each write at once
  s.write_low = 0;
  DramTimingEngine e(s);
  EXPECT_EQ(e.read_batch({0}, 0), 48);           // ACT at 0, RD at 22, data 44..48
  e.write_batch({256}, 48);                        // WR at max(48, 22 + 22 + 4 + 2 - 16 = 34) = 48
  // Write data: 48 + CWL 16 .. +4 = 68; next read's RD >= 68 + tWTR_L 12 = 80 -> data 80 + 26.
  EXPECT_EQ(e.read_batch({512}, 48), 80 + 26);
}

TEST(DramTiming, ClosedPageMissesEveryTime) {
  DramTimingSpec s = ddr4();
  s.open_page = false;
  DramTimingEngine e(s);
  EXPECT_EQ(e.read_batch({0}, 0), 48);
  EXPECT_EQ(e.read_batch({256}, 1000), 1000 + 48);  // row closed again: tRCD + CL + BL
  EXPECT_EQ(e.stats().row_hits, 0u);
}

TEST(DramTiming, MappingParses) {
  std::vector<AddrField> m;
  EXPECT_TRUE(parse_mapping("RoBaRaCoBgCh", m));
  EXPECT_EQ(mapping_name(m), "RoBaRaCoBgCh");
  EXPECT_FALSE(parse_mapping("RoRoRaCoBgCh", m));
  EXPECT_FALSE(parse_mapping("RoBaRaCoBg", m));
}

}  // namespace
}  // namespace accsim
