#pragma once
// The fast path of `accsim trace` for synthetic weights: N:M (or no) pruning and symmetric integer
// quantization computed on the weights' 16-bit codes (weight_mask.hpp) instead of floats. Masks come
// out bit-packed (the side-file layout) and magnitudes are summed through a per-layer histogram of
// the 4096 magnitude bins, so a weight costs a few integer operations. Gives the same masks as
// prune_by_magnitude() on synthetic_weights() (tested), which the simulator rebuilds from the seed.
#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/dtype.hpp"
#include "sim/workload/compress/prune.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

struct FastQuant {
  DType format;            // a signed integer format
  bool per_channel = false;
  int64_t group_size = 0;  // > 0: one scale per this many weights of a row
};

struct FastLayer {
  std::vector<uint8_t> mask_bits;  // ceil(rows*cols/8) bytes, element i = bit i%8 of byte i/8 (pruned layers)
  int64_t nonzeros = 0;
  KeptMagnitude kept;
  double quant_rel_l2_error = 0;
};

// Whether the fast path computes this layer (else the general float path does).
bool fast_path_applies(const Compression& c, const std::optional<DType>& format, bool per_channel, bool asymmetric);

// Tests clear it to run the SSE2 word kernel on a CPU with AVX2 (both give identical results).
extern std::atomic<bool> avx2_word_kernel_allowed;

FastLayer fast_synthetic_layer(int64_t rows, int64_t cols, uint64_t seed, const Compression& c, const std::optional<FastQuant>& q);

}  // namespace accsim
