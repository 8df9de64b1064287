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
};

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

// Builds the SystemC model, checks every layer, simulates, and collects per-layer results.
// Throws InputError for bad configs or layers the hardware cannot run. One call per process:
// SystemC cannot elaborate a second design after simulation has started.
RunOutput simulate(const RunRequest& request);

}  // namespace accsim
