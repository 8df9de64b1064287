// The inner loops are simple integer loops over a row: let GCC vectorize them (the project builds -O2).
#pragma GCC optimize("O3")
#include "sim/workload/compress/synthetic_fast.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "sim/workload/weight_mask.hpp"

namespace accsim {

namespace {

constexpr uint32_t kBins = kSyntheticBins;

// Symmetric integer quantization of one value, as quantize() does it (narrow range, round half to even).
double quant_error2(double x, double inv, double scale, int64_t qmax) {
  // Round half to even as lrint does in the default rounding mode, without a library call: adding
  // 1.5 x 2^52 leaves no fraction bits (exact for |v| < 2^51; larger values are clamped anyway).
  const double v = std::clamp(x * inv, -1e15, 1e15);
  const double r = (v + 6755399441055744.0) - 6755399441055744.0;
  const double q = std::clamp(r, -static_cast<double>(qmax), static_cast<double>(qmax));
  const double back = q * scale;
  return (x - back) * (x - back);
}

// The value a code's bin has as a float weight (what synthetic_weights() stores), as a double.
struct BinValues {
  std::vector<double> v;
  explicit BinValues(double scale) : v(kBins) {
    for (uint32_t i = 0; i < kBins; ++i) v[i] = static_cast<double>(synthetic_value(static_cast<uint16_t>(i), scale));
  }
};

// Marks the kept elements of one row: the top `n` bins of every group of `m` (ties to the lower
// index), or all when dense. Bins are compared as keys bin*32 + (31 - position): distinct, ordered
// like (|w|, lower index first).
void keep_row(const uint16_t* code, int64_t cols, const Compression& c, uint8_t* kept) {
  if (c.pattern != SparsityPattern::NM) {
    std::fill(kept, kept + cols, 1);
    return;
  }
  const int64_t m = c.nm_m;
  int64_t k0 = 0;
  if (m == 4 && c.nm_n == 2) {
    for (; k0 + 4 <= cols; k0 += 4) {
      const uint32_t a0 = (code[k0] & kSyntheticBinMask) * 32u + 31u, a1 = (code[k0 + 1] & kSyntheticBinMask) * 32u + 30u;
      const uint32_t a2 = (code[k0 + 2] & kSyntheticBinMask) * 32u + 29u, a3 = (code[k0 + 3] & kSyntheticBinMask) * 32u + 28u;
      const uint32_t hi01 = std::max(a0, a1), lo01 = std::min(a0, a1), hi23 = std::max(a2, a3), lo23 = std::min(a2, a3);
      const uint32_t second = std::max(std::min(hi01, hi23), std::max(lo01, lo23));
      kept[k0] = a0 >= second;
      kept[k0 + 1] = a1 >= second;
      kept[k0 + 2] = a2 >= second;
      kept[k0 + 3] = a3 >= second;
    }
  }
  for (; k0 < cols; k0 += m) {
    const int64_t len = std::min(m, cols - k0);
    const int64_t keep = std::min<int64_t>(c.nm_n, len);
    for (int64_t i = 0; i < len; ++i) {
      const uint32_t a = code[k0 + i] & kSyntheticBinMask;
      int64_t better = 0;
      for (int64_t j = 0; j < len; ++j) {
        const uint32_t b = code[k0 + j] & kSyntheticBinMask;
        better += (b > a) || (b == a && j < i);
      }
      kept[k0 + i] = better < keep;
    }
  }
}

// Sets bit (base + k) of `bits` for every kept[k] (bits start cleared); eight flags at a time
// when the row starts on a byte boundary.
void pack_bits(const uint8_t* kept, int64_t cols, uint64_t base, uint8_t* bits) {
  int64_t k = 0;
  if (base % 8 == 0)
    for (; k + 8 <= cols; k += 8) {
      uint64_t x = 0;
      std::memcpy(&x, kept + k, 8);  // eight 0/1 bytes, little-endian
      bits[(base + static_cast<uint64_t>(k)) >> 3] = static_cast<uint8_t>((x * 0x0102040810204080ULL) >> 56);
    }
  for (; k < cols; ++k) {
    const uint64_t e = base + static_cast<uint64_t>(k);
    bits[e >> 3] |= static_cast<uint8_t>(kept[k] << (e & 7));
  }
}

// Per-row or per-group scales: each segment's largest kept magnitude sets its scale.
void segment_errors(const uint16_t* code, const uint8_t* kept, int64_t cols, const FastQuant& q, const BinValues& bv,
                    double& err2, double& norm2) {
  const int64_t qmax = (int64_t{1} << (q.format.bits - 1)) - 1;
  const int64_t seg = q.group_size > 0 ? q.group_size : cols;
  for (int64_t s0 = 0; s0 < cols; s0 += seg) {
    const int64_t len = std::min(seg, cols - s0);
    uint32_t top = 0;
    bool any = false;
    for (int64_t i = s0; i < s0 + len; ++i)
      if (kept[i]) {
        top = std::max(top, code[i] & kSyntheticBinMask);
        any = true;
      }
    double scale = any ? bv.v[top] / static_cast<double>(qmax) : 1.0;
    if (!(scale > 0)) scale = 1.0;
    const double inv = 1.0 / scale;
    for (int64_t i = s0; i < s0 + len; ++i)
      if (kept[i]) {
        const double x = bv.v[code[i] & kSyntheticBinMask];
        err2 += quant_error2(x, inv, scale, qmax);
        norm2 += x * x;
      }
  }
}


#if defined(__SSE2__)
// 16-bit counters of the word kernel, indexed by bin + 4096 x kept (16 KiB: stays in L1), so a
// weight costs one increment. Flushed into the 32-bit totals before any can overflow.
struct BinCounters {
  std::vector<uint16_t> c = std::vector<uint16_t>(2 * kBins, 0);
  void flush(std::vector<uint32_t>& hist) {
    for (uint32_t b = 0; b < kBins; ++b) {
      hist[2 * b] += c[b];
      hist[2 * b + 1] += c[kBins + b];
    }
    std::fill(c.begin(), c.end(), uint16_t{0});
  }
};

// Keep flags of two generator words (eight weights: two groups of four), 0xffff per kept lane.
// Keys bin*4 + (3 - lane) are distinct within a group and order like (|w|, lower index first), as
// keep_row()'s; a weight is kept when its key is at least the group's second largest.
inline __m128i keep_lanes_24(__m128i bins) {
  const __m128i a = _mm_or_si128(_mm_slli_epi16(bins, 2), _mm_setr_epi16(3, 2, 1, 0, 3, 2, 1, 0));
  const __m128i s1 = _mm_shufflehi_epi16(_mm_shufflelo_epi16(a, 0xB1), 0xB1);  // swap neighbours
  const __m128i hi = _mm_max_epi16(a, s1), lo = _mm_min_epi16(a, s1);
  const __m128i his = _mm_shufflehi_epi16(_mm_shufflelo_epi16(hi, 0x4E), 0x4E);  // swap the pairs
  const __m128i los = _mm_shufflehi_epi16(_mm_shufflelo_epi16(lo, 0x4E), 0x4E);
  const __m128i second = _mm_max_epi16(_mm_min_epi16(hi, his), _mm_max_epi16(lo, los));
  return _mm_xor_si128(_mm_cmpgt_epi16(second, a), _mm_set1_epi32(-1));
}

// Whole layers whose generator words are whole groups (cols % 4 == 0: each 64-bit output is four
// weights of one row, and for 2:4 exactly one group): same results as the row loop below. Per batch
// of words: generate; then eight weights a step in vector registers (bins, keep flags, mask byte,
// counter slots); then one counter increment per weight.
void scan_words(uint64_t seed, uint64_t words, bool nm24, uint8_t* bits, std::vector<uint32_t>& hist) {
  BinCounters counters;
  // Words per flush (64512 increments < 2^16: no counter overflows) and per batch.
  constexpr uint64_t kChunk = 16128, kBatch = 256;
  alignas(16) uint64_t w[kBatch + 2];
  alignas(16) uint16_t slot[4 * kBatch + 8];
  uint16_t* cnt = counters.c.data();
  const __m128i bin_mask = _mm_set1_epi16(static_cast<short>(kSyntheticBinMask));
  const __m128i kept_slot = _mm_set1_epi16(static_cast<short>(kBins));
  for (uint64_t c0 = 0; c0 < words; c0 += kChunk) {
    const uint64_t c1 = std::min(words, c0 + kChunk);
    for (uint64_t b0 = c0; b0 < c1; b0 += kBatch) {
      const uint64_t n = std::min(kBatch, c1 - b0);
      for (uint64_t k = 0; k < n; ++k) w[k] = synthetic_block(seed, b0 + k);
      w[n] = 0;  // an odd last word pairs with zeros; its upper half is cut off below
      for (uint64_t k = 0; k < n; k += 2) {
        const __m128i bins = _mm_and_si128(_mm_load_si128(reinterpret_cast<const __m128i*>(w + k)), bin_mask);
        __m128i keep = _mm_set1_epi32(-1);
        if (nm24) {
          keep = keep_lanes_24(bins);
          const auto byte = static_cast<uint32_t>(_mm_movemask_epi8(_mm_packs_epi16(keep, keep))) & 0xffu;
          bits[(b0 + k) / 2] = static_cast<uint8_t>(k + 1 < n ? byte : byte & 0xfu);
        }
        _mm_store_si128(reinterpret_cast<__m128i*>(slot + 4 * k), _mm_or_si128(bins, _mm_and_si128(keep, kept_slot)));
      }
      for (uint64_t e = 0; e < 4 * n; ++e) ++cnt[slot[e]];
    }
    counters.flush(hist);
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define ACCSIM_SCAN_AVX2 1
// The same kernel sixteen weights (four words, two mask bytes) per AVX2 step, used when the CPU has
// AVX2 (the build targets baseline x86-64): the 256-bit shuffles act on each 128-bit half as the
// SSE2 ones do, so masks and counts are identical.
__attribute__((target("avx2"))) void scan_words_avx2(uint64_t seed, uint64_t words, bool nm24, uint8_t* bits,
                                                     std::vector<uint32_t>& hist) {
  BinCounters counters;
  constexpr uint64_t kChunk = 16128, kBatch = 256;  // as scan_words()
  alignas(32) uint64_t w[kBatch + 4];
  alignas(32) uint16_t slot[4 * kBatch + 16];
  uint16_t* cnt = counters.c.data();
  const __m256i bin_mask = _mm256_set1_epi16(static_cast<short>(kSyntheticBinMask));
  const __m256i kept_slot = _mm256_set1_epi16(static_cast<short>(kBins));
  const __m256i lane_key = _mm256_setr_epi16(3, 2, 1, 0, 3, 2, 1, 0, 3, 2, 1, 0, 3, 2, 1, 0);
  for (uint64_t c0 = 0; c0 < words; c0 += kChunk) {
    const uint64_t c1 = std::min(words, c0 + kChunk);
    for (uint64_t b0 = c0; b0 < c1; b0 += kBatch) {
      const uint64_t n = std::min(kBatch, c1 - b0);
      for (uint64_t k = 0; k < n; ++k) w[k] = synthetic_block(seed, b0 + k);
      for (uint64_t k = n; k < n + 4; ++k) w[k] = 0;  // a short last step reads zeros; cut off below
      for (uint64_t k = 0; k < n; k += 4) {
        const __m256i bins = _mm256_and_si256(_mm256_load_si256(reinterpret_cast<const __m256i*>(w + k)), bin_mask);
        __m256i keep = _mm256_set1_epi32(-1);
        if (nm24) {
          const __m256i a = _mm256_or_si256(_mm256_slli_epi16(bins, 2), lane_key);
          const __m256i s1 = _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(a, 0xB1), 0xB1);
          const __m256i hi = _mm256_max_epi16(a, s1), lo = _mm256_min_epi16(a, s1);
          const __m256i his = _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(hi, 0x4E), 0x4E);
          const __m256i los = _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(lo, 0x4E), 0x4E);
          const __m256i second = _mm256_max_epi16(_mm256_min_epi16(hi, his), _mm256_max_epi16(lo, los));
          keep = _mm256_xor_si256(_mm256_cmpgt_epi16(second, a), _mm256_set1_epi32(-1));
          // packs works per 128-bit half: bits 0-7 are words k, k+1; bits 16-23 words k+2, k+3.
          const auto m = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_packs_epi16(keep, keep)));
          const uint64_t at = (b0 + k) / 2, left = n - k;
          bits[at] = static_cast<uint8_t>(left >= 2 ? m & 0xffu : m & 0xfu);
          if (left > 2) bits[at + 1] = static_cast<uint8_t>(left >= 4 ? (m >> 16) & 0xffu : (m >> 16) & 0xfu);
        }
        _mm256_store_si256(reinterpret_cast<__m256i*>(slot + 4 * k), _mm256_or_si256(bins, _mm256_and_si256(keep, kept_slot)));
      }
      for (uint64_t e = 0; e < 4 * n; ++e) ++cnt[slot[e]];
    }
    counters.flush(hist);
  }
}
#endif
#endif

}  // namespace

