#include "sim/hw/common/tile_pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <type_traits>

namespace accsim {

TilePipeline::TilePipeline(MemoryModel& dram, sc_core::sc_time clock_period, int slots)
    : dram_(dram),
      channel_(dynamic_cast<DramChannel*>(&dram)),
      period_(clock_period),
      slots_(std::max(1, slots)),
      arrivals_(static_cast<size_t>(slots_)),
      need_(static_cast<size_t>(slots_)) {}

sc_core::sc_time TilePipeline::send(const AddressStream& s, uint64_t offset, bool is_write) {
  if (offset == 0) return dram_.transfer(s, is_write);
  scratch_ = s;
  for (Extent& e : scratch_) e.base += offset;
  return dram_.transfer(scratch_, is_write);
}

sc_core::sc_time TilePipeline::load(const Tile& t) {
  if (t.load_stream && dram_.wants_addresses()) return send(*t.load_stream, t.address_offset, false);
  return dram_.transfer(t.load_bytes, false);
}

sc_core::sc_time TilePipeline::store(const Tile& t) {
  if (t.store_stream && dram_.wants_addresses()) return send(*t.store_stream, t.address_offset, true);
  return dram_.transfer(t.store_bytes, true);
}

namespace {

// The pipeline's notion of "now". KernelClock waits in simulated time at every step, so the
// memory sees the kernel's time (any memory kind). LocalClock only adds up the same sc_time
// values and hands them to the bandwidth channel as issue times: accsim runs one SystemC thread,
// so nothing else can touch the channel while the pipeline runs, and the times (and bytes) are
// those of KernelClock exactly. It waits once, at the end. In sweeps this skips one kernel
// context switch per tile, which was most of the cost of an event-mode run.
struct KernelClock {
  sc_core::sc_time now() const { return sc_core::sc_time_stamp(); }
  void advance_to(const sc_core::sc_time& t) {
    if (t > sc_core::sc_time_stamp()) sc_core::wait(t - sc_core::sc_time_stamp());
  }
  void advance_by(const sc_core::sc_time& d) { sc_core::wait(d); }
};

struct LocalClock {
  DramChannel* channel;
  sc_core::sc_time t;
  sc_core::sc_time now() const { return t; }
  void advance_to(const sc_core::sc_time& to) {
    if (to > t) t = to;
  }
  void advance_by(const sc_core::sc_time& d) { t += d; }
};

// Arrival times of the loads issued and not yet consumed, oldest first (`slots` at most).
class LoadRing {
 public:
  explicit LoadRing(int slots) : t_(static_cast<size_t>(slots)) {}
  size_t size() const { return n_; }
  bool full() const { return n_ == t_.size(); }
  size_t back_slot() const { return (head_ + n_) % t_.size(); }  // where push() goes
  void push(const sc_core::sc_time& t) { t_[(head_ + n_++) % t_.size()] = t; }
  const sc_core::sc_time& front() const { return t_[head_]; }
  size_t front_slot() const { return head_; }
  void pop() { head_ = (head_ + 1) % t_.size(), --n_; }
  const sc_core::sc_time& at(size_t i) const { return t_[(head_ + i) % t_.size()]; }
  void shift(const sc_core::sc_time& by) {
    for (size_t i = 0; i < n_; ++i) t_[(head_ + i) % t_.size()] += by;
  }

