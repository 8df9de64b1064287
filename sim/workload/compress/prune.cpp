#include "sim/workload/compress/prune.hpp"
#include "sim/workload/trace.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace accsim {

namespace {
// The top 16 bits of a non-negative float's pattern order its magnitude coarsely.
uint32_t bin_of(float a) {
  uint32_t bits = 0;
  std::memcpy(&bits, &a, 4);
  return (bits & 0x7fffffffu) >> 15;
}
}  // namespace

void check_pattern_fits(const Compression& c, int64_t rows, int64_t cols, const SourceLocation& where) {
  (void)rows;
  validate_compression(c, where);
  if (c.pattern == SparsityPattern::BankBalanced && cols % c.bank_size != 0)
    throw InputError(where, "bank size " + std::to_string(c.bank_size) + " does not divide the row length " +
                                std::to_string(cols));
}

WeightMask prune_weights(const std::vector<float>& w, int64_t rows, int64_t cols, const Compression& c,
                         const SourceLocation& where) {
  check_pattern_fits(c, rows, cols, where);
  if (c.pattern != SparsityPattern::NM || c.nm_m > 64) return prune_by_magnitude(w, rows, cols, c, where);
  // N:M: N passes of "largest remaining, lowest index first" per group, the order partial_sort
  // with prune_by_magnitude's comparator gives; no allocation per group.
  WeightMask m;
  m.rows = rows;
  m.cols = cols;
  m.keep.assign(w.size(), false);
  const int64_t M = c.nm_m;
  float mag[64];
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t k0 = 0; k0 < cols; k0 += M) {
      const int64_t len = std::min(M, cols - k0);
      const size_t base = static_cast<size_t>(r * cols + k0);
      for (int64_t i = 0; i < len; ++i) mag[i] = std::fabs(w[base + i]);
      const int64_t keep = std::min<int64_t>(c.nm_n, len);
      if (len <= 8) {
        // Rank of each entry = how many beat it (larger, or equal at a lower index); the N best
        // have rank < N. Branch-free for the small groups of N:M formats.
        for (int64_t i = 0; i < len; ++i) {
          int rank = 0;
          for (int64_t j = 0; j < len; ++j) rank += (mag[j] > mag[i]) | ((mag[j] == mag[i]) & (j < i));
          m.keep.set(base + i, rank < keep);
        }
        continue;
      }
      for (int64_t n = 0; n < keep; ++n) {
        int64_t best = 0;
        for (int64_t i = 1; i < len; ++i)
          if (mag[i] > mag[best]) best = i;
        m.keep.set(base + best);
        mag[best] = -1.0f;  // taken: below every magnitude
      }
    }
  }
  return m;
}

void GlobalThreshold::add(const std::vector<float>& w) {
  for (float x : w) ++hist_[bin_of(std::fabs(x))];
  total_ += w.size();
}

void GlobalThreshold::select(double density) {
  const auto keep = static_cast<uint64_t>(std::llround(density * static_cast<double>(total_)));
  uint64_t seen = 0;
  for (uint32_t b = static_cast<uint32_t>(hist_.size()); b-- > 0;) {
    if (seen + hist_[b] >= keep) {
      bin_ = b;
      above_ = seen;
      rank_in_bin_ = keep - seen;  // how many of this bin's values are kept
      return;
    }
    seen += hist_[b];
  }
  bin_ = 0;
  above_ = seen;
  rank_in_bin_ = 0;
}

void GlobalThreshold::refine(const std::vector<float>& w) {
  for (float x : w)
    if (bin_of(std::fabs(x)) == bin_) in_bin_.push_back(std::fabs(x));
}

float GlobalThreshold::exact() {
  if (rank_in_bin_ == 0 || in_bin_.empty()) {
    // Keep everything strictly above this bin: the threshold is the bin's upper edge.
    const uint32_t bits = (bin_ + 1) << 15;
    float t = 0;
    std::memcpy(&t, &bits, 4);
    return t;
  }
  const size_t k = static_cast<size_t>(std::min<uint64_t>(rank_in_bin_, in_bin_.size())) - 1;
  std::nth_element(in_bin_.begin(), in_bin_.begin() + static_cast<std::ptrdiff_t>(k), in_bin_.end(), std::greater<float>());
  return in_bin_[k];
}

WeightMask prune_by_threshold(const std::vector<float>& w, int64_t rows, int64_t cols, float threshold) {
  WeightMask m;
  m.rows = rows;
  m.cols = cols;
  m.keep.assign(w.size(), false);
  for (size_t i = 0; i < w.size(); ++i)
    if (std::fabs(w[i]) >= threshold) m.keep.set(i);
  return m;
}

void KeptMagnitude::add(const std::vector<float>& w, const WeightMask& m) {
  for (size_t i = 0; i < w.size(); ++i) {
    const double a = std::fabs(static_cast<double>(w[i]));
    l1_total += a;
    l2_total += a * a;
    if (m.keep.test(i)) {
      l1_kept += a;
      l2_kept += a * a;
    }
  }
}

}  // namespace accsim
