#pragma once
// The multiplier-accumulator lane every compute block is built from (`mac.kind` in the arch YAML).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/config.hpp"
#include "sim/core/dtype.hpp"
#include "sim/core/energy_table.hpp"
#include "sim/core/registry.hpp"

namespace accsim {

struct Precision {
  DType weights, activations, accumulators;
};

class MacUnit {
 public:
  virtual ~MacUnit() = default;
  virtual std::string kind() const = 0;
  // Throws InputError (at `where`) when the unit cannot execute this precision.
  virtual void check(const Precision& p, const SourceLocation& where) const = 0;
  // Products one lane completes per cycle: 1 for a fixed unit, <1 when an operand takes several
  // cycles (bit-serial, wide operands on bit bricks), >1 when narrow products fuse.
  virtual double products_per_cycle(const Precision& p) const = 0;
  // Dynamic energy of one multiply-accumulate at this precision.
  virtual double energy_pj_per_mac(const Precision& p, const EnergyTable& table) const = 0;
  // Area and leakage of one lane, as built (independent of the precision it runs).
  virtual double area_um2(const EnergyTable& table) const = 0;
  // Leakage follows area at the node's logic leakage density unless a unit knows better.
  virtual double leakage_uw(const EnergyTable& table) const { return area_um2(table) * table.logic_leakage_uw_per_um2(); }
  // The values the unit computes: a dot product of w and a (real values, rounded into the
  // layer's operand formats) accumulated in the unit's accumulator with its overflow rule
  // (sim/hw/mac/functional.cpp). Default: exact integer arithmetic in an int32 that wraps.
  virtual double dot(const Precision& p, const std::vector<double>& w, const std::vector<double>& a) const;
};

using MacFactory = std::function<std::unique_ptr<MacUnit>(ConfigNode& node)>;

// Registry keyed by `mac.kind`. A MAC factory reads its own node (run on a describing node it
// documents the parameters for `accsim list`; the unit it returns then is discarded).
Registry<MacFactory>& mac_registry();
std::unique_ptr<MacUnit> make_mac_unit(ConfigNode& node);  // reads node.kind; finishes the node

struct MacRegistrar {
  MacRegistrar(KindInfo info, MacFactory factory);
  MacRegistrar(const std::string& kind, const std::string& summary, MacFactory factory)
      : MacRegistrar(KindInfo{kind, summary, {}, {"event", "cycle"}, {}, {}}, std::move(factory)) {}
};

}  // namespace accsim
