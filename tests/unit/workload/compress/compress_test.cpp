// Compression passes: pruning patterns and kept magnitude, quantization codes, low-rank factors.
#include <gtest/gtest.h>

#include <random>

#include <cmath>

#include "sim/workload/compress/lowrank.hpp"
#include "sim/workload/compress/prune.hpp"
#include "sim/workload/compress/quantize.hpp"
#include "sim/workload/trace.hpp"

namespace accsim {
namespace {

Compression spec(const std::string& s) { return parse_prune_spec(s, SourceLocation{"test", 0, s}); }
DType dt(const std::string& s) {
  DType t;
  EXPECT_TRUE(parse_dtype(s, t));
  return t;
}

TEST(Prune, NmFastPathEqualsReference) {
  // The fast N:M selection must pick exactly what prune_by_magnitude picks, ties included.
  for (const char* p : {"nm:2:4", "nm:1:4", "nm:3:8", "nm:5:16"}) {
    const auto w = synthetic_weights(37, 96, 7);
    const Compression c = spec(p);
    EXPECT_EQ(prune_weights(w, 37, 96, c, {}).keep, prune_by_magnitude(w, 37, 96, c, {}).keep) << p;
  }
  std::vector<float> ties(8, 1.0f);  // all equal: the lower indices win
  const WeightMask m = prune_weights(ties, 1, 8, spec("nm:2:4"), {});
  EXPECT_EQ(m.keep.to_bytes(), (std::vector<uint8_t>{1, 1, 0, 0, 1, 1, 0, 0}));
}

TEST(Prune, PatternsHitTheirDensity) {
  const auto w = synthetic_weights(64, 128, 3);
  EXPECT_DOUBLE_EQ(prune_weights(w, 64, 128, spec("nm:2:4"), {}).density(), 0.5);
  EXPECT_DOUBLE_EQ(prune_weights(w, 64, 128, spec("bank:16:0.75"), {}).density(), 0.25);  // 4 of every 16
  EXPECT_DOUBLE_EQ(prune_weights(w, 64, 128, spec("unstructured:0.9"), {}).density(), std::round(0.1 * 8192) / 8192);
  // 4x4 blocks: 16 x 32 = 512 blocks, keep round(0.5 x 512) = 256 whole blocks.
  const WeightMask b = prune_weights(w, 64, 128, spec("block:4x4:0.5"), {});
  EXPECT_DOUBLE_EQ(b.density(), 0.5);
  for (int64_t r = 0; r < 64; r += 4)
    for (int64_t c = 0; c < 128; c += 4)
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) EXPECT_EQ(b.at(r + i, c + j), b.at(r, c));
}

TEST(Prune, ImpossiblePatternsAreInputErrors) {
  EXPECT_THROW(spec("nm:4:4"), InputError);  // N >= M
  EXPECT_THROW(spec("nm:5:4"), InputError);
  const auto w = synthetic_weights(4, 100, 1);
  EXPECT_THROW(prune_weights(w, 4, 100, spec("bank:16:0.5"), {}), InputError);  // 16 does not divide 100
}

TEST(Prune, KeptMagnitudeOrdersPatterns) {
  // At equal density, unstructured keeps the largest weights anywhere, so it keeps at least as
  // much L1/L2 magnitude as any constrained pattern; 4x4 blocks keep the least.
  const auto w = synthetic_weights(256, 256, 11);
  auto kept = [&](const char* p) {
    KeptMagnitude k;
    k.add(w, prune_weights(w, 256, 256, spec(p), {}));
    return k;
  };
  const KeptMagnitude u = kept("unstructured:0.5"), nm = kept("nm:2:4"), bank = kept("bank:32:0.5"), blk = kept("block:4x4:0.5");
  EXPECT_GE(u.l1(), bank.l1());
  EXPECT_GE(bank.l1(), nm.l1() - 0.01);  // larger groups approach unstructured
  EXPECT_GT(nm.l1(), blk.l1());
  EXPECT_GE(u.l2(), nm.l2());
  // Laplace weights: |w| is exponential, median ln 2; keeping the top half keeps the L1 mass
  // integral_{ln 2}^inf x e^-x dx = (1 + ln 2) / 2 = 0.8466 of E|w| = 1.
  EXPECT_NEAR(u.l1(), (1.0 + std::log(2.0)) / 2.0, 0.01);
  // A dense mask keeps everything.
  KeptMagnitude all;
  all.add(w, prune_weights(w, 256, 256, Compression{}, {}));
  EXPECT_DOUBLE_EQ(all.l1(), 1.0);
}

TEST(Prune, GlobalThresholdKeepsTheRequestedFraction) {
  // Continuous weights (synthetic_weights() takes 4096 magnitudes per layer, so it has ties).
  auto continuous = [](size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> w(n);
    for (auto& x : w) x = d(gen);
    return w;
  };
  const auto a = continuous(10000, 1), b = continuous(20000, 2);
  GlobalThreshold g;
  g.add(a);
  g.add(b);
  g.select(0.3);
  g.refine(a);
  g.refine(b);
  const float t = g.exact();
  const int64_t kept = prune_by_threshold(a, 100, 100, t).nonzeros() + prune_by_threshold(b, 50, 400, t).nonzeros();
  EXPECT_EQ(kept, 9000);  // 0.3 x (10,000 + 20,000); continuous weights have no ties at the threshold
}

TEST(Quantize, FloatCodesMatchTheFormats) {
  // E4M3 (bias 7): 1.0 = 0 0111 000 = 0x38; max 448 = 0 1111 110 = 0x7E; saturates above.
  EXPECT_EQ(float_code(1.0, 4, 3, 448), 0x38u);
  EXPECT_EQ(float_code(448.0, 4, 3, 448), 0x7Eu);
  EXPECT_EQ(float_code(1000.0, 4, 3, 448), 0x7Eu);
  EXPECT_EQ(float_code(-2.0, 4, 3, 448), 0xC0u);
  // Smallest E4M3 subnormal 2^-9 = 0x01; E5M2 (bias 15): 1.0 = 0x3C, 57344 = 0x7B.
  EXPECT_EQ(float_code(std::ldexp(1.0, -9), 4, 3, 448), 0x01u);
  EXPECT_EQ(float_code(1.0, 5, 2, 57344), 0x3Cu);
  EXPECT_EQ(float_code(57344.0, 5, 2, 57344), 0x7Bu);
  // IEEE half 1.0 = 0x3C00, 65504 = 0x7BFF; bfloat16 1.0 = 0x3F80; 1 + 2^-11 rounds to even (1.0).
  EXPECT_EQ(float_code(1.0, 5, 10, 65504), 0x3C00u);
  EXPECT_EQ(float_code(65504.0, 5, 10, 65504), 0x7BFFu);
  EXPECT_EQ(float_code(1.0 + std::ldexp(1.0, -11), 5, 10, 65504), 0x3C00u);
  EXPECT_EQ(float_code(1.0, 8, 7, 3e38), 0x3F80u);
  for (uint32_t c = 0; c < 0x7F; ++c) EXPECT_EQ(float_code(float_value(c, 4, 3), 4, 3, 448), c);  // round trip
}

TEST(Quantize, IntegerSymmetricAndAsymmetric) {
  // Symmetric int8: scale = max|w| / 127 = 1/127; w = 0.5 -> round(63.5) = 64 (half to even).
  const std::vector<float> w = {1.0f, -1.0f, 0.5f, 0.0f};
  const QuantResult s = quantize(w, 1, 4, QuantSpec{dt("int8"), false, false});
  EXPECT_EQ(s.codes, (std::vector<uint8_t>{127, static_cast<uint8_t>(-127), 64, 0}));
  // Asymmetric int4 on [0, 3]: scale 3/15 = 0.2, zero point -8: 0 -> -8, 3 -> 7, 1 -> round(5)-8 = -3.
  const std::vector<float> p = {0.0f, 3.0f, 1.0f};
  const QuantResult a = quantize(p, 1, 3, QuantSpec{dt("int4"), false, true});
  EXPECT_EQ(a.zero_points[0], -8);
  EXPECT_EQ(a.codes, (std::vector<uint8_t>{static_cast<uint8_t>(-8), 7, static_cast<uint8_t>(-3)}));
  EXPECT_NEAR(a.rel_l2_error, 0.0, 1e-6);
  // Per-channel scales follow each row's range; error falls with more bits.
  const auto x = synthetic_weights(16, 64, 5);
  const QuantResult c = quantize(x, 16, 64, QuantSpec{dt("int4"), true, false});
  EXPECT_EQ(c.scales.size(), 16u);
  EXPECT_LT(quantize(x, 16, 64, QuantSpec{dt("int8"), true, false}).rel_l2_error, c.rel_l2_error);
  EXPECT_LT(c.rel_l2_error, quantize(x, 16, 64, QuantSpec{dt("int2"), true, false}).rel_l2_error);
  EXPECT_THROW(quantize(x, 16, 64, QuantSpec{dt("fp16"), false, true}), InputError);
  EXPECT_THROW(quantize(x, 16, 64, QuantSpec{dt("int32"), false, false}), InputError);
}

TEST(LowRank, SvdOfAnExactlyLowRankMatrix) {
  // W = u v^T + 0.5 p q^T with u _|_ p and v _|_ q has rank 2, singular values |u||v| = sqrt(7)sqrt(2)
  // and 0.5|p||q| = 0.5 sqrt(2); energies 14 and 0.5.
  Matrix w{6, 4, {}};
  const double u[6] = {1, 2, 0, -1, 0, 1}, v[4] = {1, 0, 1, 0}, p[6] = {0, 0, 1, 0, 0, 0}, q[4] = {0, 1, 0, -1};
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 4; ++c) w.v.push_back(static_cast<float>(u[r] * v[c] + 0.5 * p[r] * q[c]));
  const auto s = singular_values(w);
  EXPECT_NEAR(s[0], std::sqrt(7.0) * std::sqrt(2.0), 1e-5);
  EXPECT_NEAR(s[1], 0.5 * std::sqrt(2.0), 1e-5);
  EXPECT_NEAR(s[2], 0.0, 1e-5);
  EXPECT_EQ(rank_for_energy(s, 0.99), 2);  // 14 / 14.5 = 0.966 is not enough
  EXPECT_EQ(rank_for_energy(s, 0.95), 1);
  const SvdFactors f = truncated_svd(w, 2);
  EXPECT_EQ(f.first.rows, 2);
  EXPECT_EQ(f.first.cols, 4);
  EXPECT_EQ(f.second.rows, 6);
  EXPECT_EQ(f.second.cols, 2);
  EXPECT_LT(f.rel_error, 1e-5);
  EXPECT_NEAR(truncated_svd(w, 1).rel_error, std::sqrt(0.5 / 14.5), 1e-5);  // drops s1^2 = 0.5 of 14.5
}

