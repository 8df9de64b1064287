#include "sim/hw/common/compute_block.hpp"

namespace accsim {

Registry<ComputeFactory>& compute_registry() {
  static Registry<ComputeFactory> r("compute kind");
  return r;
}

std::unique_ptr<ComputeBlock> make_compute_block(ConfigNode& node, const ArchContext& arch, MemoryModel& dram) {
  const auto& kind = compute_registry().select(node, "kind", "", "compute model");
  if (!supports_mode(kind.info, arch.sim_mode)) {
    std::string modes;
    for (const auto& m : kind.info.modes) modes += (modes.empty() ? "" : ", ") + m;
    throw InputError(arch.sim_mode_where, "compute.kind '" + kind.info.name + "' does not support sim.mode=" +
                                              arch.sim_mode + " (supported: " + modes + ")");
  }
  auto block = kind.item(node, arch, dram);
  block->kind_ = kind.info.name;
  node.finish();
  return block;
}

void layer_error(const Layer& layer, const std::string& message) {
  throw InputError(layer.origin, "layer '" + layer.name + "': " + message);
}

}  // namespace accsim
