#include "sim/core/results.hpp"

namespace accsim {

void EnergyBreakdown::add(const std::string& component, double pj) {
  for (auto& kv : items_) {
    if (kv.first == component) {
      kv.second += pj;
      return;
    }
  }
  items_.emplace_back(component, pj);
}

double EnergyBreakdown::total_pj() const {
  double sum = 0;
  for (const auto& kv : items_) sum += kv.second;
  return sum;
}

void EnergyBreakdown::scale(double factor) {
  for (auto& kv : items_) kv.second *= factor;
}

void EnergyBreakdown::merge(const EnergyBreakdown& other) {
  for (const auto& kv : other.items_) add(kv.first, kv.second);
}

void ActionCounts::add(const std::string& action, double count) {
  for (auto& kv : items_) {
    if (kv.first == action) {
      kv.second += count;
      return;
    }
  }
  items_.emplace_back(action, count);
}

double ActionCounts::get(const std::string& action) const {
  for (const auto& kv : items_)
    if (kv.first == action) return kv.second;
  return 0.0;
}

void ActionCounts::scale(double factor) {
  for (auto& kv : items_) kv.second *= factor;
}

void ActionCounts::merge(const ActionCounts& other) {
  for (const auto& kv : other.items_) add(kv.first, kv.second);
}

LayerResult RunResult::total() const {
  LayerResult t;
  t.name = "total";
  t.op = "-";
  double peak_cycle_product = 0;  // sum of cycles x peak, so total utilization weights layers by time
  std::map<std::string, std::pair<double, double>> per_layer;  // property -> (sum of value x cycles, cycles)
  for (const auto& l : layers) {
    t.cycles += l.cycles;
    t.compute_cycles += l.compute_cycles;
    t.stall_cycles += l.stall_cycles;
    t.macs += l.macs;
    t.effectual_macs += l.effectual_macs;
    t.dram_read_bytes += l.dram_read_bytes;
    t.dram_write_bytes += l.dram_write_bytes;
    t.energy.merge(l.energy);
    t.actions.merge(l.actions);
    peak_cycle_product += l.peak_macs_per_cycle * static_cast<double>(l.cycles);
    for (const auto& [k, v] : l.counters) {
      if (!l.figures.count(k)) {
        t.counters[k] += v;
        continue;
      }
      auto& [weighted, cycles] = per_layer[k];
      weighted += v * static_cast<double>(l.cycles);
      cycles += static_cast<double>(l.cycles);
    }
  }
  for (const auto& [k, wc] : per_layer) t.counters[k] = wc.second > 0 ? wc.first / wc.second : 0.0;
  t.peak_macs_per_cycle = t.cycles ? peak_cycle_product / static_cast<double>(t.cycles) : 0;
  return t;
}

}  // namespace accsim