TEST(LowRank, Tucker2AndCpRecoverLowRankKernels) {
  // A conv kernel built from rank-1 pieces in every mode is recovered exactly by Tucker-2 at ranks
  // (1, 1) and by CP at rank 1.
  const int64_t o = 6, c = 5, kh = 3, kw = 3;
  Matrix w{o, c * kh * kw, {}};
  for (int64_t a = 0; a < o; ++a)
    for (int64_t b = 0; b < c; ++b)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j) w.v.push_back(static_cast<float>((a + 1) * (b % 3 - 1.5) * (i + 1) * (2 - j)));
  const Tucker2Factors t = tucker2(w, o, c, kh, kw, 1, 1);
  EXPECT_LT(t.rel_error, 1e-5);
  EXPECT_EQ(t.core.rows, 1);
  EXPECT_EQ(t.core.cols, 9);
  const CpFactors p = cp_decompose(w, o, c, kh, kw, 1);
  EXPECT_LT(p.rel_error, 1e-5);
  // Random kernels are not low rank: a rank-2 CP leaves a clear error, more rank less error.
  Matrix r{o, c * kh * kw, synthetic_weights(o, c * kh * kw, 9)};
  const double e2 = cp_decompose(r, o, c, kh, kw, 2).rel_error, e8 = cp_decompose(r, o, c, kh, kw, 8).rel_error;
  EXPECT_GT(e2, 0.3);
  EXPECT_LT(e8, e2);
}

}  // namespace
}  // namespace accsim
