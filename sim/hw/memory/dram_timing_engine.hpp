#pragma once
// The timing DRAM model's controller and devices, pure C++ (no SystemC): per channel an FR-FCFS
// scheduler over a read queue, a posted write queue drained between watermarks, and banks with
// row buffers obeying the JEDEC constraints of DramTimingSpec. Instead of one event per command it
// computes, for each request it picks, the earliest clock at which every constraint lets its
// commands issue (the next-event time), and advances the bank/rank/bus state to that point.
// Times are in tCK from the start of the simulation. Not modelled: command-bus conflicts (one
// command per clock; a column command every BL clocks leaves it mostly idle), power-down states,
// per-bank refresh.
#include <cstdint>
#include <deque>
#include <vector>

#include "sim/hw/memory/dram_timing_spec.hpp"

namespace accsim {

struct DramRequest {
  uint64_t addr = 0;
  int64_t arrival = 0;  // tCK
  bool is_write = false;
};

struct DramStats {
  uint64_t reads = 0, writes = 0, activates = 0, refreshes = 0;
  uint64_t row_hits = 0, row_misses = 0, row_conflicts = 0;
  uint64_t read_latency_sum = 0;  // tCK, arrival to last data beat, over reads
  void clear() { *this = DramStats{}; }
};

class DramTimingEngine {
 public:
  explicit DramTimingEngine(const DramTimingSpec& spec);

  // Reads arriving at `now`, served FR-FCFS after everything queued before; returns the clock at
  // which the last one's data has arrived (now when empty). Addresses: one burst each.
  int64_t read_batch(const std::vector<uint64_t>& addrs, int64_t now);
  // The same, also giving each read's own data-arrival clock (`each[i]` for addrs[i]): FR-FCFS
  // serves them out of order, and a consumer that needs burst i first waits for it alone.
  int64_t read_batch(const std::vector<uint64_t>& addrs, int64_t now, std::vector<int64_t>& each);
  // Writes arriving at `now` enter the posted write queue; returns the clock at which the last one
  // was accepted (later than now only if the queue was full and had to drain first).
  int64_t write_batch(const std::vector<uint64_t>& addrs, int64_t now);
  // Drains every queued write; returns the clock at which all data is written.
  int64_t flush();
  // Clock at which every data transfer so far has completed.
  int64_t busy_until() const;

  const DramStats& stats() const { return stats_; }
  void clear_stats() { stats_.clear(); }
  const DramTimingSpec& spec() const { return spec_; }

  struct Decoded { int ch, rank, bg, bank; int64_t row; };
  Decoded decode(uint64_t addr) const;

 private:
  struct Bank { int64_t open_row = -1, act_ok = 0, pre_ok = 0, col_ok = 0; };
  struct Rank {
    int64_t faw[4] = {-(1LL << 40), -(1LL << 40), -(1LL << 40), -(1LL << 40)};
    int faw_i = 0;
    int64_t act_ok = 0;            // tRRD_S
    std::vector<int64_t> bg_act_ok; // tRRD_L
    std::vector<int64_t> bg_col_ok; // tCCD_L
    int64_t rd_ok_after_wr = 0;     // tWTR_S (other groups)
    std::vector<int64_t> bg_rd_ok_after_wr;  // tWTR_L
    int64_t next_refresh = 0;
  };
  // `opened`: this request's row was activated for it ahead of its column command (1 = the bank
  // was closed, 2 = another row had to be precharged first): counted as a miss / conflict.
  struct Pending { Decoded d; int64_t arrival; bool is_write; int opened = 0; size_t index = 0; };
  struct Channel {
    std::vector<Bank> banks;  // rank x bank group x bank
    std::vector<Rank> ranks;
    int64_t bus_free = 0;      // data bus
    int64_t col_ok = 0;        // tCCD_S, any group
    int64_t wr_ok_after_rd = 0;  // read-to-write turnaround
    std::deque<Pending> writes;
  };

  Bank& bank(Channel& c, const Decoded& d) {
    return c.banks[(static_cast<size_t>(d.rank) * spec_.bank_groups + d.bg) * spec_.banks_per_group + d.bank];
  }
  void refresh_if_due(Channel& c, int rank, int64_t t);
  int64_t serve(Channel& c, const Pending& p);  // returns the clock the data transfer ends
  void activate(Channel& c, const Decoded& d, int64_t t0);
  int64_t column_ready(Channel& c, const Pending& p);
  size_t pick(Channel& c, std::deque<Pending>& q, size_t window);
  int64_t drain_writes(Channel& c, size_t down_to, int64_t until);
  int64_t read_each(const std::vector<uint64_t>& addrs, int64_t now, std::vector<int64_t>* each);

  DramTimingSpec spec_;
  std::vector<Channel> ch_;
  std::vector<int64_t> radix_;  // per mapping field, LSB first
  DramStats stats_;
};

}  // namespace accsim
