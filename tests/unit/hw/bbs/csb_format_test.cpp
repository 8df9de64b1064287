// CSB format (Cao et al. FPGA'19) and the bank-balanced PE array's cycle rules on hand-made masks.
// Every expectation is derived by hand in the comment beside it.
#include <gtest/gtest.h>

#include "sim/hw/bbs/bank_schedule.hpp"
#include "sim/hw/bbs/csb_format.hpp"

namespace accsim {
namespace {

WeightMask make_mask(int64_t rows, int64_t cols, const std::vector<int>& bits) {
  WeightMask m;
  m.rows = rows;
  m.cols = cols;
  m.keep = BitMask::from_bytes(std::vector<uint8_t>(bits.begin(), bits.end()));
  return m;
}

// 2 x 8, K = 2 banks of B = 4 columns.
//   row 0: 1 0 1 0 | 0 1 1 0   bank0 {0,2}, bank1 {5,6}  -> 2,2 nonzeros: balanced, 2 slots
//   row 1: 1 1 1 0 | 0 0 0 1   bank0 {0,1,2}, bank1 {7} -> 3,1: unbalanced, 3 slots
const std::vector<int> kBits = {1, 0, 1, 0, 0, 1, 1, 0,
                                1, 1, 1, 0, 0, 0, 0, 1};
const std::vector<int32_t> kValues = {3, 0, -1, 0, 0, 4, 2, 0,
                                      5, 6, 7, 0, 0, 0, 0, 8};

TEST(BbsCsb, InterleavedLayoutOfHandMadeMatrix) {
  const CsbMatrix m = csb_encode(make_mask(2, 8, kBits), kValues, 2);
  EXPECT_EQ(m.bank_len, 4);
  EXPECT_EQ(m.row_slots, (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(m.row_slot_begin, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(m.total_slots(), 5);
  // Slot s holds the s-th nonzero of bank 0 then of bank 1:
  //   slot0 (row0): 3@0, 4@1   slot1 (row0): -1@2, 2@2
  //   slot2 (row1): 5@0, 8@3   slot3: 6@1, pad   slot4: 7@2, pad
  EXPECT_EQ(m.values, (std::vector<int32_t>{3, 4, -1, 2, 5, 8, 6, 0, 7, 0}));
  EXPECT_EQ(m.indices, (std::vector<uint16_t>{0, 1, 2, 2, 0, 3, 1, 0, 2, 0}));
  EXPECT_EQ(m.valid, (std::vector<uint8_t>{1, 1, 1, 1, 1, 1, 1, 0, 1, 0}));
  EXPECT_EQ(m.nonzeros(), 8);
  EXPECT_EQ(m.padding_entries(), 2);  // 5 slots x 2 lanes - 8 nonzeros
  EXPECT_EQ(m.index_bits(), 2);       // 4 positions per bank
}

TEST(BbsCsb, RoundTripRestoresValuesAndMask) {
  const WeightMask mask = make_mask(2, 8, kBits);
  const CsbMatrix m = csb_encode(mask, kValues, 2);
  EXPECT_EQ(csb_decode_values(m), kValues);
  EXPECT_EQ(csb_decode_mask(m).keep, mask.keep);
  // Same with 4 banks of 2 and 8 banks of 1 (every layout must decode to the same matrix).
  for (int64_t k : {1, 4, 8}) {
    const CsbMatrix mk = csb_encode(mask, kValues, k);
    EXPECT_EQ(csb_decode_values(mk), kValues) << k;
    EXPECT_EQ(mk.nonzeros(), 8) << k;
  }
}

TEST(BbsCsb, RowLengthNotDividedByBanksPadsTheLastBank) {
  // 1 x 7, K = 2: B = ceil(7/2) = 4; bank1 covers columns 4..6. Row 1 1 0 0 | 0 1 1 -> 2,2.
  const CsbMatrix m = csb_encode(make_mask(1, 7, {1, 1, 0, 0, 0, 1, 1}), {}, 2);
  EXPECT_EQ(m.bank_len, 4);
  EXPECT_EQ(m.row_slots, (std::vector<int32_t>{2}));
  EXPECT_EQ(m.indices, (std::vector<uint16_t>{0, 1, 1, 2}));  // bank1: columns 5,6 -> 1,2
  EXPECT_TRUE(check_bank_balance(m).balanced);
}

TEST(BbsCsb, DetectsRowsThatAreNotBankBalanced) {
  const CsbMatrix m = csb_encode(make_mask(2, 8, kBits), {}, 2);
  const BankBalance b = check_bank_balance(m);
  EXPECT_FALSE(b.balanced);
  EXPECT_EQ(b.row, 1);  // row 0 is 2,2; row 1 is 3,1
  EXPECT_EQ(b.min_nnz, 1);
  EXPECT_EQ(b.max_nnz, 3);
  EXPECT_EQ(b.describe(), "row 1 has 1..3 nonzeros per bank");
  // With one bank per row every row is trivially balanced.
  EXPECT_TRUE(check_bank_balance(csb_encode(make_mask(2, 8, kBits), {}, 1)).balanced);
}

TEST(BbsCsb, BankPrunedMaskIsBalancedAndUnstructuredIsNot) {
  const std::vector<float> w = synthetic_weights(64, 256, 7);
  Compression bank;
  bank.pattern = SparsityPattern::BankBalanced;
  bank.bank_size = 16;  // 256 / 16 = 16 banks
  bank.density = 0.25;  // 4 of 16 per bank
  const CsbMatrix mb = csb_encode(prune_by_magnitude(w, 64, 256, bank, {}), {}, 16);
  EXPECT_TRUE(check_bank_balance(mb).balanced);
  EXPECT_EQ(mb.total_slots(), 64 * 4);  // 4 slots per row
  EXPECT_EQ(mb.padding_entries(), 0);
  Compression un;
  un.pattern = SparsityPattern::Unstructured;
  un.density = 0.25;
  EXPECT_FALSE(check_bank_balance(csb_encode(prune_by_magnitude(w, 64, 256, un, {}), {}, 16)).balanced);
}

TEST(BbsCsb, FunctionalSpmvOfHandMadeMatrix) {
  const CsbMatrix m = csb_encode(make_mask(2, 8, kBits), kValues, 2);
  const std::vector<int32_t> x = {1, 2, 3, 4, 5, 6, 7, 8};
  // row0 = 3*1 - 1*3 + 4*6 + 2*7 = 38; row1 = 5*1 + 6*2 + 7*3 + 8*8 = 102
  EXPECT_EQ(csb_spmm(m, x, 1), (std::vector<int64_t>{38, 102}));
}

TEST(BbsCsb, FunctionalSpmmMatchesDenseReferenceOnMaskedWeights) {
  // Integer weights and inputs from a fixed LCG; every pattern, several bank counts, 3 vectors.
  uint64_t state = 12345;
  auto next = [&]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int32_t>((state >> 33) % 255) - 127;
  };
  const int64_t rows = 24, cols = 96, vecs = 3;
  const std::vector<float> w = synthetic_weights(rows, cols, 3);
  std::vector<int32_t> x(static_cast<size_t>(vecs * cols));
  for (auto& v : x) v = next();
  std::vector<Compression> patterns(4);
  patterns[0].pattern = SparsityPattern::BankBalanced, patterns[0].bank_size = 12, patterns[0].density = 0.25;
  patterns[1].pattern = SparsityPattern::Unstructured, patterns[1].density = 0.3;
  patterns[2].pattern = SparsityPattern::Block, patterns[2].block_rows = 4, patterns[2].block_cols = 4;
  patterns[2].density = 0.5;
  patterns[3].pattern = SparsityPattern::Dense;
  for (const Compression& c : patterns) {
    const WeightMask mask = prune_by_magnitude(w, rows, cols, c, {});
    std::vector<int32_t> vals(mask.keep.size());
    for (size_t i = 0; i < vals.size(); ++i) vals[i] = mask.keep[i] ? next() : 0;
    const auto ref = dense_spmm(vals, rows, cols, x, vecs);
    for (int64_t k : {1, 8, 32}) EXPECT_EQ(csb_spmm(csb_encode(mask, vals, k), x, vecs), ref) << pattern_name(c.pattern) << k;
  }
}

TEST(BbsSchedule, HandMadeMaskCycleRules) {
  const CsbMatrix m = csb_encode(make_mask(2, 8, kBits), {}, 2);
  // P = 2: one group holding both rows. Row 0: 2 slots, ideal ceil(4/2) = 2, no conflict.
  // Row 1: 3 slots, ideal ceil(4/2) = 2 -> 1 conflict stall. Group = max(2,3) = 3 cycles;
  // imbalance idle = 3*2 - (2+3) = 1 (PE 0 waits one cycle for PE 1).
  const PassSchedule s = schedule_pass(m, 2, 0, 2);
  EXPECT_EQ(s.pass_cycles, 3u);
  EXPECT_EQ(s.busy_pe_cycles, 5u);
  EXPECT_EQ(s.ideal_pe_cycles, 4u);
  EXPECT_EQ(s.conflict_stall_pe_cycles, 1u);
  EXPECT_EQ(s.imbalance_idle_pe_cycles, 1u);
  EXPECT_EQ(s.underfill_idle_pe_cycles, 0u);
  EXPECT_EQ(s.nonzeros, 8u);
  EXPECT_EQ(s.padded_lane_slots, 2u);  // 5 slots x 2 lanes - 8
  // P = 4: same single group, but PEs 2 and 3 have no row: underfill = 2 PEs x 3 cycles.
  EXPECT_EQ(schedule_pass(m, 4, 0, 2).underfill_idle_pe_cycles, 6u);
  // P = 1: each row is its own group: 2 + 3 = 5 cycles, nobody waits.
  const PassSchedule one = schedule_pass(m, 1, 0, 2);
  EXPECT_EQ(one.pass_cycles, 5u);
  EXPECT_EQ(one.imbalance_idle_pe_cycles, 0u);
}

TEST(BbsSchedule, BankBalancedRowsHaveNoConflictsNorImbalance) {
  // 4 x 8, K = 4 (B = 2), every bank holds exactly one nonzero: 1 slot per row, 1 cycle per group.
  const CsbMatrix m = csb_encode(make_mask(4, 8, {1, 0, 0, 1, 1, 0, 0, 1,
                                                  0, 1, 1, 0, 0, 1, 1, 0,
                                                  1, 0, 1, 0, 1, 0, 1, 0,
                                                  0, 1, 0, 1, 0, 1, 0, 1}), {}, 4);
  const PassSchedule s = schedule_pass(m, 2, 0, 4);
  EXPECT_EQ(s.pass_cycles, 2u);  // 2 groups of 2 rows, 1 cycle each
  EXPECT_EQ(s.conflict_stall_pe_cycles, 0u);
  EXPECT_EQ(s.imbalance_idle_pe_cycles, 0u);
  EXPECT_EQ(s.padded_lane_slots, 0u);
  // An unstructured row with both nonzeros in bank 0, next to an empty row.
  const CsbMatrix u = csb_encode(make_mask(2, 8, {1, 1, 0, 0, 0, 0, 0, 0,
                                                  0, 0, 0, 0, 0, 0, 0, 0}), {}, 4);
  // Row 0: bank0 holds 2 -> 2 slots, ideal ceil(2/4) = 1 -> 1 conflict; row 1 empty: 0 slots.
  // One group (P = 2): 2 cycles; row 1's PE idles 2 cycles.
  const PassSchedule su = schedule_pass(u, 2, 0, 2);
  EXPECT_EQ(su.pass_cycles, 2u);
  EXPECT_EQ(su.conflict_stall_pe_cycles, 1u);
  EXPECT_EQ(su.imbalance_idle_pe_cycles, 2u);
}

}  // namespace
}  // namespace accsim
