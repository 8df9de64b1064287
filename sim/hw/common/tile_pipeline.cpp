#include "sim/hw/common/tile_pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace accsim {

TilePipeline::TilePipeline(MemoryModel& dram, sc_core::sc_time clock_period, int slots)
    : dram_(dram), period_(clock_period), slots_(std::max(1, slots)) {}

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

PipelineTiming TilePipeline::run(const std::vector<Tile>& tiles) {
  using sc_core::sc_time;
  const sc_time start = sc_core::sc_time_stamp();
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

  // `loaded` holds the tile being computed plus the loads issued ahead of it, `slots_` at most.
  auto issue_loads = [&]() {
    while (!issue.done() && loaded.size() < static_cast<size_t>(slots_)) {
      // A dependent tile's load waits until the compute loop reaches it and its input is stored.
      if (issue.get().depends_on_previous && !issue.same(cur)) break;
      loaded.push_back(load(issue.get()));
      issue.next();
    }
  };

  for (bool first = true; !cur.done(); cur.next(), first = false) {
    const Tile& tile = cur.get();
    if (tile.depends_on_previous && !first && last_store_done > sc_core::sc_time_stamp())
      sc_core::wait(last_store_done - sc_core::sc_time_stamp());
    issue_loads();
    const sc_time ready = loaded.front();
    if (ready > sc_core::sc_time_stamp()) sc_core::wait(ready - sc_core::sc_time_stamp());
    sc_core::wait(period_ * static_cast<double>(tile.compute_cycles));
    compute_cycles += tile.compute_cycles;
    loaded.pop_front();  // this tile's buffer slot is free again
    if (tile.store_bytes) last_store_done = std::max(last_store_done, store(tile));
  }
  const sc_time end = std::max({sc_core::sc_time_stamp(), last_store_done, dram_.idle_at()});
  if (end > sc_core::sc_time_stamp()) sc_core::wait(end - sc_core::sc_time_stamp());

  PipelineTiming timing;
  timing.cycles = static_cast<uint64_t>(std::llround((end - start) / period_));
  if (timing.cycles < compute_cycles) timing.cycles = compute_cycles;  // rounding guard
  timing.compute_cycles = compute_cycles;
  timing.stall_cycles = timing.cycles - compute_cycles;
  return timing;
}

}  // namespace accsim
