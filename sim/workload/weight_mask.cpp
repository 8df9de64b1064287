#include "sim/workload/weight_mask.hpp"

#include <unistd.h>
#include "sim/core/progress_note.hpp"
#include "sim/workload/side_file.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace accsim {

namespace {

// Keeps the `keep` largest scores; ties go to the lower index so results never depend on sort order.
std::vector<size_t> top_indices(const std::vector<double>& score, size_t keep) {
  std::vector<size_t> idx(score.size());
  std::iota(idx.begin(), idx.end(), 0);
  keep = std::min(keep, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(keep), idx.end(), [&](size_t a, size_t b) {
    return score[a] != score[b] ? score[a] > score[b] : a < b;
  });
  idx.resize(keep);
  return idx;
}

size_t rounded(double x) { return static_cast<size_t>(std::llround(x)); }

// |x| as an integer key: for non-negative floats the bit pattern orders like the value.
uint32_t magnitude_key(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  return u & 0x7FFFFFFFu;
}

// Sets keep[i] for the k largest |w_i| (ties to the lower index, as top_indices), from
// `for_each(f)` which calls f(i, w_i) for every weight in index order. Three passes with a 64K-entry
// histogram (a radix select on the 32-bit magnitude keys): the working set is bounded (512 KiB)
// whatever the layer size, instead of the 16 bytes per weight of sorting scores and indices.
template <class ForEach>
void keep_top_k(ForEach&& for_each, size_t n, size_t k, BitMask& keep) {
  if (k == 0) return;
  if (k >= n) {
    keep.assign(n, true);
    return;
  }
  std::vector<uint64_t> hist(65536, 0);
  for_each([&](size_t, float x) { ++hist[magnitude_key(x) >> 16]; });
  size_t above = 0;  // weights strictly above the buckets chosen so far
  uint32_t hi = 65535;
  for (;; --hi) {
    if (above + hist[hi] >= k) break;
    above += hist[hi];
  }
  std::fill(hist.begin(), hist.end(), 0);
  for_each([&](size_t, float x) {
    const uint32_t u = magnitude_key(x);
    if ((u >> 16) == hi) ++hist[u & 0xFFFF];
  });
  uint32_t lo = 65535;
  for (;; --lo) {
    if (above + hist[lo] >= k) break;
    above += hist[lo];
  }
  const uint32_t threshold = hi << 16 | lo;
  size_t ties = k - above;  // weights equal to the threshold still to keep, lowest index first
  for_each([&](size_t i, float x) {
    const uint32_t u = magnitude_key(x);
    if (u > threshold || (u == threshold && ties > 0 && ties--)) keep.set(i);
  });
}

// Calls f(i, w_i) for the synthetic weights of synthetic_weights(), without storing them: one
// 64-bit draw gives four 16-bit codes, each a table lookup (synthetic_value), so no transcendental
// call per weight.
template <class F>
void for_each_synthetic_weight(int64_t rows, int64_t cols, uint64_t seed, F&& f) {
  const double scale = synthetic_scale(cols);
  const size_t n = static_cast<size_t>(rows * cols);
  for (size_t b = 0; b < n; b += 4) {
    const uint64_t h = synthetic_block(seed, b / 4);
    for (size_t lane = 0; lane < 4 && b + lane < n; ++lane)
      f(b + lane, synthetic_value(static_cast<uint16_t>(h >> (16 * lane)), scale));
  }
}

}  // namespace

namespace {

// Magnitudes of |Laplace(0, 1)| at the midpoints of 4096 equal-probability bins: the inverse CDF
// -ln(1 - u), u = (i + 0.5) / 4096, strictly increasing. 4096 bins keep the fast path's per-layer
// histogram (2 x 4096 counters) inside the L1 cache. Built once; a weight is a table lookup,
// so generating one costs no transcendental call.
const std::vector<double>& laplace_table() {
  static const std::vector<double> t = [] {
    std::vector<double> v(kSyntheticBins);
    for (size_t i = 0; i < v.size(); ++i) v[i] = -std::log(1.0 - (static_cast<double>(i) + 0.5) / static_cast<double>(kSyntheticBins));
    return v;
  }();
  return t;
}

}  // namespace

