#pragma once
// Looks up a suite's metric in `accsim run --format json` output.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace accsim::validate {

// `path` is dotted (total.cycles, layers.conv1.cycles, total.counters.sram.ifmap.read_bytes: keys
// may themselves hold dots, the longest key that matches wins), or PATH/PATH for a ratio.
// `layers.<name>` picks the layer of that name; `total.energy.<c>` reads energy_breakdown_pj.<c>.
// Returns nothing when the path does not lead to a number; `why` then says where it stopped.
std::optional<double> metric_value(const nlohmann::json& run, const std::string& path, std::string* why);

}  // namespace accsim::validate
