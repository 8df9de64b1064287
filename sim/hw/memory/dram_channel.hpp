#pragma once
// The `bandwidth` memory kind: one channel with TLM-style annotated timing. A transfer occupies
// the channel for bytes / bandwidth after any transfer already queued, then completes `latency`
// later. No clock and no signals: callers wait() until the returned completion time. Blocks also
// use it for on-chip links (an L2 crossbar, an SM port).
#include <cstdint>
#include <string>

#include "sim/hw/memory/memory_model.hpp"

namespace accsim {

class DramChannel : public MemoryModel {
 public:
  DramChannel(const std::string& name, const DramSpec& spec);

  sc_core::sc_time transfer(uint64_t bytes, bool is_write) override { return transfer_at(sc_core::sc_time_stamp(), bytes, is_write); }
  // The same transfer issued at simulated time `now` (>= every earlier issue time) without the
  // caller waiting until then: TilePipeline keeps its own clock when it is the channel's only user
  // (accsim runs one SystemC thread) and waits once at the end. Same arithmetic, same times.
  sc_core::sc_time transfer_at(const sc_core::sc_time& now, uint64_t bytes, bool is_write);
  // Per-extent arrivals: the queue delivers the bytes in order at its bandwidth, so extent i's
  // data is there when the first i + 1 extents' bytes have crossed (plus latency); the last
  // arrival is transfer_at's completion of the whole stream, with the same queue state after.
  sc_core::sc_time read_each(const AddressStream& s, std::vector<sc_core::sc_time>& arrivals) override {
    return read_each_at(sc_core::sc_time_stamp(), s, arrivals);
  }
  sc_core::sc_time read_each_at(const sc_core::sc_time& now, const AddressStream& s, std::vector<sc_core::sc_time>& arrivals);
  sc_core::sc_time idle_at() const override { return last_completion_; }
  // For TilePipeline's steady-state skip: the time the queue frees up, and moving the queue ahead
  // by `by` while counting the bytes of the transfers that skip stands for.
  sc_core::sc_time busy_until() const { return busy_until_; }
  void skip_ahead(const sc_core::sc_time& by, uint64_t read_bytes, uint64_t write_bytes) {
    busy_until_ += by;
    last_completion_ += by;
    count(read_bytes, false);
    count(write_bytes, true);
  }
  const DramSpec& spec() const { return spec_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  DramSpec spec_;
  sc_core::sc_time busy_until_;
  sc_core::sc_time last_completion_;
  // Memo of the last occupancy per direction and of the latency as sc_time: converting a double
  // to sc_time is a hot spot in sweeps, and consecutive tiles usually load (and store) the same
  // number of bytes.
  uint64_t memo_bytes_[2] = {0, 0};
  sc_core::sc_time memo_occupancy_[2];
  bool latency_ready_ = false;
  sc_core::sc_time latency_;
};

}  // namespace accsim
