#pragma once
// `accsim help CMD` and `accsim CMD --help`: every option of every command, one line each.
#include <string>

namespace accsim {

// The options of `command`, each as "  --flag ARG   meaning" lines; "" for a command without a text.
std::string command_options_help(const std::string& command);

}  // namespace accsim