void synthetic_codes(uint64_t seed, uint64_t first, size_t n, uint16_t* out) {
  size_t i = 0;
  if (first % 4 == 0)
    for (; i + 4 <= n; i += 4) {
      const uint64_t h = synthetic_block(seed, (first + i) / 4);
      // Lane j is bits 16j..16j+15 of h: little-endian order, as the loop below extracts them.
      for (int lane = 0; lane < 4; ++lane) out[i + static_cast<size_t>(lane)] = static_cast<uint16_t>(h >> (16 * lane));
    }
  while (i < n) {
    const uint64_t e = first + i, block = e / 4;
    const uint64_t h = synthetic_block(seed, block);
    for (uint64_t lane = e % 4; lane < 4 && i < n; ++lane, ++i) out[i] = static_cast<uint16_t>(h >> (16 * lane));
  }
}

double synthetic_magnitude(uint16_t code) { return laplace_table()[code & kSyntheticBinMask]; }

float synthetic_value(uint16_t code, double scale) {
  const auto m = static_cast<float>(laplace_table()[code & kSyntheticBinMask] * scale);
  return (code & 0x8000u) ? -m : m;
}

double synthetic_scale(int64_t cols) { return 1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(cols, 1))); }

std::vector<float> synthetic_weights(int64_t rows, int64_t cols, uint64_t seed) {
  std::vector<float> w(static_cast<size_t>(rows * cols));
  for_each_synthetic_weight(rows, cols, seed, [&](size_t i, float x) { w[i] = x; });
  return w;
}

WeightMask prune_by_magnitude(const std::vector<float>& w, int64_t rows, int64_t cols, const Compression& c,
                              const SourceLocation& where) {
  WeightMask m;
  m.rows = rows;
  m.cols = cols;
  m.keep.assign(static_cast<size_t>(rows * cols), false);
  auto mag = [&](int64_t r, int64_t k) { return std::fabs(static_cast<double>(w[static_cast<size_t>(r * cols + k)])); };
  switch (c.pattern) {
    case SparsityPattern::Dense:
      m.keep.assign(m.keep.size(), true);
      break;
    case SparsityPattern::Unstructured: {
      const size_t n = m.keep.size();
      keep_top_k([&](auto&& f) { for (size_t i = 0; i < n; ++i) f(i, w[i]); }, n,
                 rounded(c.density * static_cast<double>(n)), m.keep);
      break;
    }
    case SparsityPattern::Block: {
      const int64_t br = c.block_rows, bc = c.block_cols;
      const int64_t nbr = (rows + br - 1) / br, nbc = (cols + bc - 1) / bc;
      std::vector<double> score(static_cast<size_t>(nbr * nbc), 0.0);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t k = 0; k < cols; ++k) score[static_cast<size_t>((r / br) * nbc + k / bc)] += mag(r, k);
      for (size_t b : top_indices(score, rounded(c.density * static_cast<double>(score.size())))) {
        const int64_t r0 = static_cast<int64_t>(b) / nbc * br, k0 = static_cast<int64_t>(b) % nbc * bc;
        for (int64_t r = r0; r < std::min(rows, r0 + br); ++r)
          for (int64_t k = k0; k < std::min(cols, k0 + bc); ++k) m.keep.set(static_cast<size_t>(r * cols + k));
      }
      break;
    }
    case SparsityPattern::BankBalanced:
    case SparsityPattern::NM: {
      // Both keep the top entries of fixed-size groups along each row: a bank keeps
      // round(density x bank) of its bank_size entries; an N:M group keeps N of M.
      const bool bank = c.pattern == SparsityPattern::BankBalanced;
      const int64_t group = bank ? c.bank_size : c.nm_m;
      if (bank && cols % group != 0)
        throw InputError(where, "bank size " + std::to_string(group) + " does not divide the row length " +
                                    std::to_string(cols));
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t k0 = 0; k0 < cols; k0 += group) {
          const int64_t len = std::min(group, cols - k0);
          const size_t keep = bank ? rounded(c.density * static_cast<double>(len))
                                   : static_cast<size_t>(std::min<int64_t>(c.nm_n, len));
          const size_t base = static_cast<size_t>(r * cols + k0);
          if (len <= 16) {
            // Small groups (N:M, small banks): an element is kept when fewer than `keep` others beat
            // it (larger |w|, or equal |w| at a lower index): the same choice as top_indices, no allocation.
            for (int64_t i = 0; i < len; ++i) {
              const float a = std::fabs(w[base + i]);
              size_t better = 0;
              for (int64_t j = 0; j < len; ++j) {
                const float b = std::fabs(w[base + j]);
                better += (b > a) || (b == a && j < i);
              }
              m.keep.set(base + i, better < keep);
            }
            continue;
          }
          std::vector<double> score(static_cast<size_t>(len));
          for (int64_t i = 0; i < len; ++i) score[static_cast<size_t>(i)] = mag(r, k0 + i);
          for (size_t i : top_indices(score, keep)) m.keep.set(base + i);
        }
      }
      break;
    }
  }
  return m;
}

