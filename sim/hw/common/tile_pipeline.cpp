#include "sim/hw/common/tile_pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <type_traits>

namespace accsim {

TilePipeline::TilePipeline(MemoryModel& dram, sc_core::sc_time clock_period, int slots)
    : dram_(dram), channel_(dynamic_cast<DramChannel*>(&dram)), period_(clock_period), slots_(std::max(1, slots)) {}

sc_core::sc_time TilePipeline::send(const AddressStream& s, uint64_t offset, bool is_write) {
  if (offset == 0) return dram_.transfer(s, is_write);
  scratch_ = s;
  for (Extent& e : scratch_) e.base += offset;
  return dram_.transfer(scratch_, is_write);
}

sc_core::sc_time TilePipeline::load(const Tile& t) {
  if (t.load_stream && dram_.wants_addresses()) return send(*t.load_stream, t.address_offset, false);
  return dram_.transfer(t.load_bytes, false);
}

sc_core::sc_time TilePipeline::store(const Tile& t) {
  if (t.store_stream && dram_.wants_addresses()) return send(*t.store_stream, t.address_offset, true);
  return dram_.transfer(t.store_bytes, true);
}

namespace {

// The pipeline's notion of "now". KernelClock waits in simulated time at every step, so the
// memory sees the kernel's time (any memory kind). LocalClock only adds up the same sc_time
// values and hands them to the bandwidth channel as issue times: accsim runs one SystemC thread,
// so nothing else can touch the channel while the pipeline runs, and the times (and bytes) are
// those of KernelClock exactly. It waits once, at the end. In sweeps this skips one kernel
// context switch per tile, which was most of the cost of an event-mode run.
struct KernelClock {
  sc_core::sc_time now() const { return sc_core::sc_time_stamp(); }
  void advance_to(const sc_core::sc_time& t) {
    if (t > sc_core::sc_time_stamp()) sc_core::wait(t - sc_core::sc_time_stamp());
  }
  void advance_by(const sc_core::sc_time& d) { sc_core::wait(d); }
};

struct LocalClock {
  DramChannel* channel;
  sc_core::sc_time t;
  sc_core::sc_time now() const { return t; }
  void advance_to(const sc_core::sc_time& to) {
    if (to > t) t = to;
  }
  void advance_by(const sc_core::sc_time& d) { t += d; }
};

}  // namespace

template <class Clock>
PipelineTiming TilePipeline::run_on(Clock& clock, const std::vector<Tile>& tiles) {
  using sc_core::sc_time;
  const sc_time start = clock.now();
  // Event-skipping: the loader is modelled by completion times handed out by the DRAM channel
  // (loads issue as soon as a buffer slot frees up); the compute unit waits in simulated time.
  std::deque<sc_time> loaded;     // arrival times of loads issued but not yet consumed
  sc_time last_store_done = start;
  uint64_t compute_cycles = 0;
  // Two run-length cursors walk the tiles in order (a repeated tile is visited `repeat` times)
  // instead of an expanded copy, so memory stays proportional to distinct tiles (papers15, #16).
  struct Cursor {
    const std::vector<Tile>* tiles;
    size_t tile = 0;
    uint64_t rep = 0;
    void skip_empty() {
      while (tile < tiles->size() && (*tiles)[tile].repeat == 0) ++tile;
    }
    bool done() const { return tile >= tiles->size(); }
    const Tile& get() const { return (*tiles)[tile]; }
    bool same(const Cursor& o) const { return tile == o.tile && rep == o.rep; }
    void next() {
      if (++rep >= (*tiles)[tile].repeat) ++tile, rep = 0;
      skip_empty();
    }
  };
  Cursor issue{&tiles}, cur{&tiles};
  issue.skip_empty(), cur.skip_empty();

  auto load_now = [&](const Tile& t) {
    if constexpr (std::is_same_v<Clock, LocalClock>) return clock.channel->transfer_at(clock.t, t.load_bytes, false);
    else return load(t);
  };
  auto store_now = [&](const Tile& t) {
    if constexpr (std::is_same_v<Clock, LocalClock>) return clock.channel->transfer_at(clock.t, t.store_bytes, true);
    else return store(t);
  };
  // `loaded` holds the tile being computed plus the loads issued ahead of it, `slots_` at most.
  auto issue_loads = [&]() {
    while (!issue.done() && loaded.size() < static_cast<size_t>(slots_)) {
      // A dependent tile's load waits until the compute loop reaches it and its input is stored.
      if (issue.get().depends_on_previous && !issue.same(cur)) break;
      loaded.push_back(load_now(issue.get()));
      issue.next();
    }
  };

  for (bool first = true; !cur.done(); cur.next(), first = false) {
    const Tile& tile = cur.get();
    if (tile.depends_on_previous && !first) clock.advance_to(last_store_done);
    issue_loads();
    clock.advance_to(loaded.front());
    clock.advance_by(period_ * static_cast<double>(tile.compute_cycles));
    compute_cycles += tile.compute_cycles;
    loaded.pop_front();  // this tile's buffer slot is free again
    if (tile.store_bytes) last_store_done = std::max(last_store_done, store_now(tile));
  }
  const sc_time end = std::max({clock.now(), last_store_done, dram_.idle_at()});
  // Both clocks end in the kernel at `end` (LocalClock's only wait).
  if (end > sc_core::sc_time_stamp()) sc_core::wait(end - sc_core::sc_time_stamp());

  PipelineTiming timing;
  timing.cycles = static_cast<uint64_t>(std::llround((end - start) / period_));
  if (timing.cycles < compute_cycles) timing.cycles = compute_cycles;  // rounding guard
  timing.compute_cycles = compute_cycles;
  timing.stall_cycles = timing.cycles - compute_cycles;
  return timing;
}

PipelineTiming TilePipeline::run(const std::vector<Tile>& tiles) {
  if (channel_) {
    LocalClock clock{channel_, sc_core::sc_time_stamp()};
    return run_on(clock, tiles);
  }
  KernelClock clock;
  return run_on(clock, tiles);
}

}  // namespace accsim
