// sim.mode=cycle's demand-ordered fills (fold_demand.hpp, tile_demand.cpp), worked by hand on one
// os fold: a 2x2 array, GEMM M = N = 2, K = 128, int8 (1 B) operands, row-major layout, a 1 GB/s
// channel at a 1 GHz clock (1 byte per cycle), no latency, 64 B requests.
#include <gtest/gtest.h>

#include <systemc>

#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/memory/dram_channel.hpp"
#include "sim/hw/sim_kernel.hpp"
#include "sim/hw/systolic/traffic_plan.hpp"

namespace accsim {
namespace {

TrafficPlan one_os_fold() {
  GemmShape g;
  g.m = 2, g.n = 2, g.k = 128;
  TrafficInputs in;
  in.rows = in.cols = 2;
  in.dataflow = Dataflow::OutputStationary;
  in.ifmap.size_kb = in.filter.size_kb = in.ofmap.size_kb = 64;
  in.a_bytes = in.b_bytes = in.out_bytes = 1;
  in.fold_cycles = [](int64_t t) { return fold_cycles(Dataflow::OutputStationary, 2, 2, t); };
  in.layout.emplace(DramLayout::RowMajor, 2, 2, 128, 1, 1, 1, 4);
  in.demand = true;
  return plan_traffic(g, plan_folds(g, 2, 2, Dataflow::OutputStationary), in, false);
}

PipelineTiming run(const std::vector<Tile>& tiles, double gb_s) {
  DramSpec spec;
  spec.bandwidth_gb_s = gb_s;
  DramChannel dram("dram", spec);
  PipelineTiming timing;
  run_in_kernel([&] { timing = TilePipeline(dram, sc_core::sc_time(1, sc_core::SC_NS), 2).run(tiles); });
  return timing;
}

TEST(DemandFill, RequestsInTheOrderTheArrayNeedsThem) {
  const TrafficPlan p = one_os_fold();
  ASSERT_EQ(p.tiles.size(), 1u);
  ASSERT_TRUE(p.tiles[0].demand);
  AddressStream reqs;
  std::vector<int64_t> need;
  p.tiles[0].demand->requests(64, 0, reqs, need);
  // A (2 x 128) at 0: burst [0,64) is row 0, k 0..63, entering row 0 at k + 0 -> first needed at 0;
  // [64,128) row 0 from k 64 -> 64; [128,192) row 1 from k 0 -> 0 + 1 = 1; [192,256) -> 65.
  // B (128 x 2) at 4096 (regions 4 KiB aligned): a burst is 32 rows k of both columns, needed at
  // k = 32b (column 0, skew 0): 0, 32, 64, 96. Sorted by need, ties in layout order (A before B).
  const std::vector<int64_t> want_need = {0, 0, 1, 32, 64, 64, 65, 96};
  const std::vector<uint64_t> want_addr = {0, 4096, 128, 4160, 64, 4224, 192, 4288};
  ASSERT_EQ(need, want_need);
  ASSERT_EQ(reqs.size(), want_addr.size());
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(reqs[i].base, want_addr[i]) << i;
    EXPECT_EQ(reqs[i].total(), 64u) << i;
  }
}

TEST(DemandFill, WeightStationaryNeedsBottomRowFirstThenSkewedStream) {
  // ws on 2x2, GEMM M = 4 (streamed), N = 2, K = 2, one fold, 1-byte requests so every element is
  // one. Fill order in the plan: B (K x N at 4096) then A (M x K at 0).
  //   B row k shifts in from the top, bottom array row first: need R - 1 - k = 1 (k 0), 0 (k 1);
  //   A[r][k] enters array row k at R + r + k = 2 + r + k.
  GemmShape g;
  g.m = 4, g.n = 2, g.k = 2;
  TrafficInputs in;
  in.rows = in.cols = 2;
  in.dataflow = Dataflow::WeightStationary;
  in.a_bytes = in.b_bytes = in.out_bytes = 1;
  in.fold_cycles = [](int64_t t) { return fold_cycles(Dataflow::WeightStationary, 2, 2, t); };
  in.layout.emplace(DramLayout::RowMajor, 4, 2, 2, 1, 1, 1, 4);
  in.demand = true;
  const TrafficPlan p = plan_traffic(g, plan_folds(g, 2, 2, Dataflow::WeightStationary), in, false);
  ASSERT_EQ(p.tiles.size(), 1u);
  AddressStream reqs;
  std::vector<int64_t> need;
  p.tiles[0].demand->requests(1, 0, reqs, need);
  const std::vector<int64_t> want_need = {0, 0, 1, 1, 2, 3, 3, 4, 4, 5, 5, 6};
  const std::vector<uint64_t> want_addr = {4098, 4099, 4096, 4097, 0, 1, 2, 3, 4, 5, 6, 7};
  ASSERT_EQ(need, want_need);
  ASSERT_EQ(reqs.size(), want_addr.size());
  for (size_t i = 0; i < reqs.size(); ++i) EXPECT_EQ(reqs[i].base, want_addr[i]) << i;
}

TEST(DemandFill, FoldStallsOnlyUntilEachNeededBurstArrives) {
  const TrafficPlan p = one_os_fold();
  // Arrivals at 1 B/cycle, in the order above: 64, 128, ..., 512. Fold: 2 + 2 + 128 - 2 = 130
  // cycles. Stall-on-miss, s = stalls so far, due = need + s:
  //   need 0 due 0 arr 64 -> s 64;   need 0 due 64 arr 128 -> 128;  need 1 due 129 arr 192 -> 191;
  //   need 32 due 223 arr 256 -> 224; need 64 due 288 arr 320 -> 256; need 64 due 320 arr 384 -> 320;
  //   need 65 due 385 arr 448 -> 383; need 96 due 479 arr 512 -> 416.
  // The fold ends at 130 + 416 = 546; its 4 B store leaves at 546 and is done at 550.
  const PipelineTiming demand = run(p.tiles, 1);
  EXPECT_EQ(demand.compute_cycles, 130u);
  EXPECT_EQ(demand.cycles, 550u);
  EXPECT_EQ(demand.stall_cycles, 420u);
  EXPECT_EQ(demand.demand_requests, 8u);
  // Event mode (no demand): the fold waits for all 512 B, computes 512..642, stores until 646.
  std::vector<Tile> whole = p.tiles;
  whole[0].demand.reset();
  const PipelineTiming event = run(whole, 1);
  EXPECT_EQ(event.cycles, 646u);
  EXPECT_EQ(event.stall_cycles, 516u);
}

TEST(DemandFill, UnlimitedBandwidthIsEventMode) {
  // Every request is there at once: no stall in either mode.
  const TrafficPlan p = one_os_fold();
  std::vector<Tile> whole = p.tiles;
  whole[0].demand.reset();
  const PipelineTiming demand = run(p.tiles, 0), event = run(whole, 0);
  EXPECT_EQ(demand.cycles, 130u);
  EXPECT_EQ(demand.cycles, event.cycles);
  EXPECT_EQ(demand.stall_cycles, 0u);
}

}  // namespace
}  // namespace accsim
