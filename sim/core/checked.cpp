#include "sim/core/checked.hpp"

namespace accsim {

void throw_count_overflow(const SourceLocation& where, const std::string& what) {
  throw InputError(where, what + " overflows a 64-bit count (the input is too large to simulate)");
}

}  // namespace accsim