std::atomic<bool> avx2_word_kernel_allowed{true};

bool fast_path_applies(const Compression& c, const std::optional<DType>& format, bool per_channel, bool asymmetric) {
  const bool pattern_ok = c.is_dense() || (c.pattern == SparsityPattern::NM && c.nm_m <= 32);
  const bool quant_ok = !format || (format->kind == DTypeKind::SignedInt && !asymmetric && format->bits >= 2 && format->bits <= 16);
  (void)per_channel;
  return pattern_ok && quant_ok;
}

FastLayer fast_synthetic_layer(int64_t rows, int64_t cols, uint64_t seed, const Compression& c, const std::optional<FastQuant>& q) {
  FastLayer out;
  const bool pruned = !c.is_dense();
  const uint64_t total = static_cast<uint64_t>(rows) * static_cast<uint64_t>(cols);
  if (pruned) out.mask_bits.assign((total + 7) / 8, 0);
  // hist[2*bin + kept]: how many weights of each magnitude bin were kept / pruned.
  std::vector<uint32_t> hist(2 * kBins, 0);  // 32 KiB: stays in L1; a layer holds < 2^30 weights
  std::vector<uint16_t> code(static_cast<size_t>(cols));
  std::vector<uint8_t> kept(static_cast<size_t>(cols));
  std::vector<uint16_t> slot(static_cast<size_t>(cols));
  std::vector<uint32_t> hist2(2 * kBins, 0);
  const BinValues bv(synthetic_scale(cols));
  const bool local_scales = q && (q->per_channel || q->group_size > 0);
  double err2 = 0, norm2 = 0;
  const bool nm24 = c.pattern == SparsityPattern::NM && c.nm_n == 2 && c.nm_m == 4;
  bool scanned = false;
#if defined(__SSE2__)
  if (!local_scales && cols % 4 == 0 && (nm24 || !pruned)) {
#if defined(ACCSIM_SCAN_AVX2)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2 && avx2_word_kernel_allowed.load(std::memory_order_relaxed)) scan_words_avx2(seed, total / 4, nm24, out.mask_bits.data(), hist);
    else
#endif
      scan_words(seed, total / 4, nm24, out.mask_bits.data(), hist);
    scanned = true;
  }
#endif
  for (int64_t r = 0; r < rows && !scanned; ++r) {
    const uint64_t base = static_cast<uint64_t>(r) * static_cast<uint64_t>(cols);
    synthetic_codes(seed, base, code.size(), code.data());
    keep_row(code.data(), cols, c, kept.data());
    // Bin indices first (a vector loop), then the increments: two independent counter sets for
    // even and odd elements halve the chains of read-modify-writes on one counter.
    for (int64_t k = 0; k < cols; ++k) slot[k] = static_cast<uint16_t>(2u * (code[k] & kSyntheticBinMask) + kept[k]);
    int64_t k = 0;
    for (; k + 2 <= cols; k += 2) {
      ++hist[slot[k]];
      ++hist2[slot[k + 1]];
    }
    if (k < cols) ++hist[slot[k]];
    if (pruned) pack_bits(kept.data(), cols, base, out.mask_bits.data());
    if (local_scales) segment_errors(code.data(), kept.data(), cols, *q, bv, err2, norm2);
  }
  for (size_t i = 0; i < hist.size(); ++i) hist[i] += hist2[i];
  uint32_t top = 0;
  for (uint32_t b = 0; b < kBins; ++b) {
    const double x = bv.v[b];
    const auto all = static_cast<double>(hist[2 * b] + hist[2 * b + 1]), in = static_cast<double>(hist[2 * b + 1]);
    out.kept.l1_total += all * x;
    out.kept.l2_total += all * x * x;
    out.kept.l1_kept += in * x;
    out.kept.l2_kept += in * x * x;
    out.nonzeros += static_cast<int64_t>(hist[2 * b + 1]);
    if (hist[2 * b + 1]) top = b;
  }
  if (q && !local_scales) {
    // One scale for the tensor: the largest kept magnitude (pruned weights are exact zeros).
    const int64_t qmax = (int64_t{1} << (q->format.bits - 1)) - 1;
    double scale = out.nonzeros ? bv.v[top] / static_cast<double>(qmax) : 1.0;
    if (!(scale > 0)) scale = 1.0;
    const double inv = 1.0 / scale;
    for (uint32_t b = 0; b < kBins; ++b) {
      const auto in = static_cast<double>(hist[2 * b + 1]);
      if (in == 0) continue;
      err2 += in * quant_error2(bv.v[b], inv, scale, qmax);
      norm2 += in * bv.v[b] * bv.v[b];
    }
  }
  out.quant_rel_l2_error = norm2 > 0 ? std::sqrt(err2 / norm2) : 0.0;
  return out;
}

}  // namespace accsim
