// Address streams of the systolic array's operands (sim/hw/systolic/operand_layout.*), by hand.
#include <gtest/gtest.h>

#include "sim/hw/systolic/operand_layout.hpp"
#include "sim/hw/systolic/traffic_plan.hpp"

namespace accsim {
namespace {

// A: 100 x 50 int8 at 0 (5,000 B, next region at 8 KiB); B: 50 x 70 int8 at 8192.
TEST(OperandLayout, RowMajorBlocks) {
  OperandLayout L(DramLayout::RowMajor, 100, 70, 50, 1, 1, 1, 4);
  // Full rows 32..63 of A: one contiguous segment of 32 x 50 bytes at 32 x 50.
  AddressStream a = L.block(OperandLayout::A, 32, 32, 0, 50);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].base, 1600u);
  EXPECT_EQ(a[0].total(), 1600u);
  // Columns 32..63 of B (all 50 rows): 50 segments of 32 B, one B row (70 B) apart.
  AddressStream b = L.block(OperandLayout::B, 0, 50, 32, 32);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].base, 8192u + 32u);
  EXPECT_EQ(b[0].bytes, 32u);
  EXPECT_EQ(b[0].stride, 70u);
  EXPECT_EQ(b[0].count, 50u);
}

TEST(OperandLayout, TiledBlocksAreContiguousInRequestOrder) {
  OperandLayout L(DramLayout::Tiled, 100, 70, 50, 1, 1, 1, 4);
  AddressStream b0 = L.block(OperandLayout::B, 0, 50, 0, 32);
  AddressStream b1 = L.block(OperandLayout::B, 0, 50, 32, 32);
  ASSERT_EQ(b0.size(), 1u);
  EXPECT_EQ(b0[0].base, 8192u);
  EXPECT_EQ(b0[0].total(), 1600u);
  EXPECT_EQ(b1[0].base, 8192u + 1600u);
}

// The streams a plan attaches carry exactly the bytes its tiles load and store (int8, no
// fractional bytes), for every dataflow.
TEST(OperandLayout, PlanStreamsCarryTheTileBytes) {
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary, Dataflow::InputStationary}) {
    GemmShape g;
    g.m = 100; g.n = 70; g.k = 50;
    const FoldPlan plan = plan_folds(g, 32, 32, df);
    TrafficInputs in;
    in.rows = in.cols = 32;
    in.dataflow = df;
    in.ifmap.size_kb = in.filter.size_kb = 1;  // small buffers: re-fetches happen
    in.ofmap.size_kb = 1;
    in.fold_cycles = [&](int64_t t) { return fold_cycles(df, 32, 32, t); };
    in.layout.emplace(DramLayout::RowMajor, g.m, g.n, g.k, 1, 1, 1, 4);
    const TrafficPlan tr = plan_traffic(g, plan, in, false);
    ASSERT_EQ(tr.regions.size(), tr.tiles.size());
    for (const Tile& t : tr.tiles) {
      EXPECT_EQ(stream_bytes(*t.load_stream), t.load_bytes) << dataflow_name(df);
      EXPECT_EQ(stream_bytes(*t.store_stream), t.store_bytes) << dataflow_name(df);
    }
  }
}

}  // namespace
}  // namespace accsim
