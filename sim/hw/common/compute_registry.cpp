#include "sim/hw/common/compute_block.hpp"

#include <stdexcept>

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

ActionDecl mac_action_decl() {
  return {"mac.*", "MAC", "mac", "one multiply-accumulate at the precision in the name: mac.kind's energy per MAC"};
}

ActionDecl rf_action_decl() {
  return {"rf.bytes", "byte", "rf", "register-file byte read or written: energy table register.pj_per_byte"};
}

std::string mac_action(const Precision& p) {
  return "mac." + p.weights.name + "x" + p.activations.name + ".acc_" + p.accumulators.name;
}

bool parse_mac_action(const std::string& action, Precision& p) {
  if (action.rfind("mac.", 0) != 0) return false;
  const auto x = action.find('x', 4);
  const auto acc = action.find(".acc_", 4);
  if (x == std::string::npos || acc == std::string::npos || acc < x) return false;
  return parse_dtype(action.substr(4, x - 4), p.weights) && parse_dtype(action.substr(x + 1, acc - x - 1), p.activations) &&
         parse_dtype(action.substr(acc + 5), p.accumulators);
}

double ComputeBlock::unit_price_pj(const std::string& action) const {
  Precision p;
  if (parse_mac_action(action, p)) return arch_.mac->energy_pj_per_mac(p, arch_.energy);
  if (action == "rf.bytes") return arch_.energy.register_pj_per_byte();
  throw std::logic_error("compute kind '" + kind() + "' has no price for action '" + action + "'");
}

void layer_error(const Layer& layer, const std::string& message) {
  throw InputError(layer.origin, "layer '" + layer.name + "': " + message);
}

}  // namespace accsim
