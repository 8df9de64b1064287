#include "sim/hw/memory/dram_timing_channel.hpp"

#include <algorithm>
#include <cmath>

#include "sim/hw/memory/dram_config.hpp"

namespace accsim {

DramTimingChannel::DramTimingChannel(const DramSpec& spec)
    : spec_(spec), engine_(spec.timing), tck_ps_(spec.timing.tck_ns * 1e3) {}

int64_t DramTimingChannel::now_ck() const {
  // A request arriving between clock edges waits for the next one.
  return static_cast<int64_t>(std::ceil((sc_core::sc_time_stamp() - origin_).to_seconds() * 1e12 / tck_ps_ - 1e-6));
}

sc_core::sc_time DramTimingChannel::at_ck(int64_t ck) const {
  return origin_ + sc_core::sc_time(std::ceil(static_cast<double>(ck) * tck_ps_), sc_core::SC_PS);
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
  count(bytes, is_write);
  const uint64_t burst = static_cast<uint64_t>(spec_.timing.burst_bytes);
  addrs_.clear();
  uint64_t& cur = cursor_[is_write ? 1 : 0];
  for (uint64_t b = 0; b < bytes; b += burst, cur += burst) addrs_.push_back(cur);
  return issue(is_write);
}

void DramTimingChannel::burst_addresses(const AddressStream& stream, bool owners) {
  const uint64_t burst = static_cast<uint64_t>(spec_.timing.burst_bytes);
  addrs_.clear();
  owner_.clear();
  for (size_t x = 0; x < stream.size(); ++x) {
    const Extent& e = stream[x];
    if (e.bytes == 0) continue;
    for (uint64_t i = 0; i < e.count; ++i) {
      const uint64_t start = e.base + i * e.stride;
      // Every burst the segment touches, aligned: a partial burst still moves a whole one.
      for (uint64_t a = start / burst * burst; a < start + e.bytes; a += burst) {
        addrs_.push_back(a);
        if (owners) owner_.push_back(x);
      }
    }
  }
}

sc_core::sc_time DramTimingChannel::transfer(const AddressStream& stream, bool is_write) {
  count(stream_bytes(stream), is_write);
  burst_addresses(stream, false);
  return issue(is_write);
}

sc_core::sc_time DramTimingChannel::read_each(const AddressStream& stream, std::vector<sc_core::sc_time>& arrivals) {
  count(stream_bytes(stream), false);
  burst_addresses(stream, true);
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  arrivals.assign(stream.size(), now);
  if (addrs_.empty()) return now;
  const int64_t done = engine_.read_batch(addrs_, now_ck(), each_);
  for (size_t i = 0; i < addrs_.size(); ++i)
    arrivals[owner_[i]] = std::max(arrivals[owner_[i]], std::max(now, at_ck(each_[i])));
  const sc_core::sc_time when = std::max(now, at_ck(done));
  if (when > last_completion_) last_completion_ = when;
  return when;
}

sc_core::sc_time DramTimingChannel::idle_at() const {
  const sc_core::sc_time end = at_ck(engine_.flush());
  if (end > last_completion_) last_completion_ = end;
  return last_completion_;
}

void DramTimingChannel::add_actions(ActionCounts& a, std::map<std::string, double>& c) const {
  const DramStats& st = engine_.stats();
  const DramTimingSpec& s = spec_.timing;
  a.add("dram.activates", static_cast<double>(st.activates));
  a.add("dram.read_bursts", static_cast<double>(st.reads));
  a.add("dram.write_bursts", static_cast<double>(st.writes));
  a.add("dram.refreshes", static_cast<double>(st.refreshes));
  // Every rank of every channel draws standby current for the whole layer.
  const double ns = (sc_core::sc_time_stamp() - since_).to_seconds() * 1e9;
  a.add("dram.background_rank_ns", ns * s.ranks * s.channels);
  c["dram.row_hits"] = static_cast<double>(st.row_hits);
  c["dram.row_misses"] = static_cast<double>(st.row_misses);
  c["dram.row_conflicts"] = static_cast<double>(st.row_conflicts);
}

void DramTimingChannel::reset_counters() {
  MemoryModel::reset_counters();
  engine_.clear_stats();
  since_ = sc_core::sc_time_stamp();
}

namespace {

const MemoryRegistrar timing_registrar(
    KindInfo{"timing", "channels, ranks, bank groups, banks with row buffers; JEDEC timing; FR-FCFS (docs/models/dram.md)",
             {}, {"event", "cycle"}, {}, {}},
    [](ConfigNode& node, DramSpec& spec) -> MemoryBuilder {
      if (!node.describing())
        for (const char* key : {"bandwidth_gb_s", "latency_ns"})
          if (node.has(key))
            node.fail(key, "is a dram.kind=bandwidth parameter; with kind timing the preset sets bandwidth and latency");
      spec.timing = read_dram_timing(node);
      spec.bandwidth_gb_s = spec.timing.peak_gb_s();
      // Unloaded row-miss read latency: what the blocks' schedule estimates assume.
      spec.latency_ns = (spec.timing.RCD + spec.timing.CL + spec.timing.BL) * spec.timing.tck_ns;
      return [](const DramSpec& s) { return std::make_unique<DramTimingChannel>(s); };
    });

}  // namespace

}  // namespace accsim
