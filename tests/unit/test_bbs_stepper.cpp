// Cycle stepping of the bank-balanced array's bank reads (sim/hw/bbs/bank_stepper.cpp) against the
// event-mode cycle rules (bank_schedule.cpp), on hand-made and random masks.
#include <gtest/gtest.h>

#include <random>

#include "sim/hw/bbs/bank_schedule.hpp"
#include "sim/hw/bbs/bank_stepper.hpp"
#include "sim/hw/bbs/csb_format.hpp"

namespace accsim {
namespace {

WeightMask mask_of(int64_t rows, int64_t cols, const std::vector<int>& bits) {
  WeightMask m;
  m.rows = rows, m.cols = cols;
  m.keep = BitMask::from_bytes(std::vector<uint8_t>(bits.begin(), bits.end()));
  return m;
}

TEST(BbsStepper, BankConflictsArise) {
  // 2 x 8, K = 2 banks of 4. Row 0: bank 0 holds 3 nonzeros, bank 1 one -> bank 0's single port
  // needs 3 cycles (2 of them with bank 1 idle). Row 1: 1 + 1 -> 1 cycle. Two PEs: one group of
  // max(3, 1) = 3 cycles; row 1's PE idles 2 cycles.
  const CsbMatrix m = csb_encode(mask_of(2, 8, {1, 1, 1, 0, 0, 1, 0, 0,  //
                                                0, 1, 0, 0, 0, 0, 1, 0}),
                                 {}, 2);
  const PassSchedule s = step_pass(m, 2, 0, 2);
  EXPECT_EQ(s.pass_cycles, 3u);
  EXPECT_EQ(s.busy_pe_cycles, 4u);            // 3 + 1
  EXPECT_EQ(s.conflict_stall_pe_cycles, 1u);  // row 0: 3 stepped vs ceil(4 / 2) = 2 ideal
  EXPECT_EQ(s.imbalance_idle_pe_cycles, 2u);
  EXPECT_EQ(s.nonzeros, 6u);
}

TEST(BbsStepper, AgreesWithTheEventRulesOnRandomMasks) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const int64_t rows = 1 + static_cast<int64_t>(rng() % 40), cols = 1 + static_cast<int64_t>(rng() % 70);
    const int64_t banks = 1 + static_cast<int64_t>(rng() % 8), pes = 1 + static_cast<int64_t>(rng() % 9);
    std::vector<int> bits(static_cast<size_t>(rows * cols));
    for (int& b : bits) b = rng() % 3 == 0;
    const CsbMatrix m = csb_encode(mask_of(rows, cols, bits), {}, banks);
    const PassSchedule a = schedule_pass(m, pes, 0, rows), b = step_pass(m, pes, 0, rows);
    EXPECT_EQ(a.pass_cycles, b.pass_cycles);
    EXPECT_EQ(a.group_cycles, b.group_cycles);
    EXPECT_EQ(a.busy_pe_cycles, b.busy_pe_cycles);
    EXPECT_EQ(a.conflict_stall_pe_cycles, b.conflict_stall_pe_cycles);
    EXPECT_EQ(a.imbalance_idle_pe_cycles, b.imbalance_idle_pe_cycles);
    EXPECT_EQ(a.underfill_idle_pe_cycles, b.underfill_idle_pe_cycles);
    EXPECT_EQ(a.padded_lane_slots, b.padded_lane_slots);
  }
}

}  // namespace
}  // namespace accsim
