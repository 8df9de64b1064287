#include "sim/hw/memory/dram_timing_engine.hpp"

#include <algorithm>

namespace accsim {

DramTimingEngine::DramTimingEngine(const DramTimingSpec& spec) : spec_(spec), ch_(spec.channels) {
  for (Channel& c : ch_) {
    c.banks.resize(static_cast<size_t>(spec_.ranks) * spec_.banks());
    c.ranks.resize(spec_.ranks);
    for (int r = 0; r < spec_.ranks; ++r) {
      Rank& rk = c.ranks[r];
      rk.bg_act_ok.assign(spec_.bank_groups, 0);
      rk.bg_col_ok.assign(spec_.bank_groups, 0);
      rk.bg_rd_ok_after_wr.assign(spec_.bank_groups, 0);
      // Ranks refresh staggered so that they do not all block at once.
      rk.next_refresh = spec_.REFI * (r + 1) / spec_.ranks;
    }
  }
}

DramTimingEngine::Decoded DramTimingEngine::decode(uint64_t addr) const {
  uint64_t x = addr / static_cast<uint64_t>(spec_.burst_bytes);
  Decoded d{0, 0, 0, 0, 0};
  // Fields from least to most significant: the mapping string lists them MSB first.
  for (auto it = spec_.mapping.rbegin(); it != spec_.mapping.rend(); ++it) {
    uint64_t size = 1;
    switch (*it) {
      case AddrField::Channel: size = spec_.channels; break;
      case AddrField::Rank: size = spec_.ranks; break;
      case AddrField::BankGroup: size = spec_.bank_groups; break;
      case AddrField::Bank: size = spec_.banks_per_group; break;
      case AddrField::Row: size = static_cast<uint64_t>(spec_.rows); break;
      case AddrField::Column: size = static_cast<uint64_t>(spec_.columns()); break;
    }
    const auto v = static_cast<int64_t>(x % size);
    x /= size;
    switch (*it) {
      case AddrField::Channel: d.ch = static_cast<int>(v); break;
      case AddrField::Rank: d.rank = static_cast<int>(v); break;
      case AddrField::BankGroup: d.bg = static_cast<int>(v); break;
      case AddrField::Bank: d.bank = static_cast<int>(v); break;
      case AddrField::Row: d.row = v; break;
      case AddrField::Column: break;
    }
  }
  return d;
}

void DramTimingEngine::refresh_if_due(Channel& c, int r, int64_t t) {
  if (!spec_.refresh) return;
  Rank& rk = c.ranks[r];
  while (rk.next_refresh <= t) {
    // Precharge all banks of the rank, then REF; no bank may activate until tRFC has passed.
    int64_t ref = rk.next_refresh;
    const size_t first = static_cast<size_t>(r) * spec_.banks();
    for (int b = 0; b < spec_.banks(); ++b) {
      const Bank& bk = c.banks[first + b];
      if (bk.open_row >= 0) ref = std::max(ref, bk.pre_ok + spec_.RP);
      else ref = std::max(ref, bk.act_ok);
    }
    for (int b = 0; b < spec_.banks(); ++b) {
      Bank& bk = c.banks[first + b];
      bk.open_row = -1;
      bk.act_ok = ref + spec_.RFC;
    }
    ++stats_.refreshes;
    rk.next_refresh += spec_.REFI;
  }
}

void DramTimingEngine::activate(Channel& c, const Decoded& d, int64_t t0) {
  Rank& rk = c.ranks[d.rank];
  Bank& bk = bank(c, d);
  int64_t act = std::max({t0, bk.act_ok, rk.act_ok, rk.bg_act_ok[d.bg], rk.faw[rk.faw_i] + spec_.FAW});
  if (bk.open_row >= 0) act = std::max(act, std::max(t0, bk.pre_ok) + spec_.RP);  // PRE first
  bk.open_row = d.row;
  bk.pre_ok = act + spec_.RAS;
  bk.act_ok = act + spec_.RC;
  bk.col_ok = act + spec_.RCD;
  rk.act_ok = act + spec_.RRD_S;
  rk.bg_act_ok[d.bg] = act + spec_.RRD_L;
  rk.faw[rk.faw_i] = act;
  rk.faw_i = (rk.faw_i + 1) & 3;
  ++stats_.activates;
}

int64_t DramTimingEngine::column_ready(Channel& c, const Pending& p) {
  const Rank& rk = c.ranks[p.d.rank];
  int64_t col = std::max({p.arrival, bank(c, p.d).col_ok, c.col_ok, rk.bg_col_ok[p.d.bg]});
  if (p.is_write) return std::max(col, c.wr_ok_after_rd);
  return std::max({col, rk.rd_ok_after_wr, rk.bg_rd_ok_after_wr[p.d.bg]});
}

int64_t DramTimingEngine::serve(Channel& c, const Pending& p) {
  const Decoded& d = p.d;
  Rank& rk = c.ranks[d.rank];
  refresh_if_due(c, d.rank, std::max(p.arrival, c.bus_free));
  Bank& bk = bank(c, d);
  int opened = p.opened;
  if (bk.open_row != d.row) {
    // Not opened ahead (or a refresh closed it since): activate now.
    opened = bk.open_row >= 0 ? 2 : 1;
    activate(c, d, p.arrival);
  }
  if (opened == 1) ++stats_.row_misses;
  else if (opened == 2) ++stats_.row_conflicts;
  else ++stats_.row_hits;
  const int lat = p.is_write ? spec_.CWL : spec_.CL;
  // The burst may not overlap the previous one on the data bus.
  const int64_t col = std::max(column_ready(c, p), c.bus_free - lat);
  const int64_t data_end = col + lat + spec_.BL;
  c.bus_free = data_end;
  c.col_ok = col + spec_.CCD_S;
  rk.bg_col_ok[d.bg] = col + spec_.CCD_L;
  if (p.is_write) {
    rk.rd_ok_after_wr = std::max(rk.rd_ok_after_wr, data_end + spec_.WTR_S);
    rk.bg_rd_ok_after_wr[d.bg] = std::max(rk.bg_rd_ok_after_wr[d.bg], data_end + spec_.WTR_L);
    bk.pre_ok = std::max(bk.pre_ok, data_end + spec_.WR);
    ++stats_.writes;
  } else {
    // JEDEC read-to-write: the write's data may start 2 clocks after the read's (bus turnaround).
    c.wr_ok_after_rd = std::max(c.wr_ok_after_rd, col + spec_.CL + spec_.BL + 2 - spec_.CWL);
    bk.pre_ok = std::max(bk.pre_ok, col + spec_.RTP);
    ++stats_.reads;
    stats_.read_latency_sum += static_cast<uint64_t>(data_end - p.arrival);
  }
  if (!spec_.open_page) {
    // Closed page: auto-precharge as soon as the bank allows it.
    bk.act_ok = std::max(bk.act_ok, bk.pre_ok + spec_.RP);
    bk.open_row = -1;
  }
  return data_end;
}

size_t DramTimingEngine::pick(Channel& c, std::deque<Pending>& q, size_t window) {
  const size_t n = std::min(window, q.size());
  // Fast path: the oldest request hits an open row and nothing but the data bus holds it back.
  {
    const Pending& p = q[0];
    if (bank(c, p.d).open_row == p.d.row &&
        column_ready(c, p) <= c.bus_free - (p.is_write ? spec_.CWL : spec_.CL))
      return 0;
  }
  // Like a real controller, open rows for queued misses while hits go on: activate a closed bank
  // for the oldest request to it; precharge an open one only when no queued request hits its row.
  if (spec_.open_page) {
    for (size_t i = 0; i < n; ++i) {
      Pending& p = q[i];
      const Bank& bk = bank(c, p.d);
      if (bk.open_row == p.d.row) continue;
      bool row_wanted = false;
      if (bk.open_row >= 0) {
        for (size_t j = 0; j < n && !row_wanted; ++j)
          row_wanted = q[j].d.ch == p.d.ch && q[j].d.rank == p.d.rank && q[j].d.bg == p.d.bg &&
                       q[j].d.bank == p.d.bank && q[j].d.row == bk.open_row;
      }
      if (row_wanted) continue;
      p.opened = bk.open_row >= 0 ? 2 : 1;
      activate(c, p.d, p.arrival);
    }
  }
  // First ready: the request whose column command can go soonest (a row hit); ties: the oldest.
  size_t best = 0;
  int64_t best_t = INT64_MAX;
  for (size_t i = 0; i < n; ++i) {
    if (bank(c, q[i].d).open_row != q[i].d.row) continue;
    const int64_t t = column_ready(c, q[i]);
    if (t < best_t) { best_t = t; best = i; }
  }
  return best;
}

int64_t DramTimingEngine::drain_writes(Channel& c, size_t down_to, int64_t until) {
  int64_t end = c.bus_free;
  while (c.writes.size() > down_to && c.bus_free < until) {
    const size_t i = pick(c, c.writes, c.writes.size());
    end = std::max(end, serve(c, c.writes[i]));
    c.writes.erase(c.writes.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return end;
}

int64_t DramTimingEngine::read_batch(const std::vector<uint64_t>& addrs, int64_t now) {
  return read_each(addrs, now, nullptr);
}

int64_t DramTimingEngine::read_batch(const std::vector<uint64_t>& addrs, int64_t now, std::vector<int64_t>& each) {
  each.assign(addrs.size(), now);
  return read_each(addrs, now, &each);
}

int64_t DramTimingEngine::read_each(const std::vector<uint64_t>& addrs, int64_t now, std::vector<int64_t>* each) {
  int64_t done = now;
  // Split by channel; each channel's controller works through its share independently.
  std::vector<std::deque<Pending>> per(ch_.size());
  for (size_t i = 0; i < addrs.size(); ++i) {
    Decoded d = decode(addrs[i]);
    per[d.ch].push_back(Pending{d, now, false, 0, i});
  }
  const auto window = static_cast<size_t>(spec_.read_queue);
  for (size_t ci = 0; ci < ch_.size(); ++ci) {
    Channel& c = ch_[ci];
    std::deque<Pending>& q = per[ci];
    if (q.empty()) continue;
    // An idle controller drains posted writes before the reads arrive.
    drain_writes(c, 0, now);
    while (!q.empty()) {
      const size_t i = pick(c, q, window);
      const int64_t end = serve(c, q[i]);
      if (each) (*each)[q[i].index] = end;
      done = std::max(done, end);
      q.erase(q.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  return done;
}

int64_t DramTimingEngine::write_batch(const std::vector<uint64_t>& addrs, int64_t now) {
  int64_t accepted = now;
  const auto high = static_cast<size_t>(spec_.write_high);
  const auto low = static_cast<size_t>(spec_.write_low);
  for (uint64_t a : addrs) {
    Decoded d = decode(a);
    Channel& c = ch_[d.ch];
    c.writes.push_back(Pending{d, now, true});
    if (c.writes.size() >= high) {
      // Above the high watermark the controller turns the bus around and drains to the low one.
      drain_writes(c, low, INT64_MAX);
      if (c.writes.size() >= static_cast<size_t>(spec_.write_queue)) accepted = std::max(accepted, c.bus_free);
    }
  }
  return accepted;
}

int64_t DramTimingEngine::flush() {
  int64_t end = 0;
  for (Channel& c : ch_) end = std::max(end, drain_writes(c, 0, INT64_MAX));
  return std::max(end, busy_until());
}

int64_t DramTimingEngine::busy_until() const {
  int64_t end = 0;
  for (const Channel& c : ch_) end = std::max(end, c.bus_free);
  return end;
}

}  // namespace accsim
