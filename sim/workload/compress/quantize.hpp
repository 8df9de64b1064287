#pragma once
// Weight quantization: integers (per-tensor or per-channel scale, symmetric or asymmetric) and the
// float formats FP8 E4M3/E5M2, FP16, BF16 (round to nearest even, saturating at the largest finite).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/dtype.hpp"

namespace accsim {

struct QuantSpec {
  DType format;
  bool per_channel = false;  // one scale per output channel (weight row) instead of per tensor
  bool asymmetric = false;   // integers only: a zero point per scale
  int64_t group_size = 0;    // > 0: one scale per this many consecutive weights of a row (GPTQ/AWQ groups)
};

struct QuantResult {
  std::vector<uint8_t> codes;  // ceil(bits/8) little-endian bytes per element
  std::vector<float> scales;   // per tensor (1), per row, or per row group; 1.0 for FP16/BF16
  std::vector<int32_t> zero_points;
  double rel_l2_error = 0;     // ||w - dequant(q)|| / ||w|| over all elements
};

// Quantizes a rows x cols row-major tensor. Supports int2..int16, fp8_e4m3, fp8_e5m2, fp16, bf16;
// throws InputError for any other format.
QuantResult quantize(const std::vector<float>& w, int64_t rows, int64_t cols, const QuantSpec& spec);
// Whether `quantize` supports the format (for option checking before any work).
bool quantizable(const DType& t);

// A float format's code for x (after saturation) and its value: exposed for tests.
uint32_t float_code(double x, int exp_bits, int man_bits, double max_finite);
double float_value(uint32_t code, int exp_bits, int man_bits);
double float_max_finite(const DType& t);

}  // namespace accsim
