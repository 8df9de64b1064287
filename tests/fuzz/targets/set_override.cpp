// --set key.path=value overrides (one per line) applied to a shipped architecture, then elaborated.
#include "sim/hw/accelerator.hpp"
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
  (void)elaborate(load_arch_tree(path), path, sets);
})
