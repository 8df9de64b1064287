#pragma once
// `dram.kind: timing`: the DramTimingEngine behind the MemoryModel interface. A transfer becomes
// burst-sized requests at its addresses (or, from a block that sends no addresses, at a
// sequential cursor per direction); the engine returns their completion clock and the caller
// waits until then. No process, clock or signal of its own: annotated timing only.
#include "sim/hw/memory/dram_timing_engine.hpp"
#include "sim/hw/memory/memory_model.hpp"

namespace accsim {

class DramTimingChannel : public MemoryModel {
 public:
  explicit DramTimingChannel(const DramSpec& spec);

  sc_core::sc_time transfer(uint64_t bytes, bool is_write) override;
  sc_core::sc_time transfer(const AddressStream& stream, bool is_write) override;
  // Each extent's arrival: the latest data clock of the bursts it touches (the engine's own).
  sc_core::sc_time read_each(const AddressStream& stream, std::vector<sc_core::sc_time>& arrivals) override;
  uint64_t request_bytes() const override { return static_cast<uint64_t>(spec_.timing.burst_bytes); }
  bool wants_addresses() const override { return true; }
  // Drains the posted writes first: a layer ends when its stores are in DRAM.
  sc_core::sc_time idle_at() const override;
  void add_actions(ActionCounts& actions, std::map<std::string, double>& counters) const override;
  void reset_counters() override;

  const DramTimingEngine& engine() const { return engine_; }

 private:
  int64_t now_ck() const;
  sc_core::sc_time at_ck(int64_t ck) const;
  sc_core::sc_time issue(bool is_write);

  DramSpec spec_;
  mutable DramTimingEngine engine_;  // idle_at() drains its write queue
  double tck_ps_;
  mutable sc_core::sc_time last_completion_;
  // The stream's aligned bursts into addrs_ (with `owners`, each one's extent into owner_).
  void burst_addresses(const AddressStream& stream, bool owners);
  std::vector<uint64_t> addrs_;
  std::vector<size_t> owner_;    // scratch: the extent each burst of addrs_ belongs to
  std::vector<int64_t> each_;    // scratch: each burst's data clock  // scratch: the current transfer's burst addresses
  uint64_t cursor_[2] = {0, 1ULL << 40};  // sequential addresses for address-less reads / writes
  // Simulated time when this run began: the kernel outlives runs (many per process), so every
  // DRAM clock, refresh deadline and background period is counted from here, not from time 0.
  sc_core::sc_time origin_ = sc_core::sc_time_stamp();
  sc_core::sc_time since_ = origin_;  // start of the current counting period (background energy)
};

}  // namespace accsim
