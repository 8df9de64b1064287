#pragma once
// The interface every compute model implements (`compute.kind` in the arch YAML), and its registry.
//
// A compute block is one sc_module. The accelerator's controller thread calls execute() for each
// layer; execute() advances simulated time (directly, through a TilePipeline, or by spawning its
// own processes) and returns the layer's counters. Hardware models never see YAML: their factory
// reads the ConfigNode into a typed struct first.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "sim/core/config.hpp"
#include "sim/core/energy_table.hpp"
#include "sim/core/results.hpp"
#include "sim/hw/mac/mac_unit.hpp"
#include "sim/hw/memory/dram_channel.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

// What every block shares: the clock, the energy table, the DRAM channel and the MAC lane model.
struct ArchContext {
  std::string name;
  double clock_hz = 1e9;
  int technology_nm = 45;
  EnergyTable energy;
  DramSpec dram;
  std::shared_ptr<MacUnit> mac;
  std::string sim_mode = "event";  // "event" (skip to the next event) or "cycle" (step every cycle)

  sc_core::sc_time clock_period() const { return sc_core::sc_time(1e12 / clock_hz, sc_core::SC_PS); }
  Precision precision_of(const Layer& l) const {
    return Precision{l.weights.dtype, l.activations.dtype, l.accumulators.dtype};
  }
};

class ComputeBlock : public sc_core::sc_module {
 public:
  ComputeBlock(sc_core::sc_module_name name, const ArchContext& arch, DramChannel& dram)
      : sc_core::sc_module(name), arch_(arch), dram_(dram) {}
  virtual std::string model_kind() const = 0;
  // Throws InputError naming the layer if it cannot run on this block (precision, shape, format).
  virtual void check(const Layer& layer) const = 0;
  // Simulates one repeat of the layer. Called from an SC_THREAD; fills cycles, MACs, energy of the
  // compute side and the on-chip buffers. DRAM and static energy are added by the accelerator.
  virtual LayerResult execute(const Layer& layer) = 0;
  // Total leakage power of the block (MAC lanes, buffers), for static energy.
  virtual double leakage_uw() const = 0;
  // Silicon area of the block when known (um^2), else 0.
  virtual double area_um2() const { return 0; }

 protected:
  const ArchContext& arch_;
  DramChannel& dram_;
};

using ComputeFactory =
    std::function<std::unique_ptr<ComputeBlock>(ConfigNode& node, const ArchContext& arch, DramChannel& dram)>;

// Each factory reads its node; with a null ArchContext pointer semantics avoided, describe mode
// simply runs the factory on a describe node and must not build a module then: it returns nullptr.
void register_compute_kind(const std::string& kind, const std::string& summary, ComputeFactory factory);
std::unique_ptr<ComputeBlock> make_compute_block(ConfigNode& node, const ArchContext& arch, DramChannel& dram);
std::vector<KindInfo> compute_kinds();
std::vector<ParamDoc> describe_compute_kind(const std::string& kind, const ArchContext& arch, DramChannel& dram);

struct ComputeRegistrar {
  ComputeRegistrar(const std::string& kind, const std::string& summary, ComputeFactory factory) {
    register_compute_kind(kind, summary, std::move(factory));
  }
};

// Shared helper: the error for a layer a block cannot run, located at the layer's definition.
[[noreturn]] void layer_error(const Layer& layer, const std::string& message);

}  // namespace accsim
