#include "sim/hw/memory/dram_channel.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

DramChannel::DramChannel(const std::string& name, const DramSpec& spec)
    : name_(name), spec_(spec), busy_until_(sc_core::SC_ZERO_TIME), last_completion_(sc_core::SC_ZERO_TIME) {}

sc_core::sc_time DramChannel::transfer_at(const sc_core::sc_time& now, uint64_t bytes, bool is_write) {
  count(bytes, is_write);
  if (bytes == 0) return now;
  if (spec_.unlimited()) return now;
  const sc_core::sc_time start = busy_until_ > now ? busy_until_ : now;
  const int dir = is_write ? 1 : 0;
  if (bytes != memo_bytes_[dir]) {
    // GB/s = bytes per ns; round up to the kernel's picosecond resolution.
    const double occupancy_ps = std::ceil(static_cast<double>(bytes) / spec_.bandwidth_gb_s * 1e3);
    memo_occupancy_[dir] = sc_core::sc_time(occupancy_ps, sc_core::SC_PS);
    memo_bytes_[dir] = bytes;
  }
  if (!latency_ready_) latency_ = sc_core::sc_time(spec_.latency_ns, sc_core::SC_NS), latency_ready_ = true;
  busy_until_ = start + memo_occupancy_[dir];
  const sc_core::sc_time done = busy_until_ + latency_;
  if (done > last_completion_) last_completion_ = done;
  return done;
}

sc_core::sc_time DramChannel::read_each_at(const sc_core::sc_time& now, const AddressStream& s,
                                           std::vector<sc_core::sc_time>& arrivals) {
  const sc_core::sc_time start = busy_until_ > now ? busy_until_ : now;
  const sc_core::sc_time done = transfer_at(now, stream_bytes(s), false);
  arrivals.resize(s.size());
  if (spec_.unlimited() || stream_bytes(s) == 0) {
    std::fill(arrivals.begin(), arrivals.end(), now);
    return done;
  }
  // The same rounding as transfer_at's occupancy, on each prefix: the last prefix is the whole.
  uint64_t prefix = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    prefix += s[i].total();
    const double ps = std::ceil(static_cast<double>(prefix) / spec_.bandwidth_gb_s * 1e3);
    arrivals[i] = start + sc_core::sc_time(ps, sc_core::SC_PS) + latency_;
  }
  return done;
}

namespace {

void read_bandwidth_params(ConfigNode& node, DramSpec& d) {
  d.bandwidth_gb_s = node.get<double>("bandwidth_gb_s", 0.0, "GB/s", "channel bandwidth; 0 = unlimited");
  if (d.bandwidth_gb_s < 0) node.fail("bandwidth_gb_s", "must be >= 0");
  d.latency_ns = node.get<double>("latency_ns", 0.0, "ns", "access latency added to every transfer");
  if (d.latency_ns < 0) node.fail("latency_ns", "must be >= 0");
  // Documented bound (docs/reliability.md): one second of latency is already far past any DRAM.
  if (d.latency_ns > 1e9) node.fail("latency_ns", "must be <= 1e9 ns (1 s)");
}

const MemoryRegistrar bandwidth_registrar(
    KindInfo{"bandwidth", "one channel: a transfer takes bytes / bandwidth behind those queued, plus a fixed latency",
             {}, {"event", "cycle"}, {}, {}},
    [](ConfigNode& node, DramSpec& spec) -> MemoryBuilder {
      read_bandwidth_params(node, spec);
      return [](const DramSpec& s) { return std::make_unique<DramChannel>("dram", s); };
    });

}  // namespace

Registry<MemoryFactory>& memory_registry() {
  static Registry<MemoryFactory> r("memory kind");
  return r;
}

}  // namespace accsim
