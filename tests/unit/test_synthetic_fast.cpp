// The trace fast path (weight codes, histograms, bit-packed masks) against the general float path.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/workload/compress/prune.hpp"
#include "sim/workload/compress/quantize.hpp"
#include "sim/workload/compress/synthetic_fast.hpp"
#include "sim/workload/trace.hpp"
#include "sim/workload/weight_mask.hpp"

namespace accsim {
namespace {

void expect_same_as_float_path(int64_t rows, int64_t cols, const std::string& spec, const char* dtype, bool per_channel,
                               int64_t group) {
  const uint64_t seed = 77;
  const Compression c = parse_prune_spec(spec, {});
  DType t;
  ASSERT_TRUE(parse_dtype(dtype, t));
  const FastLayer f = fast_synthetic_layer(rows, cols, seed, c, FastQuant{t, per_channel, group});
  std::vector<float> w = synthetic_weights(rows, cols, seed);
  const WeightMask m = prune_by_magnitude(w, rows, cols, c, {});
  ASSERT_EQ(f.nonzeros, m.nonzeros());
  if (!c.is_dense()) {
    ASSERT_EQ(f.mask_bits.size(), static_cast<size_t>((rows * cols + 7) / 8));
    for (size_t i = 0; i < m.keep.size(); ++i)
      ASSERT_EQ((f.mask_bits[i / 8] >> (i % 8)) & 1, m.keep[i] ? 1 : 0) << "element " << i;
  }
  KeptMagnitude k;
  k.add(w, m);
  EXPECT_NEAR(f.kept.l1(), k.l1(), 1e-9);
  EXPECT_NEAR(f.kept.l2(), k.l2(), 1e-9);
  for (size_t i = 0; i < w.size(); ++i)
    if (!m.keep[i]) w[i] = 0;
  const QuantResult q = quantize(w, rows, cols, QuantSpec{t, per_channel, false, group});
  EXPECT_NEAR(f.quant_rel_l2_error, q.rel_l2_error, 1e-9);
}

TEST(SyntheticFast, TwoFourInt8PerTensorMatchesTheFloatPath) { expect_same_as_float_path(37, 64, "nm:2:4", "int8", false, 0); }
// cols % 4 == 0 takes the word kernel (eight weights a step); 3 x 12 is nine words, so the last
// mask byte holds one word.
TEST(SyntheticFast, WordKernelOddWordCount) { expect_same_as_float_path(3, 12, "nm:2:4", "int8", false, 0); }
// The AVX2 kernel takes four words a step: 10 and 11 words end on a step of two and three words.
TEST(SyntheticFast, WordKernelTenWords) { expect_same_as_float_path(2, 20, "nm:2:4", "int8", false, 0); }
TEST(SyntheticFast, WordKernelElevenWords) { expect_same_as_float_path(1, 44, "nm:2:4", "int8", false, 0); }
TEST(SyntheticFast, WordKernelDensePerTensor) { expect_same_as_float_path(20, 36, "dense", "int8", false, 0); }
TEST(SyntheticFast, WordKernelLargeLayerCrossesFlushes) { expect_same_as_float_path(64, 2048, "nm:2:4", "int4", false, 0); }
// The SSE2 kernel (CPUs without AVX2) on the same cases.
TEST(SyntheticFast, Sse2WordKernel) {
  avx2_word_kernel_allowed = false;
  expect_same_as_float_path(3, 12, "nm:2:4", "int8", false, 0);
  expect_same_as_float_path(2, 20, "nm:2:4", "int8", false, 0);
  expect_same_as_float_path(20, 36, "dense", "int8", false, 0);
  expect_same_as_float_path(64, 2048, "nm:2:4", "int4", false, 0);
  avx2_word_kernel_allowed = true;
}
TEST(SyntheticFast, RaggedGroupsAndOtherNm) { expect_same_as_float_path(9, 30, "nm:3:8", "int4", false, 0); }
TEST(SyntheticFast, DensePerChannel) { expect_same_as_float_path(16, 48, "dense", "int8", true, 0); }
TEST(SyntheticFast, GroupWiseInt4) { expect_same_as_float_path(8, 300, "nm:2:4", "int4", false, 128); }

TEST(SyntheticFast, CodesAreCounterBasedAndLaplace) {
  // Any range generates the values of the whole tensor at those positions.
  const auto w = synthetic_weights(3, 1001, 5);
  std::vector<uint16_t> part(500);
  synthetic_codes(5, 1234, part.size(), part.data());
  const double scale = synthetic_scale(1001);
  for (size_t i = 0; i < part.size(); ++i) ASSERT_EQ(synthetic_value(part[i], scale), w[1234 + i]);
  // Laplace(0, b): E|w| = b, E w^2 = 2 b^2 (b = 1/sqrt(fan-in)); 3003 samples: within a few percent.
  double l1 = 0, l2 = 0;
  for (float x : w) {
    l1 += std::fabs(x);
    l2 += static_cast<double>(x) * x;
  }
  EXPECT_NEAR(l1 / w.size() / scale, 1.0, 0.06);
  EXPECT_NEAR(l2 / w.size() / (scale * scale), 2.0, 0.2);
}

}  // namespace
}  // namespace accsim
