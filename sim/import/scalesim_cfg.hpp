#pragma once
// Reads a SCALE-Sim (v2) architecture .cfg file into accsim's architecture tree, so SCALE-Sim users
// can run their existing configs. See docs/scalesim.md for the key mapping.
#include <string>

#include <yaml-cpp/yaml.h>

namespace accsim {

YAML::Node scalesim_cfg_to_arch(const std::string& path);

}  // namespace accsim
