// TilePipeline's cycle-mode fills (tile_pipeline.hpp, FoldDemand): a fold's requests issued in
// the order the array first needs them, and the fold's end with stall-on-miss. Timing is data-
// independent, so this is computed beside the value stepping (wavefront.cpp), not inside it.
#include <algorithm>

#include "sim/hw/common/tile_pipeline.hpp"

namespace accsim {

sc_core::sc_time TilePipeline::load_by_demand(const Tile& t, size_t slot, const sc_core::sc_time* now) {
  AddressStream& reqs = scratch_;
  std::vector<int64_t>& need = need_[slot];
  reqs.clear();
  need.clear();
  t.demand->requests(dram_.request_bytes(), t.address_offset, reqs, need);
  demand_requests_ += reqs.size();
  // A memory without addresses counts the tile's own byte total (its fills rounded once, where
  // the requests round per operand block: they differ by under a byte per block at sub-byte
  // widths); the last request absorbs the difference so event and cycle mode move equal bytes.
  if (!dram_.wants_addresses() && !reqs.empty()) {
    const auto diff = static_cast<int64_t>(t.load_bytes) - static_cast<int64_t>(stream_bytes(reqs));
    reqs.back().bytes = static_cast<uint64_t>(std::max<int64_t>(0, static_cast<int64_t>(reqs.back().bytes) + diff));
  }
  std::vector<sc_core::sc_time>& arr = arrivals_[slot];
  if (now) return channel_->read_each_at(*now, reqs, arr);
  return dram_.read_each(reqs, arr);
}

sc_core::sc_time TilePipeline::demand_end(const sc_core::sc_time& now, size_t slot, uint64_t compute_cycles) const {
  const std::vector<sc_core::sc_time>& arr = arrivals_[slot];
  const std::vector<int64_t>& need = need_[slot];
  const uint64_t p = period_.value();
  // Request i is needed at cycle need[i] of the fold, later by the stalls so far (the whole array
  // stalls on a miss) and waits for it when it arrives after that. Like event mode's wait for a
  // whole fill, the wait is the exact time to the arrival (the layer's cycles are rounded once, at
  // its end), so a fold never ends later than it would after waiting for its whole fill.
  uint64_t stall = 0;  // kernel time units
  for (size_t i = 0; i < arr.size(); ++i) {
    const uint64_t due = now.value() + p * static_cast<uint64_t>(need[i]) + stall;
    if (arr[i].value() > due) stall += arr[i].value() - due;
  }
  return now + sc_core::sc_time::from_value(p * compute_cycles + stall);
}

}  // namespace accsim
