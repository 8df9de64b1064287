// --set key.path=value overrides applied to a shipped architecture, then the whole tree read.
#include "sim/hw/accelerator.hpp"
#include "sim/hw/common/compute_block.hpp"
#include "tests/fuzz/fuzz_common.hpp"


ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> sets;
  for (size_t at = 0; at <= text.size();) {
    const auto next = text.find('\n', at);
    sets.push_back(text.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos) break;
    at = next + 1;
  }
  const std::string path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/systolic-32x32.yaml";
  ArchContext arch;
  ConfigNode top = open_config(load_arch_tree(path), path, sets);
  read_arch_common(top, path, arch);
  ConfigNode mac_node = top.child("mac", "MAC lane model");
  arch.mac = make_mac_unit(mac_node);
  ConfigNode compute_node = top.child("compute", "compute block");
  DramChannel dram("dram", arch.dram);
  auto block = make_compute_block(compute_node, arch, dram);
  top.finish();
})
