#pragma once
// Overflow-checked arithmetic for cycle, byte and MAC counts: an overflow is a located InputError
// (exit 2) naming what was being counted, never a wrapped number.
#include <cmath>
#include <cstdint>
#include <string>

#include "sim/core/error.hpp"

namespace accsim {

[[noreturn]] void throw_count_overflow(const SourceLocation& where, const std::string& what);

inline int64_t checked_mul(int64_t a, int64_t b, const SourceLocation& where, const std::string& what) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw_count_overflow(where, what);
  return r;
}

inline int64_t checked_add(int64_t a, int64_t b, const SourceLocation& where, const std::string& what) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw_count_overflow(where, what);
  return r;
}

inline uint64_t checked_mul(uint64_t a, uint64_t b, const SourceLocation& where, const std::string& what) {
  uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw_count_overflow(where, what);
  return r;
}

inline uint64_t checked_add(uint64_t a, uint64_t b, const SourceLocation& where, const std::string& what) {
  uint64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw_count_overflow(where, what);
  return r;
}

// A non-negative finite double (cycles from latency x clock, say) as a 64-bit count; past 2^63 or
// not finite is an overflow error rather than undefined behaviour in the cast.
inline int64_t checked_count(double v, const SourceLocation& where, const std::string& what) {
  if (!std::isfinite(v) || v < 0 || v >= 9.2e18) throw_count_overflow(where, what);
  return static_cast<int64_t>(v);
}

}  // namespace accsim
