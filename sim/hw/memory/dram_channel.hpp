#pragma once
// One DRAM channel as a SystemC module with TLM-style annotated timing: a transfer occupies the
// channel for bytes / bandwidth after any transfer already queued, then completes `latency` later.
// No clock and no signals: callers wait() until the returned completion time.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <systemc>

#include "sim/hw/memory/address_stream.hpp"
#include "sim/hw/memory/dram_timing_spec.hpp"

namespace accsim {

struct DramSpec {
  std::string kind = "bandwidth";     // "bandwidth" (this queue) or "timing" (DramTimingChannel)
  std::string technology = "lpddr4";  // selects pJ/bit in the energy table
  double bandwidth_gb_s = 0;          // 0 or inf: unlimited
  double latency_ns = 0;
  double pj_per_bit = 0;              // resolved from the energy table unless overridden
  DramTimingSpec timing;              // kind == "timing" only
  bool unlimited() const { return !(bandwidth_gb_s > 0) || bandwidth_gb_s == INFINITY; }
};

class DramChannel : public sc_core::sc_module {
 public:
  DramChannel(sc_core::sc_module_name name, const DramSpec& spec);
  ~DramChannel() override = default;

  // Queues a transfer now; returns the simulated time at which its data is available.
  virtual sc_core::sc_time transfer(uint64_t bytes, bool is_write);
  // The same with the addresses the bytes live at; the bandwidth queue only counts them.
  virtual sc_core::sc_time transfer(const AddressStream& stream, bool is_write) {
    return transfer(stream_bytes(stream), is_write);
  }
  // Whether transfer(stream) uses the addresses (blocks skip building streams otherwise).
  virtual bool wants_addresses() const { return false; }
  // The time at which every queued transfer has completed.
  virtual sc_core::sc_time idle_at() { return last_completion_; }
  // DRAM energy since reset_counters(): bytes x pJ/bit for the bandwidth queue.
  virtual double energy_pj() const { return static_cast<double>(read_bytes_ + write_bytes_) * 8.0 * spec_.pj_per_bit; }
  // Model-specific action counts since reset_counters() (row hits, activates, ...).
  virtual void add_counters(std::map<std::string, double>& /*counters*/) const {}

  uint64_t read_bytes() const { return read_bytes_; }
  uint64_t write_bytes() const { return write_bytes_; }
  virtual void reset_counters() { read_bytes_ = write_bytes_ = 0; }
  const DramSpec& spec() const { return spec_; }

 protected:
  DramSpec spec_;
  sc_core::sc_time busy_until_;
  sc_core::sc_time last_completion_;
  uint64_t read_bytes_ = 0;
  uint64_t write_bytes_ = 0;
};

// The channel `spec.kind` names: DramChannel ("bandwidth") or DramTimingChannel ("timing").
std::unique_ptr<DramChannel> make_dram_channel(sc_core::sc_module_name name, const DramSpec& spec);

}  // namespace accsim
