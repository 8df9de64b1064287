#pragma once
// Where a layer's nonzero weights are. Sparse hardware models time their work from real masks,
// not average densities, because imbalance and bank conflicts depend on positions.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/workload/bit_mask.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

// Row-major rows x cols mask of the weight operand as the GEMM sees it (rows = output channels or
// features, cols = reduction length K); a set bit = kept. One bit per weight (bit_mask.hpp).
struct WeightMask {
  int64_t rows = 0, cols = 0;
  BitMask keep;

  bool at(int64_t r, int64_t c) const { return keep.test(static_cast<size_t>(r * cols + c)); }
  int64_t nonzeros() const { return keep.count(); }
  // Kept weights in columns [c0, c1) of row r.
  int64_t row_nonzeros(int64_t r, int64_t c0, int64_t c1) const {
    return keep.count(static_cast<size_t>(r * cols + c0), static_cast<size_t>(r * cols + c1));
  }
  // Whether every group of `group` consecutive columns (aligned to the row start; cols % group
  // must be 0) keeps at most `limit` weights: an N:M conformance check done on whole words.
  bool groups_at_most(int64_t group, int64_t limit) const;
  double density() const { return rows * cols != 0 ? static_cast<double>(nonzeros()) / static_cast<double>(rows * cols) : 0.0; }
};

// Deterministic synthetic weights: Laplace-distributed with scale 1/sqrt(fan-in). Each weight is a
// 16-bit code (bit 15 the sign, bits 0-11 one of 4096 equal-probability magnitude bins of the
// Laplace inverse CDF, bits 12-14 unused); codes come four to a wyrand output of a counter (block = index / 4), so
// any range can be generated on its own. Magnitudes increase strictly with the bin, so comparing
// codes' bins orders weights exactly as comparing |w|.
std::vector<float> synthetic_weights(int64_t rows, int64_t cols, uint64_t seed);
constexpr uint32_t kSyntheticBins = 4096, kSyntheticBinMask = 0x0fffu;
inline uint64_t synthetic_block(uint64_t seed, uint64_t block) {
  // wyrand (Wang Yi's generator: its state is a counter stepped by a constant, mixed by one 64x64->128
  // multiply), so block b of a tensor is the b-th output from the tensor's seed: any range of weights
  // can be generated on its own (in parallel, or twice) with the same values.
  const uint64_t s = seed * 0x2545F4914F6CDD1DULL + block * 0xa0761d6478bd642fULL;
  const unsigned __int128 t = static_cast<unsigned __int128>(s) * (s ^ 0xe7037ed1a0b428dbULL);
  return static_cast<uint64_t>(t >> 64) ^ static_cast<uint64_t>(t);
}
void synthetic_codes(uint64_t seed, uint64_t first, size_t n, uint16_t* out);
double synthetic_magnitude(uint16_t code);        // |w| / scale of a code
float synthetic_value(uint16_t code, double scale);
double synthetic_scale(int64_t cols);             // 1 / sqrt(fan-in)
// The seed of a layer's synthetic weights: the compression seed mixed with the layer name, so every
// layer of a network gets its own weights (used by weight_mask() and by `accsim trace`).
uint64_t synthetic_seed(uint64_t seed, const std::string& layer_name);

// Magnitude pruning of `weights` (rows x cols) to the compression's pattern and density.
// Throws InputError at `where` for impossible patterns (bank size not dividing the row, ...).
WeightMask prune_by_magnitude(const std::vector<float>& weights, int64_t rows, int64_t cols, const Compression& c,
                              const SourceLocation& where);

// The weight mask of a layer: from its mask side file when the trace names one, else synthetic
// weights pruned as its compression says. Dense layers give an all-ones mask.
std::shared_ptr<const WeightMask> weight_mask(const Layer& layer);
// Rows and columns of a layer's weight operand (all conv groups stacked as rows).
void weight_shape(const Layer& layer, int64_t& rows, int64_t& cols);

}  // namespace accsim
