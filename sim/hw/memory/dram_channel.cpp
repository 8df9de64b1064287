#include "sim/hw/memory/dram_channel.hpp"

#include <cmath>

namespace accsim {

DramChannel::DramChannel(sc_core::sc_module_name name, const DramSpec& spec)
    : sc_core::sc_module(name), spec_(spec), busy_until_(sc_core::SC_ZERO_TIME),
      last_completion_(sc_core::SC_ZERO_TIME) {}

sc_core::sc_time DramChannel::transfer(uint64_t bytes, bool is_write) {
  (is_write ? write_bytes_ : read_bytes_) += bytes;
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (bytes == 0) return now;
  if (spec_.unlimited()) return now;
  const sc_core::sc_time start = busy_until_ > now ? busy_until_ : now;
  // GB/s = bytes per ns; round up to the kernel's picosecond resolution.
  const double occupancy_ps = std::ceil(static_cast<double>(bytes) / spec_.bandwidth_gb_s * 1e3);
  busy_until_ = start + sc_core::sc_time(occupancy_ps, sc_core::SC_PS);
  const sc_core::sc_time done = busy_until_ + sc_core::sc_time(spec_.latency_ns, sc_core::SC_NS);
  if (done > last_completion_) last_completion_ = done;
  return done;
}

}  // namespace accsim
