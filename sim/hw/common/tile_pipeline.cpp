#include "sim/hw/common/tile_pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace accsim {

TilePipeline::TilePipeline(MemoryModel& dram, sc_core::sc_time clock_period, int slots)
    : dram_(dram), period_(clock_period), slots_(std::max(1, slots)) {}

PipelineTiming TilePipeline::run(const std::vector<Tile>& tiles) {
  using sc_core::sc_time;
  const sc_time start = sc_core::sc_time_stamp();
  // Event-skipping: the loader is modelled by completion times handed out by the DRAM channel
  // (loads issue as soon as a buffer slot frees up); the compute unit waits in simulated time.
  std::deque<sc_time> loaded;     // arrival times of loads issued but not yet consumed
  sc_time last_store_done = start;
  uint64_t compute_cycles = 0;
  size_t next_to_issue = 0;       // flattened tile index of the next load to issue
  std::vector<const Tile*> flat;  // expanded view without copying tiles
  uint64_t total = 0;
  for (const auto& t : tiles) total += t.repeat;
  flat.reserve(total);
  for (const auto& t : tiles)
    for (uint64_t r = 0; r < t.repeat; ++r) flat.push_back(&t);

  // `loaded` holds the tile being computed plus the loads issued ahead of it, `slots_` at most.
  auto issue_loads = [&](size_t current) {
    while (next_to_issue < flat.size() && loaded.size() < static_cast<size_t>(slots_)) {
      // A dependent tile's load waits until the compute loop reaches it and its input is stored.
      if (flat[next_to_issue]->depends_on_previous && next_to_issue != current) break;
      loaded.push_back(dram_.transfer(flat[next_to_issue]->load_bytes, false));
      ++next_to_issue;
    }
  };

  for (size_t i = 0; i < flat.size(); ++i) {
    const Tile& tile = *flat[i];
    if (tile.depends_on_previous && i > 0 && last_store_done > sc_core::sc_time_stamp())
      sc_core::wait(last_store_done - sc_core::sc_time_stamp());
    issue_loads(i);
    const sc_time ready = loaded.front();
    if (ready > sc_core::sc_time_stamp()) sc_core::wait(ready - sc_core::sc_time_stamp());
    sc_core::wait(period_ * static_cast<double>(tile.compute_cycles));
    compute_cycles += tile.compute_cycles;
    loaded.pop_front();  // this tile's buffer slot is free again
    if (tile.store_bytes) last_store_done = std::max(last_store_done, dram_.transfer(tile.store_bytes, true));
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