bool WeightMask::groups_at_most(int64_t group, int64_t limit) const {
  if (group < 1 || cols % group != 0) throw std::logic_error("groups_at_most: the group does not divide the row");
  return keep.fields_at_most(static_cast<size_t>(group), limit);
}

void weight_shape(const Layer& layer, int64_t& rows, int64_t& cols) {
  const GemmShape g = lower_to_gemm(layer);
  rows = layer.op == OpKind::Conv2d ? g.n * g.instances : g.n;
  cols = g.k;
}

uint64_t synthetic_seed(uint64_t seed, const std::string& layer_name) {
  for (char ch : layer_name) seed = seed * 131 + static_cast<unsigned char>(ch);
  return seed;
}

// The estimate before a large allocation: a mask that would not fit half of this machine's memory
// is a clear error naming the size, not a bad_alloc (or the OOM killer) minutes later.
void check_memory_estimate(const Layer& layer, int64_t rows, int64_t cols, double bytes_per_weight) {
  const long double need = static_cast<long double>(rows) * static_cast<long double>(cols) * static_cast<long double>(bytes_per_weight);
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  const long double budget = pages > 0 && page > 0 ? 0.5L * pages * page : 4.0L * (1 << 30);
  if (need <= budget) return;
  char buf[96];
  std::snprintf(buf, sizeof buf, "would need %.1Lf GB for its weight mask, more than half of this machine's %.1Lf GB",
                need / 1e9, 2 * budget / 1e9);
  throw InputError(layer.origin, "layer '" + layer.name + "': " + buf);
}

std::shared_ptr<const WeightMask> weight_mask(const Layer& layer) {
  const Compression& c = layer.weights.compression;
  if (!c.mask_file.empty()) return mask_from_side_file(layer);
  int64_t rows = 0, cols = 0;
  weight_shape(layer, rows, cols);
  // Cap at 2^30 weights: 128 MiB of mask (4.1 GiB for structured patterns, which hold the synthetic
  // weights while pruning); GPT-3's largest matrix, 12288 x 49152, is 0.6 x 2^30.
  if (static_cast<long double>(rows) * static_cast<long double>(cols) > 1073741824.0L)
    throw InputError(layer.origin, "layer '" + layer.name + "': a weight mask of " + std::to_string(rows) + " x " +
                                       std::to_string(cols) + " is beyond the 2^30-element limit");
  const uint64_t seed = synthetic_seed(c.seed, layer.name);
  // Dense and unstructured masks are built without storing the weights: 1 bit per weight plus a
  // bounded working set. Structured patterns hold the synthetic weights too (4 more bytes each).
  const bool streamed = c.is_dense() || c.pattern == SparsityPattern::Unstructured;
  check_memory_estimate(layer, rows, cols, streamed ? 0.125 : 4.125);
  if (streamed) {
    auto mask = std::make_shared<WeightMask>();
    mask->rows = rows;
    mask->cols = cols;
    mask->keep.assign(static_cast<size_t>(rows * cols), c.is_dense());
    if (!c.is_dense()) {
      const size_t n = mask->keep.size();
      // Three passes over the weights: seconds each for 2^30 of them, so say which one runs.
      ProgressNote progress("run", "weight-mask passes");
      size_t pass = 0;
      keep_top_k([&](auto&& f) {
                   progress.step(pass++, 3, "layer " + layer.name);
                   for_each_synthetic_weight(rows, cols, seed, f);
                 },
                 n, rounded(c.density * static_cast<double>(n)), mask->keep);
    }
    return mask;
  }
  auto mask = std::make_shared<WeightMask>(
      prune_by_magnitude(c.is_dense() ? std::vector<float>(static_cast<size_t>(rows * cols), 1.0f)
                                      : synthetic_weights(rows, cols, seed),
                         rows, cols, c, layer.origin));
  return mask;
}

}  // namespace accsim
