#pragma once
// The interface every compute model implements (`compute.kind` in the arch YAML), and its registry.
//
// A compute block is a plain C++ object. The accelerator's controller thread calls execute() for
// each layer; execute() advances simulated time (sc_core::wait, directly or through a
// TilePipeline) and returns the layer's counters. Hardware models never see YAML: each kind
// registers a reader that turns its ConfigNode into a typed struct (that reader is also the
// declaration of its parameters, for `accsim list`) and a builder that makes the block from it.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "sim/core/config.hpp"
#include "sim/core/energy_table.hpp"
#include "sim/core/registry.hpp"
#include "sim/core/results.hpp"
#include "sim/hw/mac/mac_unit.hpp"
#include "sim/hw/memory/memory_model.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

// What every block shares: the clock, the energy table, the DRAM channel and the MAC lane model.
struct ArchContext {
  std::string name;
  double clock_hz = 1e9;
  int technology_nm = 45;
  EnergyTable energy;
  std::string energy_table_ref;    // how resolved_config.yaml names the table (name or absolute path)
  DramSpec dram;
  std::shared_ptr<MacUnit> mac;
  std::string sim_mode = "event";  // "event" (skip to the next event) or "cycle" (step every cycle)
  SourceLocation sim_mode_where;   // where sim.mode was set, for mode errors
  MemoryBuilder dram_builder;      // builds the dram.kind model from `dram`

  sc_core::sc_time clock_period() const { return sc_core::sc_time(1e12 / clock_hz, sc_core::SC_PS); }
  Precision precision_of(const Layer& l) const {
    return Precision{l.weights.dtype, l.activations.dtype, l.accumulators.dtype};
  }
};

class ComputeBlock {
 public:
  ComputeBlock(const std::string& name, const ArchContext& arch, MemoryModel& dram)
      : name_(name), arch_(arch), dram_(dram) {}
  virtual ~ComputeBlock() = default;
  const std::string& name() const { return name_; }
  // The registry key it was built from (compute.kind).
  const std::string& kind() const { return kind_; }
  // Throws InputError naming the layer if it cannot run on this block (precision, shape, format).
  virtual void check(const Layer& layer) const = 0;
  // Simulates one repeat of the layer. Called from an SC_THREAD; fills cycles, MACs, energy of the
  // compute side and the on-chip buffers. DRAM and static energy are added by the accelerator.
  virtual LayerResult execute(const Layer& layer) = 0;
  // Total leakage power of the block (MAC lanes, buffers), for static energy.
  virtual double leakage_uw() const = 0;
  // Silicon area of the block when known (um^2), else 0.
  virtual double area_um2() const { return 0; }
  // Energy of one count of an action this block reports (pJ per count), from the energy table.
  // The energy stage (sim/hw/energy_stage.hpp) multiplies counts by it after simulation. The base
  // prices the actions every block shares: mac.* (the MAC unit, at the precision the name
  // carries) and rf.bytes (register file); blocks override for their own and call the base.
  virtual double unit_price_pj(const std::string& action) const;

 protected:
  std::string name_;
  const ArchContext& arch_;
  MemoryModel& dram_;

 private:
  friend std::unique_ptr<ComputeBlock> make_compute_block(ConfigNode&, const ArchContext&, MemoryModel&);
  std::string kind_;
};

using ComputeFactory =
    std::function<std::unique_ptr<ComputeBlock>(ConfigNode& node, const ArchContext& arch, MemoryModel& dram)>;
Registry<ComputeFactory>& compute_registry();

// Reads `compute.kind`, checks sim.mode against the kind's declared modes, builds the block and
// finishes the node (unknown keys are errors).
std::unique_ptr<ComputeBlock> make_compute_block(ConfigNode& node, const ArchContext& arch, MemoryModel& dram);

// Registers a compute kind from its declaration, a reader (node -> typed config, also run on a
// describing node for `accsim list`) and a builder (typed config -> block).
template <class Config>
struct ComputeRegistrar {
  using Reader = std::function<Config(ConfigNode&)>;
  using Builder = std::function<std::unique_ptr<ComputeBlock>(Config, const ArchContext&, MemoryModel&)>;
  ComputeRegistrar(KindInfo info, Reader read, Builder build) {
    info.params = [read](ConfigNode& node) { read(node); };
    compute_registry().add(std::move(info), [read, build](ConfigNode& node, const ArchContext& arch, MemoryModel& dram) {
      return build(read(node), arch, dram);
    });
  }
};

// The actions every block shares, for KindInfo::actions, and the name of a MAC action:
// "mac.<w>x<a>.acc_<acc>" (e.g. mac.int8xint8.acc_int32), so the price is known from the name alone.
ActionDecl mac_action_decl();
ActionDecl rf_action_decl();
std::string mac_action(const Precision& p);
bool parse_mac_action(const std::string& action, Precision& p);

// Shared helper: the error for a layer a block cannot run, located at the layer's definition.
[[noreturn]] void layer_error(const Layer& layer, const std::string& message);

}  // namespace accsim
