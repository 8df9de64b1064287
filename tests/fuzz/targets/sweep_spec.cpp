// Sweep specs: --grid options (one per line) and --shard.
#include "sim/app/sweep/sweep_spec.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({
  using namespace accsim::sweep;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Spec spec;
  size_t at = 0, values = 0;
  for (;;) {
    const auto next = text.find('\n', at);
    const std::string line = text.substr(at, next == std::string::npos ? std::string::npos : next - at);
    if (line.rfind("shard ", 0) == 0) {
      int i = 0, n = 0;
      parse_shard(line.substr(6), i, n);
    } else {
      spec.dims.push_back(parse_grid_option(line));
      // Each key may hold a million values (with --random, grids are not bounded by their size):
      // several such keys are valid but take seconds under ASan, which libFuzzer would call a hang.
      values += spec.dims.back().values.size();
      if (values >= 1000000) break;
    }
    if (next == std::string::npos) break;
    at = next + 1;
  }
  (void)spec.grid_size();
})
