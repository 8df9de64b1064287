#pragma once
// Per-layer and whole-run figures. Plain counters during simulation; derived figures at the end.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace accsim {

// Energy split by component, in a stable order (insertion order is the report order).
class EnergyBreakdown {
 public:
  void add(const std::string& component, double pj);
  double total_pj() const;
  const std::vector<std::pair<std::string, double>>& items() const { return items_; }
  void scale(double factor);
  void merge(const EnergyBreakdown& other);

 private:
  std::vector<std::pair<std::string, double>> items_;
};

// Typed action counts (the Accelergy idea): how many times each declared action happened, in the
// order the block first reported them. Units and prices come from the declarations
// (KindInfo::actions); the energy stage turns counts into an EnergyBreakdown after simulation.
class ActionCounts {
 public:
  void add(const std::string& action, double count);
  double get(const std::string& action) const;
  const std::vector<std::pair<std::string, double>>& items() const { return items_; }
  bool empty() const { return items_.empty(); }
  void scale(double factor);
  void merge(const ActionCounts& other);

 private:
  std::vector<std::pair<std::string, double>> items_;
};

struct LayerResult {
  std::string name;
  std::string op;
  int64_t repeat = 1;
  uint64_t cycles = 0;          // compute + stall
  uint64_t compute_cycles = 0;  // cycles the compute block was busy
  uint64_t stall_cycles = 0;    // cycles waiting on memory (or on dependencies)
  uint64_t macs = 0;            // algorithmic MACs of the dense layer
  uint64_t effectual_macs = 0;  // MACs actually executed (nonzero weights for sparse models)
  double peak_macs_per_cycle = 0;
  uint64_t dram_read_bytes = 0;
  uint64_t dram_write_bytes = 0;
  EnergyBreakdown energy;   // priced from `actions` by the energy stage (sim/hw/energy_stage.hpp)
  ActionCounts actions;
  // Model-specific action counts: scaled by repeat, summed in totals. A counter that is also a
  // figure is a per-layer property kept among the counters for their readers (the GPU's clock,
  // throughput, tiling): repeat leaves it alone and totals give its cycle-weighted mean.
  std::map<std::string, double> counters;
  std::map<std::string, double> figures;   // per-layer properties (ratios, flags, sizes): never scaled or summed
  std::string kernel;                      // the GPU kernel configuration a library would run (empty elsewhere)

  double utilization() const {
    return cycles && peak_macs_per_cycle > 0 ? effectual_macs / (static_cast<double>(cycles) * peak_macs_per_cycle) : 0.0;
  }
};

struct RunResult {
  std::string arch_name;
  std::string arch_file;
  std::string workload_name;
  std::string workload_source;
  std::string compute_kind;
  double clock_hz = 0;
  std::vector<LayerResult> layers;  // each already multiplied by its repeat count

  LayerResult total() const;
  double latency_s(uint64_t cycles) const { return clock_hz > 0 ? cycles / clock_hz : 0.0; }
};

}  // namespace accsim
