#include "sim/hw/mac/mac_unit.hpp"

namespace accsim {

Registry<MacFactory>& mac_registry() {
  static Registry<MacFactory> r("MAC kind");
  return r;
}

MacRegistrar::MacRegistrar(KindInfo info, MacFactory factory) {
  info.params = [factory](ConfigNode& node) { factory(node); };
  mac_registry().add(std::move(info), std::move(factory));
}

std::unique_ptr<MacUnit> make_mac_unit(ConfigNode& node) {
  const auto& kind = mac_registry().select(node, "kind", "fixed", "MAC unit model");
  auto unit = kind.item(node);
  node.finish();
  return unit;
}

}  // namespace accsim
