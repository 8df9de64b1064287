#pragma once
// The layer entries of a trace written by `accsim trace` (trace format v1, docs/trace-format.md).
#include <string>

#include "sim/workload/compress/pass_layer.hpp"

namespace accsim {

// One `layers:` entry; the compression block names the side file and its checksum when the layer
// has an entry there.
std::string layer_yaml(const PassLayer& layer, const std::string& side_name, const std::string& checksum);
// A double-quoted YAML scalar (backslashes, quotes and control characters escaped).
std::string yaml_quote(const std::string& text);
// %.6g: short, and stable across platforms for the values traces hold.
std::string yaml_number(double v);

}  // namespace accsim
