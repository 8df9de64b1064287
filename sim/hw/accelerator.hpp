#pragma once
// Elaborates an accelerator from an architecture config and runs a workload through it.
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/core/results.hpp"
#include "sim/hw/common/compute_block.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

struct RunRequest {
  std::string arch_path;               // YAML, or a SCALE-Sim .cfg
  std::vector<std::string> overrides;  // --set key.path=value
  Workload workload;
};

struct RunOutput {
  RunResult result;
  YAML::Node resolved_config;  // every architecture parameter, defaults filled in
  double leakage_uw = 0;
  double area_um2 = 0;
  // The unit of one count of each action in the run, from the declarations (summary.json).
  std::vector<std::pair<std::string, std::string>> action_units;
};

// Fills out.action_units from the compute kind's and the accelerator's action declarations.
void declare_action_units(RunOutput& out, const KindInfo& kind);

// Reads the architecture file (YAML, or SCALE-Sim .cfg converted to the same tree).
YAML::Node load_arch_tree(const std::string& path);

// Reads the parameters every architecture has (name, clock, node, energy table, sim mode, DRAM).
// Works in describe mode too, for `accsim list`.
void read_arch_common(ConfigNode& top, const std::string& arch_path, ArchContext& arch);

// Everything one run owns: the typed architecture, its memory model and compute block (plain
// objects: nothing here is an sc_module), and the resolved config. Held by unique_ptr and never
// moved: the block refers to `arch` and `dram`.
struct RunContext {
  std::unique_ptr<ArchContext> arch;
  std::unique_ptr<MemoryModel> dram;
  std::unique_ptr<ComputeBlock> compute;
  YAML::Node resolved;  // every architecture parameter, defaults filled in
  const KindInfo& kind() const;  // the compute kind's declaration
};

// Reads and validates an architecture tree (with --set overrides) and builds the run's objects.
// Throws InputError for bad configs. Builds no SystemC module.
std::unique_ptr<RunContext> elaborate(YAML::Node root, const std::string& arch_path,
                                      const std::vector<std::string>& overrides);

// Elaborates the run's objects, checks every layer, simulates, prices, and collects per-layer
// results. Throws InputError for bad configs or layers the hardware cannot run. Any number of
// calls per process (they share one SystemC kernel, sim/hw/sim_kernel.hpp); not thread-safe:
// run parallel simulations in separate processes, or one after another in one.
RunOutput simulate(const RunRequest& request);

// The same, as the in-process API sweeps and tests call once per point.
struct Simulation {
  static RunOutput run(const RunRequest& request) { return simulate(request); }
};

}  // namespace accsim
