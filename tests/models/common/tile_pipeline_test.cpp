// The double-buffered tile pipeline over the DRAM channel, against timings worked by hand.
// Clock 1 GHz (1 cycle = 1 ns); bandwidth 1 GB/s = 1 byte per cycle, so a load of B bytes occupies
// the channel for B cycles.
#include <gtest/gtest.h>

#include <systemc>

#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/memory/dram_channel.hpp"
#include "sim/hw/sim_kernel.hpp"

namespace accsim {
namespace {

// Runs the pipeline in the process's SystemC kernel (sim/hw/sim_kernel.hpp), so any number of
// cases can share one process.
PipelineTiming simulate(double gb_s, double latency_ns, const std::vector<Tile>& tiles, int slots = 2) {
  DramSpec spec;
  spec.bandwidth_gb_s = gb_s;
  spec.latency_ns = latency_ns;
  DramChannel dram("dram", spec);
  PipelineTiming timing;
  run_in_kernel([&] {
    TilePipeline pipeline(dram, sc_core::sc_time(1, sc_core::SC_NS), slots);
    timing = pipeline.run(tiles);
  });
  return timing;
}

Tile tile(uint64_t load, uint64_t compute, uint64_t store = 0) {
  Tile t;
  t.load_bytes = load;
  t.compute_cycles = compute;
  t.store_bytes = store;
  return t;
}

TEST(TilePipeline, UnlimitedBandwidthNeverStalls) {
  // bandwidth 0 = unlimited (and latency is not applied): 3 x 50 compute cycles, nothing else.
  const PipelineTiming t = simulate(0, 100, {tile(1000000, 50, 1000000), tile(1000000, 50, 1000000), tile(7, 50, 7)});
  EXPECT_EQ(t.cycles, 150u);
  EXPECT_EQ(t.compute_cycles, 150u);
  EXPECT_EQ(t.stall_cycles, 0u);
}

TEST(TilePipeline, BandwidthBoundDoubleBuffered) {
  // 3 tiles, 100 B load, 50 cycles compute. Loads 0 and 1 issue at 0 and finish at 100 and 200
  // (one channel, serial). Tile 0 computes 100-150; load 2 issues at 150, waits for the channel
  // until 200, done 300. Tile 1 computes 200-250, tile 2 300-350. Total 350 = 3 x 100 + 50.
  const PipelineTiming t = simulate(1, 0, {tile(100, 50), tile(100, 50), tile(100, 50)});
  EXPECT_EQ(t.cycles, 350u);
  EXPECT_EQ(t.compute_cycles, 150u);
  EXPECT_EQ(t.stall_cycles, 200u);
}

TEST(TilePipeline, SingleBufferSerializesLoadAndCompute) {
  // One slot: load, compute, load, compute ...: 3 x (100 + 50) = 450.
  const PipelineTiming t = simulate(1, 0, {tile(100, 50), tile(100, 50), tile(100, 50)}, 1);
  EXPECT_EQ(t.cycles, 450u);
  EXPECT_EQ(t.stall_cycles, 300u);
}

TEST(TilePipeline, ComputeBoundHidesAllButTheFirstLoad) {
  // 10 B loads, 100-cycle tiles: only the first load (10 cycles) is exposed: 10 + 3 x 100 = 310.
  const PipelineTiming t = simulate(1, 0, {tile(10, 100), tile(10, 100), tile(10, 100)});
  EXPECT_EQ(t.cycles, 310u);
  EXPECT_EQ(t.stall_cycles, 10u);
}

TEST(TilePipeline, LatencyAndStoresCount) {
  // Latency 100 ns: load of 100 B done at 100 + 100 = 200; compute 200-250; the 40 B store
  // occupies the channel 250-290 and completes at 290 + 100 = 390.
  const PipelineTiming t = simulate(1, 100, {tile(100, 50, 40)});
  EXPECT_EQ(t.cycles, 390u);
  EXPECT_EQ(t.compute_cycles, 50u);
}

TEST(TilePipeline, DependentTileWaitsForThePreviousStore) {
  // Tile 0: no load, 10 cycles, 40 B store done at 50. Tile 1 depends on it (an RNN step): its
  // 100 B load may only issue at 50, done 150; compute 150-160.
  Tile second = tile(100, 10);
  second.depends_on_previous = true;
  const PipelineTiming t = simulate(1, 0, {tile(0, 10, 40), second});
  EXPECT_EQ(t.cycles, 160u);
}

TEST(TilePipeline, IndependentTilePrefetches) {
  // The same tiles without the dependency: load 1 issues at 0 (done 100), the store queues behind
  // it (100-140); tile 1 computes 100-110; the run ends with the store at 140.
  const PipelineTiming t = simulate(1, 0, {tile(0, 10, 40), tile(100, 10)});
  EXPECT_EQ(t.cycles, 140u);
}

TEST(TilePipeline, RepeatEqualsListingTheTiles) {
  // Same as BandwidthBoundDoubleBuffered, written as one tile repeated 3 times.
  Tile t3 = tile(100, 50);
  t3.repeat = 3;
  EXPECT_EQ(simulate(1, 0, {t3}).cycles, 350u);
}

}  // namespace
}  // namespace accsim
