// SRAM bank conflicts of the systolic array's operand buffers (sim/hw/systolic/buffer_conflicts.*,
// sim/hw/memory/sram_banks.*), every count derived by hand beside it.
#include <gtest/gtest.h>

#include "sim/hw/memory/sram_banks.hpp"
#include "sim/hw/systolic/buffer_conflicts.hpp"

namespace accsim {
namespace {

BufferSpec ported(int64_t banks, int64_t ports, int64_t word_bytes = 0) {
  BufferSpec b;
  b.banks = banks;
  b.ports = ports;
  b.word_bytes = word_bytes;
  return b;
}

TEST(SramBanks, WordsCoalesceAndBanksSerialize) {
  BankCycle c(ported(4, 1, 4), 1.0);  // 4 int8 elements per word, word w in bank w mod 4
  for (int e = 0; e < 4; ++e) c.touch(e);
  EXPECT_EQ(c.cycles(), 1);  // one word
  c.clear();
  c.touch(0);
  c.touch(16);  // words 0 and 4: both bank 0
  EXPECT_EQ(c.cycles(), 2);
  c.clear();
  c.touch(0, 2);  // read-modify-write of one word on a single port
  EXPECT_EQ(c.cycles(), 2);
  BankCycle two(ported(4, 2, 4), 1.0);
  two.touch(0);
  two.touch(16);
  EXPECT_EQ(two.cycles(), 1);
  BankCycle ideal(ported(1, 0), 1.0);
  for (int e = 0; e < 100; ++e) ideal.touch(e * 7);
  EXPECT_EQ(ideal.cycles(), 1);
}

ConflictInputs os_inputs(int64_t banks, int64_t ports) {
  ConflictInputs in;
  in.dataflow = Dataflow::OutputStationary;
  in.ifmap = in.filter = ported(banks, ports);
  in.ofmap = ported(1, 0);
  return in;
}

// os, 32 x 32 lanes, 32 single-ported banks of one int8 each. Lane l's element t sits at l T + t
// and is asked for at step c = l + t: bank (l (T - 1) + c) mod 32.
TEST(BufferConflicts, OsSkewConflictsFollowTminusOne) {
  FoldRegion r;
  r.r_used = r.c_used = 32;
  // T = 148: T - 1 = 147 is odd, so 32 lanes fall in 32 distinct banks: no conflict.
  r.t_len = 148;
  EXPECT_EQ(fold_conflicts(os_inputs(32, 1), r).stall_cycles, 0);
  // T = 129: T - 1 = 128 = 0 mod 32: every active lane in the same bank. Steps c = 0..159 carry
  // 32 x 129 = 4128 element reads in 160 steps: 4128 - 160 = 3968 extra cycles, for A and B alike
  // (same steps, so the array waits 3968, not twice that).
  r.t_len = 129;
  FoldConflicts f = fold_conflicts(os_inputs(32, 1), r);
  EXPECT_EQ(f.conflict_cycles[0], 3968);
  EXPECT_EQ(f.conflict_cycles[1], 3968);
  EXPECT_EQ(f.stall_cycles, 3968);
  // Two ports halve the busiest bank's time: ceil(a / 2) - 1 per step with a active lanes.
  // Active lanes per step: 1, 2, ..., 31 (c = 0..30), 32 for c = 31..128 (98 steps), then
  // 31, ..., 1. Sum of (ceil(a/2) - 1): ramps 2 x sum_{a=1..31} (ceil(a/2) - 1) = 2 x 225 = 450,
  // plus 98 steps x 15 = 1470 at 32 lanes: 1920.
  EXPECT_EQ(fold_conflicts(os_inputs(32, 2), r).stall_cycles, 1920);
  // T = 147: T - 1 = 146 = 18 mod 32: lanes l and l + 16 share a bank, at most 2 per bank.
  // Full steps (all 32 lanes, c = 31..146): 116; ramp-up steps with lane 16 in (c = 16..30) and
  // ramp-down steps with lane 15 still in (c = 147..161): 15 + 15. One extra cycle each: 146.
  r.t_len = 147;
  EXPECT_EQ(fold_conflicts(os_inputs(32, 1), r).stall_cycles, 146);
}

// ws, 4 x 4 lanes, T = 8, 4 single-ported banks: the preload (row p: elements 4p + j, banks j),
// the ifmap stream (bank (7r + c) mod 4 = (c - r) mod 4) and the output stream are conflict free.
// A later row fold reads and writes each partial sum: 2 accesses on one port in every step with
// an output (steps c = 4..14, 11 steps): 11 extra cycles.
TEST(BufferConflicts, WsPartialSumReadModifyWrite) {
  ConflictInputs in;
  in.dataflow = Dataflow::WeightStationary;
  in.ifmap = in.filter = in.ofmap = ported(4, 1);
  FoldRegion r;
  r.r_used = r.c_used = 4;
  r.t_len = 8;
  EXPECT_EQ(fold_conflicts(in, r).stall_cycles, 0);
  r.fr = 1;
  FoldConflicts f = fold_conflicts(in, r);
  EXPECT_EQ(f.conflict_cycles[2], 11);
  EXPECT_EQ(f.stall_cycles, 11);
  in.ofmap.ports = 2;
  EXPECT_EQ(fold_conflicts(in, r).stall_cycles, 0);
}

}  // namespace
}  // namespace accsim
