#pragma once
// One DRAM channel as a SystemC module with TLM-style annotated timing: a transfer occupies the
// channel for bytes / bandwidth after any transfer already queued, then completes `latency` later.
// No clock and no signals: callers wait() until the returned completion time.
#include <cstdint>
#include <string>

#include <systemc>

namespace accsim {

struct DramSpec {
  std::string technology = "lpddr4";  // selects pJ/bit in the energy table
  double bandwidth_gb_s = 0;          // 0 or inf: unlimited
  double latency_ns = 0;
  double pj_per_bit = 0;              // resolved from the energy table unless overridden
  bool unlimited() const { return !(bandwidth_gb_s > 0) || bandwidth_gb_s == INFINITY; }
};

class DramChannel : public sc_core::sc_module {
 public:
  DramChannel(sc_core::sc_module_name name, const DramSpec& spec);

  // Queues a transfer now; returns the simulated time at which its data is available.
  sc_core::sc_time transfer(uint64_t bytes, bool is_write);
  // The time at which every queued transfer has completed.
  sc_core::sc_time idle_at() const { return last_completion_; }

  uint64_t read_bytes() const { return read_bytes_; }
  uint64_t write_bytes() const { return write_bytes_; }
  void reset_counters() { read_bytes_ = write_bytes_ = 0; }
  const DramSpec& spec() const { return spec_; }

 private:
  DramSpec spec_;
  sc_core::sc_time busy_until_;
  sc_core::sc_time last_completion_;
  uint64_t read_bytes_ = 0;
  uint64_t write_bytes_ = 0;
};

}  // namespace accsim
