#pragma once
// Where named data files (energy tables) are found, so an architecture file says
// `energy_table: 45nm` and runs from any folder. No path is compiled into the binary.
#include <string>
#include <vector>

namespace accsim {

// The built-in configs/energy folder: configs/energy next to the executable or in one of its
// three nearest parent folders (a build tree: build/accsim, build/tests/test_unit), or
// share/accsim/configs/energy under them (an install prefix). Empty when none exists.
std::string builtin_energy_dir();

struct ResolvedTable {
  std::string path;      // the file to load
  std::string portable;  // how resolved_config.yaml names it: the name when found by name or in
                         // the built-in folder, else the absolute path
};

// `value` is a name (no '/', no .yaml/.yml suffix) or a path. A path is relative to `arch_dir`.
// A name NAME is looked up as NAME.yaml in: `arch_dir`, each folder of $ACCSIM_PATH
// (colon-separated; also its energy/ subfolder), then the built-in folder. Throws InputError
// (without a location; the caller adds it) listing the folders tried.
ResolvedTable resolve_energy_table(const std::string& value, const std::string& arch_dir);

}  // namespace accsim
