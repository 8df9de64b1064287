#pragma once
// User-facing errors: every bad input becomes one line naming where it came from, and exit status 2.
#include <stdexcept>
#include <string>

namespace accsim {

// Where a value came from: a file and line (0 when unknown, e.g. a --set override) and a key path.
struct SourceLocation {
  std::string file;
  int line = 0;
  std::string key_path;
};

class InputError : public std::runtime_error {
 public:
  InputError(const SourceLocation& where, const std::string& what);
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

std::string format_location(const SourceLocation& where);

}  // namespace accsim
