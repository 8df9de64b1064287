#include "sim/core/parse_number.hpp"

#include <charconv>
#include <cmath>

namespace accsim {

namespace {

std::string_view strip_plus(std::string_view t) {
  if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
  return t;
}

// "a positive integer", "an integer", "an integer in 1..32": how the range reads in a message.
std::string range_text(int64_t lo, int64_t hi) {
  const bool wide = hi == kInt64Max || hi == kInt32Max;
  if (lo == 1 && wide) return "a positive integer";
  if (lo == 0 && wide) return "a non-negative integer";
  if ((lo == INT32_MIN && hi == kInt32Max) || (lo == INT64_MIN && hi == kInt64Max)) return "an integer";
  return "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
}

// Why an in-syntax value is out of range, when the range text does not say it.
std::string limit_note(int64_t hi, bool too_big) {
  if (!too_big) return "";
  if (hi == kInt64Max) return " (does not fit a 64-bit integer)";
  if (hi == kInt32Max) return " (does not fit a 32-bit integer)";
  return "";
}

// Long inputs are cut in messages so an error stays one readable line.
std::string shown(std::string_view text) {
  if (text.size() <= 60) return std::string(text);
  return std::string(text.substr(0, 60)) + "... (" + std::to_string(text.size()) + " characters)";
}

}  // namespace

std::optional<int64_t> parse_int64(std::string_view text) {
  text = strip_plus(text);
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<uint64_t> parse_uint64(std::string_view text) {
  text = strip_plus(text);
  uint64_t v = 0;
  if (!text.empty() && text[0] == '-') return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_finite_double(std::string_view text) {
  text = strip_plus(text);
  double v = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::general);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

void check_int_in(int64_t v, int64_t lo, int64_t hi, const SourceLocation& where, const std::string& what) {
  if (v < lo || v > hi)
    throw InputError(where, what + " must be " + range_text(lo, hi) + ", got " + std::to_string(v) +
                                limit_note(hi, v > hi));
}

int64_t parse_int_in(std::string_view text, int64_t lo, int64_t hi, const SourceLocation& where,
                     const std::string& what) {
  const auto v = parse_int64(text);
  const bool digits = !text.empty() && text.find_first_not_of("+-0123456789") == std::string_view::npos;
  if (!v || *v < lo || *v > hi) {
    const bool too_big = (!v && digits && text[0] != '-') || (v && *v > hi);
    const bool too_small = (!v && digits && text[0] == '-');
    throw InputError(where, what + " must be " + range_text(lo, hi) + ", got '" + shown(text) + "'" +
                                (too_small ? std::string(" (does not fit a 64-bit integer)") : limit_note(too_big && !v ? kInt64Max : hi, too_big)));
  }
  return *v;
}

}  // namespace accsim
