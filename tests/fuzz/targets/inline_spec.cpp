// Inline workloads (gemm:m=..,prune=..) and --workload-set overrides.
#include "sim/workload/trace.hpp"
#include "sim/workload/workload_overrides.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // First line: the spec; further lines: --workload-set assignments.
  const auto nl = text.find('\n');
  Workload w = parse_inline_workload(text.substr(0, nl));
  std::vector<std::string> sets;
  for (size_t at = nl; at != std::string::npos && at < text.size();) {
    const auto next = text.find('\n', at + 1);
    sets.push_back(text.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1));
    at = next;
  }
  apply_workload_overrides(w, sets);
  for (const auto& l : w.layers) check_layer_size(l);
})
