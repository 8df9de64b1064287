#include "sim/workload/value_dist.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace accsim {
namespace {

constexpr int kQuantiles = 4096;  // midpoint quantiles: bit probabilities to about 1e-3
constexpr int kIntLimit = 65536;

int value_bits(const DType& t) { return t.is_float() ? 1 + t.exponent_bits + t.mantissa_bits : t.bits; }

bool is_e4m3(const DType& t) { return t.is_float() && t.exponent_bits == 4 && t.mantissa_bits == 3; }

uint64_t encode_float(double x, const DType& t) {
  const int e = t.exponent_bits, m = t.mantissa_bits;
  const uint64_t sign = std::signbit(x) ? uint64_t{1} << (e + m) : 0;
  const double a = std::fabs(x);
  const int bias = (1 << (e - 1)) - 1;
  // OCP E4M3 keeps the all-ones exponent for finite values (S.1111.111 is NaN); IEEE-style
  // formats reserve it for infinities.
  const int max_field = is_e4m3(t) ? (1 << e) - 1 : (1 << e) - 2;
  const uint64_t max_frac = is_e4m3(t) ? (uint64_t{1} << m) - 2 : (uint64_t{1} << m) - 1;
  const uint64_t max_pattern = (static_cast<uint64_t>(max_field) << m) | max_frac;
  if (a == 0) return sign;
  int exp2 = 0;
  std::frexp(a, &exp2);  // a = f * 2^exp2, f in [0.5, 1)
  int field = exp2 - 1 + bias;
  uint64_t pattern = 0;
  if (field <= 0) {  // subnormal: steps of 2^(1 - bias - m)
    pattern = static_cast<uint64_t>(std::nearbyint(std::ldexp(a, bias - 1 + m)));
  } else {
    const auto frac = static_cast<uint64_t>(std::nearbyint((std::ldexp(a, bias - field) - 1.0) * std::ldexp(1.0, m)));
    pattern = (static_cast<uint64_t>(field) << m) + frac;  // a carry out of frac bumps the exponent
  }
  return sign | std::min(pattern, max_pattern);
}

uint64_t encode_int(double x, const DType& t) {
  const bool is_signed = t.kind == DTypeKind::SignedInt;
  const double lo = is_signed ? -std::ldexp(1.0, t.bits - 1) : 0.0;
  const double hi = is_signed ? std::ldexp(1.0, t.bits - 1) - 1 : std::ldexp(1.0, t.bits) - 1;
  const auto q = static_cast<int64_t>(std::clamp(std::nearbyint(x), lo, hi));
  const uint64_t mask = t.bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << t.bits) - 1;
  return static_cast<uint64_t>(q) & mask;
}

// Standard normal quantile by bisection on erfc: slow but exact to double precision, and run
// once per (distribution, dtype).
double normal_quantile(double u) {
  double lo = -40, hi = 40;
  for (int i = 0; i < 80; ++i) {
    const double mid = 0.5 * (lo + hi);
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < u ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// Scale from a continuous value to integer codes: randn's 4 sigma, rand's 1, to the largest code.
double int_scale(const ValueDist& d, const DType& t) {
  const double top = t.kind == DTypeKind::SignedInt ? std::ldexp(1.0, t.bits - 1) - 1 : std::ldexp(1.0, t.bits) - 1;
  return d.kind == ValueDist::Kind::Randn ? top / 4.0 : top;
}

// The values, equally weighted, that stand for the distribution.
std::vector<double> representative_values(const ValueDist& d, const DType& t) {
  std::vector<double> v;
  if (d.kind == ValueDist::Kind::Ints) {
    for (int i = d.lo; i <= d.hi; ++i) v.push_back(i);
    return v;
  }
  const double scale = t.is_float() ? 1.0 : int_scale(d, t);
  for (int j = 0; j < kQuantiles; ++j) {
    const double u = (j + 0.5) / kQuantiles;
    v.push_back(scale * (d.kind == ValueDist::Kind::Randn ? normal_quantile(u) : u));
  }
  return v;
}

double compute_toggle_probability(const ValueDist& d, const DType& t) {
  if (d.kind == ValueDist::Kind::Zeros) return 0.0;
  const int bits = value_bits(t);
  std::vector<double> ones(static_cast<size_t>(bits), 0.0);
  const std::vector<double> values = representative_values(d, t);
  for (double x : values) {
    const uint64_t p = encode_value(x, t);
    for (int b = 0; b < bits; ++b) ones[static_cast<size_t>(b)] += static_cast<double>((p >> b) & 1U);
  }
  double sum = 0;
  for (double n : ones) {
    const double p = n / static_cast<double>(values.size());
    sum += 2.0 * p * (1.0 - p);
  }
  return sum / bits;
}

}  // namespace

std::string ValueDist::name() const {
  switch (kind) {
    case Kind::Randn: return "randn";
    case Kind::Rand: return "rand";
    case Kind::Zeros: return "zeros";
    case Kind::Ints: return "int:" + std::to_string(lo) + ":" + std::to_string(hi);
  }
  return "randn";
}

bool parse_value_dist(const std::string& text, ValueDist& out) {
  if (text == "randn" || text == "rand" || text == "zeros") {
    out = ValueDist{};
    out.kind = text == "randn" ? ValueDist::Kind::Randn : text == "rand" ? ValueDist::Kind::Rand : ValueDist::Kind::Zeros;
    return true;
  }
  if (text.rfind("int:", 0) != 0) return false;
  const std::string rest = text.substr(4);
  const size_t colon = rest.find(':', 1);
  if (colon == std::string::npos) return false;
  try {
    size_t used_lo = 0, used_hi = 0;
    const std::string lo_text = rest.substr(0, colon), hi_text = rest.substr(colon + 1);
    const int lo = std::stoi(lo_text, &used_lo), hi = std::stoi(hi_text, &used_hi);
    if (used_lo != lo_text.size() || used_hi != hi_text.size() || hi_text.empty()) return false;
    if (lo > hi || lo < -kIntLimit || hi > kIntLimit) return false;
    out = ValueDist{ValueDist::Kind::Ints, lo, hi};
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

ValueDist read_value_dist(const std::string& text, const SourceLocation& where) {
  ValueDist d;
  if (!parse_value_dist(text, d))
    throw InputError(where, "unknown data distribution '" + text + "' (known: " + value_dist_forms() + ")");
  return d;
}

uint64_t encode_value(double x, const DType& dtype) {
  return dtype.is_float() ? encode_float(x, dtype) : encode_int(x, dtype);
}

double bit_toggle_probability(const ValueDist& dist, const DType& dtype) {
  static std::mutex mutex;
  static std::map<std::string, double> memo;
  const std::string key = dist.name() + "/" + dtype.name;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = memo.find(key);
  if (it == memo.end()) it = memo.emplace(key, compute_toggle_probability(dist, dtype)).first;
  return it->second;
}

}  // namespace accsim