 private:
  std::vector<sc_core::sc_time> t_;
  size_t head_ = 0, n_ = 0;
};

// Walks the tiles in order, a repeated tile `repeat` times, instead of an expanded copy, so memory
// stays proportional to distinct tiles (papers15, #16).
struct Cursor {
  const std::vector<Tile>* tiles;
  size_t tile = 0;
  uint64_t rep = 0;
  void skip_empty() {
    while (tile < tiles->size() && (*tiles)[tile].repeat == 0) ++tile;
  }
  bool done() const { return tile >= tiles->size(); }
  const Tile& get() const { return (*tiles)[tile]; }
  bool same(const Cursor& o) const { return tile == o.tile && rep == o.rep; }
  void next() {
    if (++rep >= (*tiles)[tile].repeat) ++tile, rep = 0;
    skip_empty();
  }
};

// The state of the pipeline at the top of one compute step, for the steady-state skip below.
struct Snapshot {
  bool valid = false;
  size_t tile = 0;
  uint64_t rep = 0;
  sc_core::sc_time now, busy_until, last_completion, last_store_done;
  std::vector<sc_core::sc_time> loads;
};

// Steady state inside a run of identical tiles (LocalClock only). Every step is the same function
// of the times it reads (now, the loads in flight, the channel's queue, the last store), built of
// max and + only, so it commutes with shifting all of them by one delta. Hence when the state at
// the top of step r is the state at step r-1 shifted by delta, each later step of the run shifts it
// by delta again, and the steps up to the run's end (while the loads issued ahead stay inside the
// run) are skipped at once: times + m x delta, bytes and cycles + m x one step's. The result is the
// step-by-step one exactly (integer picoseconds); times a step does not write (no store: the last
// store; no transfer or unlimited bandwidth: the queue) must then be unchanged and stay so.
void skip_steady_steps(DramChannel& channel, int slots, Snapshot& prev, sc_core::sc_time& now, Cursor& cur, Cursor& issue,
                       LoadRing& ring, sc_core::sc_time& last_store_done, uint64_t& compute_cycles) {
  const Tile& tile = cur.get();
  const bool moves_queue = !channel.spec().unlimited() && (tile.load_bytes > 0 || tile.store_bytes > 0);
  const bool moves_store = tile.store_bytes > 0;
  const sc_core::sc_time busy = channel.busy_until(), done = channel.idle_at();
  bool steady = prev.valid && prev.tile == cur.tile && prev.rep + 1 == cur.rep && issue.tile == cur.tile &&
                ring.size() + 1 == static_cast<size_t>(slots) && prev.loads.size() == ring.size() && now > prev.now;
  if (steady) {
    const sc_core::sc_time delta = now - prev.now;
    auto moved = [&](const sc_core::sc_time& was, const sc_core::sc_time& is, bool moves) {
      return moves ? is == was + delta : is == was;
    };
    steady = moved(prev.busy_until, busy, moves_queue) && moved(prev.last_completion, done, moves_queue) &&
             moved(prev.last_store_done, last_store_done, moves_store);
    for (size_t i = 0; steady && i < ring.size(); ++i) steady = ring.at(i) == prev.loads[i] + delta;
    // Skip the steps whose loads (issued one step ahead per free slot) are still of this tile.
    const uint64_t m = issue.rep + 1 < tile.repeat ? tile.repeat - 1 - issue.rep : 0;
    if (steady && m > 0) {
      const sc_core::sc_time by = sc_core::sc_time::from_value(delta.value() * m);
      now += by;
      ring.shift(by);
      if (moves_store) last_store_done += by;
      channel.skip_ahead(moves_queue ? by : sc_core::SC_ZERO_TIME, m * tile.load_bytes, m * tile.store_bytes);
      compute_cycles += m * tile.compute_cycles;
      cur.rep += m;
      issue.rep += m;
      prev.valid = false;
      return;
    }
  }
  prev.valid = true;
  prev.tile = cur.tile;
  prev.rep = cur.rep;
  prev.now = now;
  prev.busy_until = busy;
  prev.last_completion = done;
  prev.last_store_done = last_store_done;
  prev.loads.resize(ring.size());
  for (size_t i = 0; i < ring.size(); ++i) prev.loads[i] = ring.at(i);
}

}  // namespace

template <class Clock>
PipelineTiming TilePipeline::run_on(Clock& clock, const std::vector<Tile>& tiles) {
  using sc_core::sc_time;
  const sc_time start = clock.now();
  // Event-skipping: the loader is modelled by completion times handed out by the DRAM channel
  // (loads issue as soon as a buffer slot frees up); the compute unit waits in simulated time.
  LoadRing loaded(slots_);  // the tile being computed plus the loads issued ahead of it
  sc_time last_store_done = start;
  uint64_t compute_cycles = 0;
  Cursor issue{&tiles}, cur{&tiles};
  issue.skip_empty(), cur.skip_empty();
  constexpr bool local = std::is_same_v<Clock, LocalClock>;
  auto load_now = [&](const Tile& t) {
    if (t.demand) {
      if constexpr (local) return load_by_demand(t, loaded.back_slot(), &clock.t);
      else return load_by_demand(t, loaded.back_slot(), nullptr);
    }
    if constexpr (local) return clock.channel->transfer_at(clock.t, t.load_bytes, false);
    else return load(t);
  };
  auto store_now = [&](const Tile& t) {
    if constexpr (local) return clock.channel->transfer_at(clock.t, t.store_bytes, true);
    else return store(t);
  };
  auto issue_loads = [&]() {
    while (!issue.done() && !loaded.full()) {
      // A dependent tile's load waits until the compute loop reaches it and its input is stored.
      if (issue.get().depends_on_previous && !issue.same(cur)) break;
      loaded.push(load_now(issue.get()));
      issue.next();
    }
  };
  Snapshot prev;
  uint64_t memo_cycles = 0;
  sc_time memo_busy = sc_core::SC_ZERO_TIME;  // period x memo_cycles
  for (bool first = true; !cur.done(); cur.next(), first = false) {
    if constexpr (local)
      if (cur.get().repeat > 2 && !cur.get().depends_on_previous && !cur.get().demand)
        skip_steady_steps(*clock.channel, slots_, prev, clock.t, cur, issue, loaded, last_store_done, compute_cycles);
    const Tile& tile = cur.get();
    if (tile.depends_on_previous && !first) clock.advance_to(last_store_done);
    issue_loads();
    if (tile.demand) {
      // Starts at once; stalls only where a request it needs has not arrived (tile_demand.cpp).
      clock.advance_to(demand_end(clock.now(), loaded.front_slot(), tile.compute_cycles));
    } else {
      clock.advance_to(loaded.front());
      if (tile.compute_cycles != memo_cycles)
        memo_cycles = tile.compute_cycles, memo_busy = period_ * static_cast<double>(tile.compute_cycles);
      clock.advance_by(memo_busy);
    }
    compute_cycles += tile.compute_cycles;
    loaded.pop();  // this tile's buffer slot is free again
    if (tile.store_bytes) last_store_done = std::max(last_store_done, store_now(tile));
  }
  const sc_time end = std::max({clock.now(), last_store_done, dram_.idle_at()});
  // Both clocks end in the kernel at `end` (LocalClock's only wait).
  if (end > sc_core::sc_time_stamp()) sc_core::wait(end - sc_core::sc_time_stamp());

  PipelineTiming timing;
  timing.cycles = static_cast<uint64_t>(std::llround((end - start) / period_));
  if (timing.cycles < compute_cycles) timing.cycles = compute_cycles;  // rounding guard
  timing.compute_cycles = compute_cycles;
  timing.stall_cycles = timing.cycles - compute_cycles;
  timing.demand_requests = demand_requests_;
  demand_requests_ = 0;
  return timing;
}

PipelineTiming TilePipeline::run(const std::vector<Tile>& tiles) {
  if (channel_) {
    LocalClock clock{channel_, sc_core::sc_time_stamp()};
    return run_on(clock, tiles);
  }
  KernelClock clock;
  return run_on(clock, tiles);
}

}  // namespace accsim
