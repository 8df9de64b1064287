#include "sim/core/error.hpp"

#include <sstream>

namespace accsim {

std::string format_location(const SourceLocation& where) {
  std::ostringstream out;
  out << (where.file.empty() ? std::string("<input>") : where.file);
  if (where.line > 0) out << ":" << where.line;
  if (!where.key_path.empty()) out << ": " << where.key_path;
  return out.str();
}

InputError::InputError(const SourceLocation& where, const std::string& what)
    : std::runtime_error(format_location(where) + ": " + what) {}

}  // namespace accsim
