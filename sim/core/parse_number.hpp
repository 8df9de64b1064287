#pragma once
// Checked number parsing for every reader: the whole text must be the number, and a value that does
// not fit its type (or the range asked for) is an InputError naming the value and the range, never
// a silently truncated or wrapped number. No exceptions from the standard library escape.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/error.hpp"

namespace accsim {

// Decimal integer, optional leading '-' (and '+'); nullopt on anything else or on overflow.
std::optional<int64_t> parse_int64(std::string_view text);
std::optional<uint64_t> parse_uint64(std::string_view text);
// A finite decimal number (no inf/nan, no hex); nullopt otherwise.
std::optional<double> parse_finite_double(std::string_view text);

// Parses an integer in [lo, hi]; `what` names the value in the error ("wbits").
int64_t parse_int_in(std::string_view text, int64_t lo, int64_t hi, const SourceLocation& where,
                     const std::string& what);
// Throws unless lo <= v <= hi, with the same message as parse_int_in.
void check_int_in(int64_t v, int64_t lo, int64_t hi, const SourceLocation& where, const std::string& what);

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

}  // namespace accsim
