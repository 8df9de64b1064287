// Run-length traffic plans (TrafficInputs::run_length, event mode without address streams) are
// the fold-by-fold plan compressed: expanding each tile `repeat` times gives the same tile list,
// and every sum (SRAM bytes, DRAM bytes, cycles, the schedule estimate) is bit-for-bit the same,
// on shapes where row folds repeat (many row folds), end short, or are too few to merge.
#include <gtest/gtest.h>

#include "sim/hw/systolic/traffic_plan.hpp"

namespace accsim {
namespace {

GemmShape gemm(int64_t m, int64_t n, int64_t k) {
  GemmShape g;
  g.m = m, g.n = n, g.k = k;
  return g;
}

BufferSpec buffer(double kb, bool double_buffered) {
  BufferSpec b;
  b.size_kb = kb;
  b.double_buffered = double_buffered;
  return b;
}

TrafficInputs inputs(Dataflow df, int64_t rows, int64_t cols, double ofmap_kb, double b_bytes) {
  TrafficInputs in;
  in.rows = rows, in.cols = cols;
  in.dataflow = df;
  in.ifmap = buffer(16, true);
  in.filter = buffer(8, false);
  in.ofmap = buffer(ofmap_kb, true);
  in.a_bytes = 1, in.b_bytes = b_bytes, in.out_bytes = 1, in.acc_bytes = 4;
  in.fold_cycles = [df, rows, cols](int64_t t) { return fold_cycles(df, rows, cols, t); };
  return in;
}

std::vector<Tile> expand(const TrafficPlan& p) {
  std::vector<Tile> out;
  for (const Tile& t : p.tiles)
    for (uint64_t i = 0; i < t.repeat; ++i) out.push_back(t);
  return out;
}

void expect_same_plan(const GemmShape& g, const TrafficInputs& base, bool chunk, const std::string& what) {
  const FoldPlan folds = plan_folds(g, base.rows, base.cols, base.dataflow);
  TrafficInputs compressed = base;
  compressed.run_length = true;
  const TrafficPlan a = plan_traffic(g, folds, base, chunk);
  const TrafficPlan b = plan_traffic(g, folds, compressed, chunk);
  const std::vector<Tile> ea = a.tiles, eb = expand(b);
  ASSERT_EQ(ea.size(), eb.size()) << what;
  for (size_t i = 0; i < ea.size(); ++i) {
    EXPECT_EQ(ea[i].load_bytes, eb[i].load_bytes) << what << " fold " << i;
    EXPECT_EQ(ea[i].store_bytes, eb[i].store_bytes) << what << " fold " << i;
    EXPECT_EQ(ea[i].compute_cycles, eb[i].compute_cycles) << what << " fold " << i;
  }
  EXPECT_EQ(a.folds(), b.folds()) << what;
  EXPECT_TRUE(b.regions.empty()) << what;
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(a.sram_read_bytes[k], b.sram_read_bytes[k]) << what << " buffer " << k;  // exact, not NEAR
    EXPECT_EQ(a.sram_write_bytes[k], b.sram_write_bytes[k]) << what << " buffer " << k;
  }
  EXPECT_EQ(a.spills, b.spills) << what;
  EXPECT_EQ(a.temporal_chunks, b.temporal_chunks) << what;
  EXPECT_EQ(a.dram_bytes(), b.dram_bytes()) << what;
  for (int slots : {1, 2})
    EXPECT_EQ(estimate_cycles(a, 0.37, 25.0, slots), estimate_cycles(b, 0.37, 25.0, slots)) << what;
}

TEST(SystolicTrafficRunLength, ExpandsToTheFoldByFoldPlan) {
  // Row folds: K = 768 on 4 rows (192, all full), K = 30 on 4 rows (8, the last short), M = 5 on
  // 4 rows (2: nothing to merge). b_bytes 0.53: a non-dyadic operand size (group scales), whose
  // sums would drift if they were multiplied instead of added fold by fold.
  int n = 0;
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary, Dataflow::InputStationary})
    for (const GemmShape& g : {gemm(128, 64, 768), gemm(37, 22, 30), gemm(5, 9, 13)})
      for (int64_t rows : {4, 16})
        for (double ofmap_kb : {0.25, 64.0})
          for (double b_bytes : {1.0, 0.53})
            for (bool chunk : {false, true})
              expect_same_plan(g, inputs(df, rows, 8, ofmap_kb, b_bytes), chunk, "case " + std::to_string(n++));
}

TEST(SystolicTrafficRunLength, MergesRepeatedRowFolds) {
  // ws, K = 768 on a 4-row array: 192 row folds of one column fold. The 128 x 8 x 4 B = 4 KiB of
  // partial sums do not fit a 0.25 KiB ofmap buffer, so they spill: fold 0 only stores them,
  // folds 1 .. 190 load and store them (one tile, repeat 190), fold 191 loads them and stores the
  // outputs: 3 tiles.
  TrafficInputs in = inputs(Dataflow::WeightStationary, 4, 8, 0.25, 1.0);
  in.run_length = true;
  const GemmShape g = gemm(128, 8, 768);
  const TrafficPlan p = plan_traffic(g, plan_folds(g, 4, 8, in.dataflow), in, false);
  ASSERT_EQ(p.tiles.size(), 3u);
  EXPECT_EQ(p.tiles[1].repeat, 190u);
  EXPECT_EQ(p.folds(), 192u);
}

}  // namespace
}  // namespace accsim
