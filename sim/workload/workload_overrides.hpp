#pragma once
// Workload-wide settings given on the command line (`accsim run --workload-set key=value`), so a
// sweep can vary the compression of a whole trace: prune, dtype, wbits, abits, acc, seed.
#include <string>
#include <vector>

#include "sim/workload/layer.hpp"

namespace accsim {

// The keys --workload-set accepts, in the order they are applied (dtype first, so wbits/abits refine it).
const std::vector<std::string>& workload_override_keys();

// Applies `key=value` settings to every layer they concern: prune/seed/wbits to layers with weights
// (activation x activation matmuls have none), abits/dtype/acc to all. A prune setting replaces the
// layer's compression, mask side file included. Throws InputError naming --workload-set.
void apply_workload_overrides(Workload& workload, const std::vector<std::string>& settings);

}  // namespace accsim
