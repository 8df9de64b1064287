#pragma once
// Reads the `dram:` keys of `kind: timing` (a preset plus overrides) into a DramTimingSpec.
#include "sim/core/config.hpp"
#include "sim/hw/memory/dram_timing_spec.hpp"

namespace accsim {

DramTimingSpec read_dram_timing(ConfigNode& node);

}  // namespace accsim
