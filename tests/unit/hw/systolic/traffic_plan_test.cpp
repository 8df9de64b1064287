// Temporal chunking of ws/is partial sums (docs/models/systolic.md §4), worked by hand on a 4x4
// array. int8 A and B, int8 outputs, int32 accumulators (4 B); the ofmap buffer holds 128 B.
#include <gtest/gtest.h>

#include "sim/hw/systolic/traffic_plan.hpp"

namespace accsim {
namespace {

GemmShape gemm(int64_t m, int64_t n, int64_t k) {
  GemmShape g;
  g.m = m; g.n = n; g.k = k;
  return g;
}

BufferSpec buffer(double bytes) {
  BufferSpec b;
  b.size_kb = bytes / 1024.0;
  b.double_buffered = false;  // tile capacity = the whole buffer
  return b;
}

TrafficInputs inputs(Dataflow df) {
  TrafficInputs in;
  in.rows = in.cols = 4;
  in.dataflow = df;
  in.ifmap = buffer(1024);
  in.filter = buffer(1024);
  in.ofmap = buffer(128);
  in.a_bytes = in.b_bytes = in.out_bytes = 1;
  in.acc_bytes = 4;
  in.fold_cycles = [df](int64_t t) { return fold_cycles(df, 4, 4, t); };
  return in;
}

uint64_t loads(const TrafficPlan& p) {
  uint64_t s = 0;
  for (const Tile& t : p.tiles) s += t.load_bytes;
  return s;
}
uint64_t stores(const TrafficPlan& p) {
  uint64_t s = 0;
  for (const Tile& t : p.tiles) s += t.store_bytes;
  return s;
}

// ws, M = 10, N = 4, K = 8: Sr = K = 8 -> 2 row folds, Sc = N = 4 -> 1 column fold, T = M = 10.
const GemmShape kWs = gemm(10, 4, 8);

TEST(SystolicTrafficPlan, WsWholeTemporalSpillsPartialSums) {
  const TrafficInputs in = inputs(Dataflow::WeightStationary);
  const TrafficPlan p = plan_traffic(kWs, plan_folds(kWs, 4, 4, in.dataflow), in, false);
  // Partial sums M x C = 10 x 4 x 4 B = 160 B > 128 B: fold 0 writes them out, fold 1 reads them.
  EXPECT_TRUE(p.spills);
  ASSERT_EQ(p.tiles.size(), 2u);
  // 2 folds of 2R + C + T - 2 = 8 + 4 + 10 - 2 = 20 cycles (SCALE-Sim's count).
  EXPECT_EQ(p.compute_cycles(), 40u);
  // Loads: A columns 10 x 4 = 40 B per fold (80), B blocks 4 x 4 = 16 B per fold (32), partial
  // sums 160 B before fold 1: 272 B. Stores: 160 B of partial sums + 10 x 4 outputs = 200 B.
  EXPECT_EQ(loads(p), 272u);
  EXPECT_EQ(stores(p), 200u);
}

TEST(SystolicTrafficPlan, WsChunkedKeepsPartialSumsOnChip) {
  const TrafficInputs in = inputs(Dataflow::WeightStationary);
  const TrafficPlan p = plan_traffic(kWs, plan_folds(kWs, 4, 4, in.dataflow), in, true);
  // One step of M holds C = 4 accumulators (16 B): 128 / 16 = 8 rows fit -> chunks of 8 and 2.
  EXPECT_FALSE(p.spills);
  EXPECT_EQ(p.temporal_chunks, 2);
  ASSERT_EQ(p.tiles.size(), 4u);  // chunk 0 folds 0, 1; chunk 1 folds 0, 1
  // Per chunk 2 folds of 2R + C + T_chunk - 2: 2 x (8+4+8-2 = 18) + 2 x (8+4+2-2 = 12) = 60.
  EXPECT_EQ(p.tiles[0].compute_cycles, 18u);
  EXPECT_EQ(p.tiles[2].compute_cycles, 12u);
  EXPECT_EQ(p.compute_cycles(), 60u);
  // Loads: A 8 x 4 = 32 B per fold of chunk 0, 2 x 4 = 8 B per fold of chunk 1 (80 B in all);
  // B's column (K x C = 32 B) fits the 1 KiB filter buffer, so chunk 1 re-reads it from there:
  // 16 B per fold of chunk 0 only. Tiles: 48, 48, 8, 8 = 112 B.
  EXPECT_EQ(p.tiles[0].load_bytes, 48u);
  EXPECT_EQ(p.tiles[1].load_bytes, 48u);
  EXPECT_EQ(p.tiles[2].load_bytes, 8u);
  EXPECT_EQ(p.tiles[3].load_bytes, 8u);
  // Stores: outputs only, after each chunk's last row fold: 8 x 4 = 32 B and 2 x 4 = 8 B.
  EXPECT_EQ(p.tiles[0].store_bytes, 0u);
  EXPECT_EQ(p.tiles[1].store_bytes, 32u);
  EXPECT_EQ(p.tiles[3].store_bytes, 8u);
  // The array still preloads a 16 B block every fold: 4 x 16 = 64 B filter reads, 32 B written.
  EXPECT_DOUBLE_EQ(p.sram_read_bytes[1], 64.0);
  EXPECT_DOUBLE_EQ(p.sram_write_bytes[1], 32.0);
  // Partial sums read back on chip in each chunk's fold 1: 8 x 4 x 4 + 2 x 4 x 4 = 160 B; the
  // ofmap buffer also reads out the 40 B of outputs: 200 B read.
  EXPECT_DOUBLE_EQ(p.sram_read_bytes[2], 200.0);
}

TEST(SystolicTrafficPlan, WsChunkedRefetchesStationaryColumnThatDoesNotFit) {
  TrafficInputs in = inputs(Dataflow::WeightStationary);
  in.filter = buffer(16);  // holds one 16 B block, not B's 32 B column
  const TrafficPlan p = plan_traffic(kWs, plan_folds(kWs, 4, 4, in.dataflow), in, true);
  // Every fold of both chunks fetches its 16 B block: 80 B of A + 4 x 16 B of B = 144 B.
  EXPECT_EQ(loads(p), 144u);
  EXPECT_EQ(p.tiles[2].load_bytes, 8u + 16u);
}

TEST(SystolicTrafficPlan, IsChunkedIsTheMirrorOfWs) {
  // is, M = 4, N = 10, K = 8: Sr = K = 8 -> 2 row folds, Sc = M = 4 -> 1 column fold, T = N = 10.
  const GemmShape g = gemm(4, 10, 8);
  const TrafficInputs in = inputs(Dataflow::InputStationary);
  const FoldPlan plan = plan_folds(g, 4, 4, in.dataflow);
  const TrafficPlan whole = plan_traffic(g, plan, in, false);
  // Partial sums C x N = 4 x 10 x 4 B = 160 B > 128 B: spill, 2 x 20 = 40 cycles, as ws above
  // (A blocks 16 B per fold, B rows 4 x 10 = 40 B per fold, 160 B of partial sums each way).
  EXPECT_TRUE(whole.spills);
  EXPECT_EQ(whole.compute_cycles(), 40u);
  EXPECT_EQ(loads(whole), 272u);
  EXPECT_EQ(stores(whole), 200u);
  const TrafficPlan p = plan_traffic(g, plan, in, true);
  // Chunks of N: 8 and 2 columns. A's row block (C x K = 4 x 8 = 32 B) fits the ifmap buffer,
  // so chunk 1 preloads it from there. Loads: B 4 x 8 = 32 B + A 16 B per fold of chunk 0, B 4 x 2
  // = 8 B per fold of chunk 1: 48, 48, 8, 8. Stores: 4 x 8 = 32 B and 4 x 2 = 8 B of outputs.
  EXPECT_FALSE(p.spills);
  EXPECT_EQ(p.compute_cycles(), 60u);
  ASSERT_EQ(p.tiles.size(), 4u);
  EXPECT_EQ(p.tiles[0].load_bytes, 48u);
  EXPECT_EQ(p.tiles[2].load_bytes, 8u);
  EXPECT_EQ(loads(p), 112u);
  EXPECT_EQ(stores(p), 40u);
  EXPECT_DOUBLE_EQ(p.sram_read_bytes[0], 64.0);  // the array preloads a 16 B A block every fold
}

TEST(SystolicTrafficPlan, ControllerChoosesByEstimatedTime) {
  const TrafficInputs in = inputs(Dataflow::WeightStationary);
  const FoldPlan plan = plan_folds(kWs, 4, 4, in.dataflow);
  // Unlimited bandwidth: spilling costs no time, the whole-T schedule (40 cycles) beats the
  // chunked one (60), so the result equals SCALE-Sim's.
  const TrafficPlan unlimited = choose_traffic(kWs, plan, in, 0.0, 0.0, 2);
  EXPECT_EQ(unlimited.temporal_chunks, 1);
  EXPECT_EQ(unlimited.compute_cycles(), 40u);
  // 1 B per cycle, double buffered: each tile takes max(compute, (load + store) / 1).
  // Whole: max(20, 56 + 160) + max(20, 216 + 40) = 472. Chunked: max(18, 48) + max(18, 48 + 32)
  // + max(12, 8) + max(12, 8 + 8) = 48 + 80 + 12 + 16 = 156. The chunked schedule wins.
  EXPECT_DOUBLE_EQ(estimate_cycles(plan_traffic(kWs, plan, in, false), 1.0, 0.0, 2), 472.0);
  EXPECT_DOUBLE_EQ(estimate_cycles(plan_traffic(kWs, plan, in, true), 1.0, 0.0, 2), 156.0);
  EXPECT_EQ(choose_traffic(kWs, plan, in, 1.0, 0.0, 2).temporal_chunks, 2);
  // Single buffered, compute and transfer add up: chunked 18 + 48 + 18 + 80 + 12 + 8 + 12 + 16
  // = 212; a 10-cycle latency adds 10 per tile with a load (all four): 252.
  EXPECT_DOUBLE_EQ(estimate_cycles(plan_traffic(kWs, plan, in, true), 1.0, 0.0, 1), 212.0);
  EXPECT_DOUBLE_EQ(estimate_cycles(plan_traffic(kWs, plan, in, true), 1.0, 10.0, 1), 252.0);
}

TEST(SystolicTrafficPlan, NoChunkWhenOneStepDoesNotFit) {
  TrafficInputs in = inputs(Dataflow::WeightStationary);
  in.ofmap = buffer(8);  // less than one step of partial sums (4 x 4 B = 16 B)
  const TrafficPlan p = choose_traffic(kWs, plan_folds(kWs, 4, 4, in.dataflow), in, 1.0, 0.0, 2);
  EXPECT_EQ(p.temporal_chunks, 1);
  EXPECT_TRUE(p.spills);
}

TEST(SystolicTrafficPlan, FittingPartialSumsAreNeverChunked) {
  TrafficInputs in = inputs(Dataflow::WeightStationary);
  in.ofmap = buffer(160);  // exactly M x C x 4 B
  const TrafficPlan p = choose_traffic(kWs, plan_folds(kWs, 4, 4, in.dataflow), in, 1.0, 0.0, 2);
  EXPECT_FALSE(p.spills);
  EXPECT_EQ(p.temporal_chunks, 1);
  EXPECT_EQ(p.compute_cycles(), 40u);
  EXPECT_EQ(loads(p), 112u);  // 80 B of A + 32 B of B, nothing else
}

}  // namespace
}  // namespace accsim
