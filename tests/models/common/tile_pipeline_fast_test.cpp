// The pipeline's fast path (own clock over the bandwidth channel, skipping steady steps of a
// repeated tile) against its reference path (a wait in the kernel at every step), which it takes
// for any memory that is not a DramChannel. Both must give the same cycles and DRAM bytes on any
// tile list, and long repeated runs keep the closed forms worked by hand.
#include <gtest/gtest.h>

#include <random>

#include <systemc>

#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/memory/dram_channel.hpp"
#include "sim/hw/sim_kernel.hpp"

namespace accsim {
namespace {

// Not a DramChannel, so TilePipeline waits in the kernel at every step (the reference timeline);
// the transfers themselves go to a channel like the fast path's.
class KernelTimedChannel : public MemoryModel {
 public:
  explicit KernelTimedChannel(const DramSpec& spec) : inner_("ref", spec) {}
  sc_core::sc_time transfer(uint64_t bytes, bool is_write) override {
    count(bytes, is_write);
    return inner_.transfer(bytes, is_write);
  }
  sc_core::sc_time idle_at() const override { return inner_.idle_at(); }

 private:
  DramChannel inner_;
};

struct Outcome {
  PipelineTiming timing;
  uint64_t read = 0, write = 0;
  sc_core::sc_time elapsed;  // simulated time the run advanced the kernel by
};

Outcome play(MemoryModel& dram, const std::vector<Tile>& tiles, int slots) {
  Outcome o;
  run_in_kernel([&] {
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    TilePipeline pipeline(dram, sc_core::sc_time(1, sc_core::SC_NS), slots);
    o.timing = pipeline.run(tiles);
    o.elapsed = sc_core::sc_time_stamp() - start;
  });
  o.read = dram.read_bytes();
  o.write = dram.write_bytes();
  return o;
}

DramSpec spec(double gb_s, double latency_ns) {
  DramSpec s;
  s.bandwidth_gb_s = gb_s;
  s.latency_ns = latency_ns;
  return s;
}

Tile tile(uint64_t load, uint64_t compute, uint64_t store, uint64_t repeat) {
  Tile t;
  t.load_bytes = load;
  t.compute_cycles = compute;
  t.store_bytes = store;
  t.repeat = repeat;
  return t;
}

void expect_same(const DramSpec& s, const std::vector<Tile>& tiles, int slots, const std::string& what) {
  DramChannel fast_dram("dram", s);
  KernelTimedChannel ref_dram(s);
  const Outcome fast = play(fast_dram, tiles, slots);
  const Outcome ref = play(ref_dram, tiles, slots);
  EXPECT_EQ(fast.timing.cycles, ref.timing.cycles) << what;
  EXPECT_EQ(fast.timing.compute_cycles, ref.timing.compute_cycles) << what;
  EXPECT_EQ(fast.timing.stall_cycles, ref.timing.stall_cycles) << what;
  EXPECT_EQ(fast.read, ref.read) << what;
  EXPECT_EQ(fast.write, ref.write) << what;
  EXPECT_EQ(fast.elapsed, ref.elapsed) << what;
}

TEST(TilePipelineFast, BandwidthBoundRunMatchesHandTiming) {
  // 1,000 x (100 B load, 50 cycles) at 1 byte/cycle: loads finish at 100, 200, ..., 100,000 and
  // tile i computes from 100 (i + 1): the last ends at 100,050. Stall = 100,050 - 50,000.
  DramChannel dram("dram", spec(1, 0));
  const Outcome o = play(dram, {tile(100, 50, 0, 1000)}, 2);
  EXPECT_EQ(o.timing.cycles, 100050u);
  EXPECT_EQ(o.timing.stall_cycles, 50050u);
  EXPECT_EQ(o.read, 100000u);
}

TEST(TilePipelineFast, ComputeBoundRunMatchesHandTiming) {
  // 1,000 x (10 B load, 100 cycles, 5 B store): only the first load (10) is exposed; the last
  // store is issued at 10 + 100,000 and takes 5 cycles more: 100,015.
  DramChannel dram("dram", spec(1, 0));
  const Outcome o = play(dram, {tile(10, 100, 5, 1000)}, 2);
  EXPECT_EQ(o.timing.cycles, 100015u);
  EXPECT_EQ(o.timing.compute_cycles, 100000u);
  EXPECT_EQ(o.read, 10000u);
  EXPECT_EQ(o.write, 5000u);
}

TEST(TilePipelineFast, SameAsKernelTimedOnRandomTileLists) {
  std::mt19937_64 rng(14);
  auto pick = [&](std::initializer_list<uint64_t> v) { return *(v.begin() + rng() % v.size()); };
  for (int c = 0; c < 300; ++c) {
    const DramSpec s = spec(static_cast<double>(pick({0, 1, 3, 25})) * 0.7, static_cast<double>(pick({0, 7, 100})));
    const int slots = static_cast<int>(pick({1, 2, 3}));
    std::vector<Tile> tiles;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      Tile t = tile(pick({0, 13, 100, 4096}), pick({0, 1, 50, 333}), pick({0, 9, 64, 2000}), pick({0, 1, 2, 3, 40, 500}));
      t.depends_on_previous = i > 0 && rng() % 4 == 0;
      tiles.push_back(t);
    }
    expect_same(s, tiles, slots, "case " + std::to_string(c));
  }
}

}  // namespace
}  // namespace accsim
