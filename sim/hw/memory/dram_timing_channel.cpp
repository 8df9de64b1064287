#include "sim/hw/memory/dram_timing_channel.hpp"

#include <cmath>

namespace accsim {

std::unique_ptr<DramChannel> make_dram_channel(sc_core::sc_module_name name, const DramSpec& spec) {
  if (spec.kind == "timing") return std::make_unique<DramTimingChannel>(name, spec);
  return std::make_unique<DramChannel>(name, spec);
}

DramTimingChannel::DramTimingChannel(sc_core::sc_module_name name, const DramSpec& spec)
    : DramChannel(name, spec), engine_(spec.timing), tck_ps_(spec.timing.tck_ns * 1e3) {}

int64_t DramTimingChannel::now_ck() const {
  // A request arriving between clock edges waits for the next one.
  return static_cast<int64_t>(std::ceil(sc_core::sc_time_stamp().to_seconds() * 1e12 / tck_ps_ - 1e-6));
}

sc_core::sc_time DramTimingChannel::at_ck(int64_t ck) const {
  return sc_core::sc_time(std::ceil(static_cast<double>(ck) * tck_ps_), sc_core::SC_PS);
}

sc_core::sc_time DramTimingChannel::issue(bool is_write) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (addrs_.empty()) return now;
  const int64_t t = now_ck();
  const int64_t done = is_write ? engine_.write_batch(addrs_, t) : engine_.read_batch(addrs_, t);
  const sc_core::sc_time when = std::max(now, at_ck(done));
  if (when > last_completion_) last_completion_ = when;
  return when;
}

sc_core::sc_time DramTimingChannel::transfer(uint64_t bytes, bool is_write) {
  (is_write ? write_bytes_ : read_bytes_) += bytes;
  const uint64_t burst = static_cast<uint64_t>(spec_.timing.burst_bytes);
  addrs_.clear();
  uint64_t& cur = cursor_[is_write ? 1 : 0];
  for (uint64_t b = 0; b < bytes; b += burst, cur += burst) addrs_.push_back(cur);
  return issue(is_write);
}

sc_core::sc_time DramTimingChannel::transfer(const AddressStream& stream, bool is_write) {
  (is_write ? write_bytes_ : read_bytes_) += stream_bytes(stream);
  const uint64_t burst = static_cast<uint64_t>(spec_.timing.burst_bytes);
  addrs_.clear();
  for (const Extent& e : stream) {
    for (uint64_t i = 0; i < e.count; ++i) {
      const uint64_t start = e.base + i * e.stride;
      if (e.bytes == 0) continue;
      // Every burst the segment touches, aligned: a partial burst still moves a whole one.
      for (uint64_t a = start / burst * burst; a < start + e.bytes; a += burst) addrs_.push_back(a);
    }
  }
  return issue(is_write);
}

sc_core::sc_time DramTimingChannel::idle_at() {
  const sc_core::sc_time end = at_ck(engine_.flush());
  if (end > last_completion_) last_completion_ = end;
  return last_completion_;
}

double DramTimingChannel::energy_pj() const {
  const DramTimingSpec& s = spec_.timing;
  if (!s.has_idd) return DramChannel::energy_pj();
  const DramStats& st = engine_.stats();
  const double seconds = (sc_core::sc_time_stamp() - since_).to_seconds();
  // mW x s = 1e9 pJ; background for every rank of every channel.
  const double background = s.background_mw() * seconds * 1e9 * s.ranks * s.channels;
  return static_cast<double>(st.activates) * s.act_pj() + static_cast<double>(st.reads) * s.read_pj() +
         static_cast<double>(st.writes) * s.write_pj() +
         static_cast<double>(st.refreshes) * s.refresh_pj() + background;
}

void DramTimingChannel::add_counters(std::map<std::string, double>& c) const {
  const DramStats& st = engine_.stats();
  c["dram.reads"] = static_cast<double>(st.reads);
  c["dram.writes"] = static_cast<double>(st.writes);
  c["dram.activates"] = static_cast<double>(st.activates);
  c["dram.refreshes"] = static_cast<double>(st.refreshes);
  c["dram.row_hits"] = static_cast<double>(st.row_hits);
  c["dram.row_misses"] = static_cast<double>(st.row_misses);
  c["dram.row_conflicts"] = static_cast<double>(st.row_conflicts);
}

void DramTimingChannel::reset_counters() {
  DramChannel::reset_counters();
  engine_.clear_stats();
  since_ = sc_core::sc_time_stamp();
}

}  // namespace accsim
