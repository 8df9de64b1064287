#include "sim/core/input_file.hpp"

#include <filesystem>

#include "sim/core/error.hpp"

namespace accsim {

std::ifstream open_input_file(const std::string& path, const std::string& what, std::ios::openmode mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(SourceLocation{path, 0, ""}, "is a directory, not a " + what);
  std::ifstream in(path, mode);
  if (!in) throw InputError(SourceLocation{path, 0, ""}, "cannot open " + what);
  return in;
}

}  // namespace accsim
