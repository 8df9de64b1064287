#include "sim/workload/compress/quantize.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/error.hpp"

namespace accsim {

bool quantizable(const DType& t) {
  if (t.is_integer()) return t.kind == DTypeKind::SignedInt && t.bits >= 2 && t.bits <= 16;
  return t.name == "fp8_e4m3" || t.name == "fp8_e5m2" || t.name == "fp16" || t.name == "bf16";
}

double float_max_finite(const DType& t) {
  // OCP FP8 spec v1.0: E4M3 has no infinities and tops out at 448; E5M2 is IEEE-like (57344).
  if (t.name == "fp8_e4m3") return 448.0;
  if (t.name == "fp8_e5m2") return 57344.0;
  if (t.name == "fp16") return 65504.0;
  return std::ldexp(2.0 - std::ldexp(1.0, -7), 127);  // bf16
}

uint32_t float_code(double x, int e, int m, double max_finite) {
  const uint32_t sign = std::signbit(x) ? 1u : 0u;
  double a = std::min(std::fabs(x), max_finite);
  uint32_t mag = 0;
  if (a > 0) {
    const int bias = (1 << (e - 1)) - 1;
    int exp2 = 0;
    std::frexp(a, &exp2);
    int unbiased = exp2 - 1;  // a = 1.f x 2^unbiased
    if (unbiased < 1 - bias) {
      // Subnormal: quantum 2^(1-bias-m); a rounded count of quanta is the code itself (a carry into
      // 2^m lands exactly on the smallest normal's encoding).
      mag = static_cast<uint32_t>(std::nearbyint(std::ldexp(a, bias - 1 + m)));
    } else {
      auto q = static_cast<uint32_t>(std::nearbyint(std::ldexp(a, m - unbiased)));
      if (q == (2u << m)) {
        q = 1u << m;
        ++unbiased;
      }
      mag = (static_cast<uint32_t>(unbiased + bias) << m) | (q - (1u << m));
    }
  }
  return (sign << (e + m)) | mag;
}

double float_value(uint32_t code, int e, int m) {
  const int bias = (1 << (e - 1)) - 1;
  const uint32_t sign = (code >> (e + m)) & 1u, field = (code >> m) & ((1u << e) - 1), man = code & ((1u << m) - 1);
  const double v = field == 0 ? std::ldexp(static_cast<double>(man), 1 - bias - m)
                              : std::ldexp(static_cast<double>(man | (1u << m)), static_cast<int>(field) - bias - m);
  return sign ? -v : v;
}

QuantResult quantize(const std::vector<float>& w, int64_t rows, int64_t cols, const QuantSpec& spec) {
  const DType& t = spec.format;
  if (!quantizable(t)) throw InputError("cannot quantize weights to " + t.name + " (supported: int2..int16, fp8_e4m3, fp8_e5m2, fp16, bf16)");
  if (spec.asymmetric && t.is_float()) throw InputError("asymmetric quantization applies to integer formats only, not " + t.name);
  QuantResult r;
  const size_t bytes = (static_cast<size_t>(t.bits) + 7) / 8;
  r.codes.assign(w.size() * bytes, 0);
  // Scale groups: the tensor, each row, or runs of group_size along each row (the last one ragged).
  const int64_t per_row = spec.group_size > 0 ? (cols + spec.group_size - 1) / spec.group_size : 1;
  const int64_t groups = spec.group_size > 0 ? rows * per_row : spec.per_channel ? rows : 1;
  double err2 = 0, norm2 = 0;
  const bool fp_unscaled = t.name == "fp16" || t.name == "bf16";
  for (int64_t g = 0; g < groups; ++g) {
    size_t base = 0;
    int64_t per_group = rows * cols;
    if (spec.group_size > 0) {
      const int64_t c0 = (g % per_row) * spec.group_size;
      base = static_cast<size_t>((g / per_row) * cols + c0);
      per_group = std::min(spec.group_size, cols - c0);
    } else if (spec.per_channel) {
      base = static_cast<size_t>(g * cols);
      per_group = cols;
    }
    float lo = 0, hi = 0;
    for (int64_t i = 0; i < per_group; ++i) {
      lo = std::min(lo, w[base + i]);
      hi = std::max(hi, w[base + i]);
    }
    const double amax = std::max(-static_cast<double>(lo), static_cast<double>(hi));
    double scale = 1.0;
    int32_t zp = 0;
    int64_t qmin = 0, qmax = 0;
    if (t.is_integer()) {
      qmax = (int64_t{1} << (t.bits - 1)) - 1;
      if (spec.asymmetric) {
        // Asymmetric: the range [lo, hi] (always holding 0) maps onto all 2^b codes.
        qmin = -qmax - 1;
        scale = (static_cast<double>(hi) - lo) / static_cast<double>(qmax - qmin);
        if (scale > 0) zp = static_cast<int32_t>(qmin - std::llround(lo / scale));
      } else {
        // Symmetric: a narrow range [-qmax, qmax] keeps zero exactly representable.
        qmin = -qmax;
        scale = amax / static_cast<double>(qmax);
      }
    } else if (!fp_unscaled) {
      scale = amax / float_max_finite(t);  // FP8 needs a scale to use its small range well
    }
    if (!(scale > 0)) scale = 1.0;
    r.scales.push_back(static_cast<float>(scale));
    r.zero_points.push_back(zp);
    if (t.is_integer()) {
      // Round half to even (the default FP rounding mode), as hardware quantizers do.
      const double inv = 1.0 / scale;
      for (int64_t i = 0; i < per_group; ++i) {
        const double x = w[base + i];
        const int64_t q = std::clamp<int64_t>(std::lrint(x * inv) + zp, qmin, qmax);
        const double back = static_cast<double>(q - zp) * scale;
        if (bytes == 1) {
          r.codes[base + i] = static_cast<uint8_t>(q);
        } else {
          for (size_t b = 0; b < bytes; ++b) r.codes[(base + i) * bytes + b] = static_cast<uint8_t>(static_cast<uint64_t>(q) >> (8 * b));
        }
        err2 += (x - back) * (x - back);
        norm2 += x * x;
      }
      continue;
    }
    for (int64_t i = 0; i < per_group; ++i) {
      const double x = w[base + i];
      uint32_t code = 0;
      double back = 0;
      {
        code = float_code(x / scale, t.exponent_bits, t.mantissa_bits, float_max_finite(t));
        back = float_value(code, t.exponent_bits, t.mantissa_bits) * scale;
      }
      for (size_t b = 0; b < bytes; ++b) r.codes[(base + i) * bytes + b] = static_cast<uint8_t>(code >> (8 * b));
      err2 += (x - back) * (x - back);
      norm2 += x * x;
    }
  }
  r.rel_l2_error = norm2 > 0 ? std::sqrt(err2 / norm2) : 0.0;
  return r;
}

}  // namespace accsim
