// HBM address streams of the sparse tensor core (stc_streams.hpp): layouts, bursts and bytes,
// derived by hand for a one-thread-block GEMM; aggregated plans against thread-block-by-block ones.
#include <gtest/gtest.h>

#include <set>

#include "sim/hw/stc/stc_streams.hpp"
#include "tests/unit/hw/stc/stc_test_layers.hpp"

namespace accsim {
namespace {

StcConfig a100() { return stc_test::a100_rates(); }

Layer gemm(OpKind op, int64_t m, int64_t n, int64_t k, int64_t batch, const std::string& dtype) {
  return stc_test::gemm_layer(op, m, n, k, batch, dtype);
}

// 32 B requests (sectors; the HBM presets' burst) a stream makes, as DramTimingChannel cuts it.
uint64_t sectors(const AddressStream& s) {
  uint64_t n = 0;
  for (const Extent& e : s)
    for (uint64_t i = 0; i < e.count && e.bytes > 0; ++i) {
      const uint64_t a = e.base + i * e.stride;
      n += (a + e.bytes + 31) / 32 - a / 32;
    }
  return n;
}

bool same(const Extent& a, const Extent& b) {
  return a.base == b.base && a.bytes == b.bytes && a.count == b.count && (a.count == 1 || a.stride == b.stride);
}

// m = n = 128, K = 256, fp16 2:4 on one 128x128 tile: mma.sp k32, k-step 64 dense K (64 B of
// compressed weights per row), 4 k-steps, 1 thread block, 1 wave. Per k-step the wave misses the
// activation panel (128 rows x 64 x 2 B = 16384 B) and the weight panel: values 128 x 64 x 1 B
// (0.5 x 2 B per dense element) = 8192 B and metadata 128 x 64 x 1/8 B = 1024 B: 25600 B.
struct OneTile {
  Layer l = gemm(OpKind::Gemm, 128, 128, 256, 1, "fp16");
  GemmShape g = lower_to_gemm(l);
  GemmPlan p;
  OneTile() {
    DType t;
    parse_dtype("fp16", t);
    p = plan_gemm(a100(), l, g, true, nvidia_nm_format(t));
  }
};

TEST(StcStreams, RowMajorSparseFp16OneTileByHand) {
  OneTile t;
  ASSERT_EQ(t.p.ksteps, 4);
  ASSERT_EQ(t.p.bk, 64);
  ASSERT_EQ(t.p.waves.size(), 1u);
  ASSERT_DOUBLE_EQ(t.p.waves[0].hbm_read_bytes, 4 * 25600.0);
  const StcStreams st(t.p, t.g, GpuDramLayout::RowMajor);
  // Regions: W values at 0 (128 rows x 256 B); E at align4k(32768) = 32768, 8 blocks of 32 dense
  // K (256 kept fp16 bits) x 128 rows x 4 B; weights end at align4k(32768 + 4096) = 36864; X (rows
  // of 512 B) at 36864; Y at 36864 + align4k(65536) = 102400.
  for (int64_t s = 0; s < 4; ++s) {
    SCOPED_TRACE("k-step " + std::to_string(s));
    const AddressStream r = st.reads(0, s, s + 1, 25600);
    // Panels in the order the plan met them: activations, then weights (values, two E blocks).
    ASSERT_EQ(r.size(), 4u);
    EXPECT_TRUE(same(r[0], {36864 + 128 * static_cast<uint64_t>(s), 128, 512, 128}));
    EXPECT_TRUE(same(r[1], {64 * static_cast<uint64_t>(s), 64, 256, 128}));
    EXPECT_TRUE(same(r[2], {32768 + 1024 * static_cast<uint64_t>(s), 512, 0, 1}));
    EXPECT_TRUE(same(r[3], {32768 + 1024 * static_cast<uint64_t>(s) + 512, 512, 0, 1}));
    // 128 x 4 + 128 x 2 + 16 + 16 sectors = 800 = 25600 / 32: every request is a whole sector.
    EXPECT_EQ(sectors(r), 800u);
  }
  // Epilogue: 128 x 128 x 2 B of outputs, whole rows of Y: one run, 1024 sectors.
  const AddressStream w = st.stores(0, 32768);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(same(w[0], {102400, 32768, 0, 1}));
  EXPECT_EQ(sectors(w), 1024u);
  // A skipped wave reads all its k-steps at once: the same 3200 sectors.
  EXPECT_EQ(sectors(st.reads(0, 0, 4, 102400)), 3200u);
  EXPECT_EQ(st.adjusted_bytes(), 0u);
}

TEST(StcStreams, TiledLayoutMakesEachFillOneRunPerOperand) {
  OneTile t;
  const StcStreams st(t.p, t.g, GpuDramLayout::Tiled);
  for (int64_t s = 0; s < 4; ++s) {
    const AddressStream r = st.reads(0, s, s + 1, 25600);
    ASSERT_EQ(r.size(), 3u);
    const auto u = static_cast<uint64_t>(s);
    EXPECT_TRUE(same(r[0], {36864 + 16384 * u, 16384, 0, 1}));  // X: 128 rows x 64 x 2 B per chunk
    EXPECT_TRUE(same(r[1], {8192 * u, 8192, 0, 1}));            // W values
    EXPECT_TRUE(same(r[2], {32768 + 1024 * u, 1024, 0, 1}));    // E
    EXPECT_EQ(sectors(r), 800u);
  }
  EXPECT_EQ(st.adjusted_bytes(), 0u);
}

// A repeated wave of an aggregated plan must issue the addresses of the wave it stands for:
// per-instance operands (a matmul's both inputs), partial tiles (200 = 128 + 72 rows).
TEST(StcStreams, AggregatedWavesIssueTheirOwnInstancesAddresses) {
  const Layer l = gemm(OpKind::Matmul, 200, 96, 64, 3000, "bf16");
  const GemmShape g = lower_to_gemm(l);
  const GemmPlan flat = plan_gemm(a100(), l, g, false, NmFormat{}, 0, -1);
  const GemmPlan agg = plan_gemm(a100(), l, g, false, NmFormat{}, 0, 0);
  ASSERT_LT(agg.waves.size(), flat.waves.size());
  const StcStreams a(agg, g, GpuDramLayout::RowMajor), b(flat, g, GpuDramLayout::RowMajor);
  std::set<uint64_t> bases;
  for (int64_t i = 0; i < flat.wave_count() && !testing::Test::HasFailure(); ++i) {
    SCOPED_TRACE("wave " + std::to_string(i));
    const auto rb = static_cast<uint64_t>(std::llround(flat.wave(i).hbm_read_bytes));
    const auto wb = static_cast<uint64_t>(std::llround(flat.wave(i).store_hbm_bytes));
    const AddressStream ra = a.reads(i, 0, agg.ksteps, rb), rf = b.reads(i, 0, flat.ksteps, rb);
    const AddressStream wa = a.stores(i, wb), wf = b.stores(i, wb);
    ASSERT_EQ(ra.size(), rf.size());
    for (size_t e = 0; e < ra.size(); ++e) EXPECT_TRUE(same(ra[e], rf[e]));
    ASSERT_EQ(wa.size(), wf.size());
    for (size_t e = 0; e < wa.size(); ++e) EXPECT_TRUE(same(wa[e], wf[e]));
    EXPECT_EQ(stream_bytes(wa), wb);
    for (const Extent& e : wa) EXPECT_TRUE(bases.insert(e.base).second);  // no output tile stored twice
  }
  EXPECT_EQ(a.adjusted_bytes(), 0u);
}

// Split-K with a workspace that spills (L2 of 4 MiB, half of it 2 MiB): 896^2 fp16 is 49 tiles,
// split 4 (216 / 49 = 4, 128 k-steps of 32 / 4 = 32 >= 4 stages); partials of 128 x 128 x 4 B per
// thread block go to slice t's m x n matrix of fp32; the reduction reads all 4 x 896^2 x 4 B.
TEST(StcStreams, SplitKPartialsAndReduction) {
  StcConfig c = a100();
  c.split_k_max = 16;
  c.l2_mb = 4;
  const Layer l = gemm(OpKind::Gemm, 896, 896, 4096, 1, "fp16");
  const GemmShape g = lower_to_gemm(l);
  const GemmPlan p = plan_gemm(c, l, g, false, NmFormat{});
  ASSERT_EQ(p.split_k, 4);
  ASSERT_TRUE(p.workspace_spills);
  const StcStreams st(p, g, GpuDramLayout::RowMajor);
  const auto wb = static_cast<uint64_t>(p.wave(0).store_hbm_bytes);
  EXPECT_EQ(wb, 196u * 128 * 128 * 4);
  const AddressStream w = st.stores(0, wb);
  EXPECT_EQ(w.size(), 196u);
  EXPECT_EQ(sectors(w), wb / 32);
  const AddressStream r = st.workspace_reads(4u * 896 * 896 * 4);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].base, w[0].base);  // the workspace region starts with slice 0, tile (0, 0)
  EXPECT_EQ(sectors(st.reduction_stores(896u * 896 * 2)), 896u * 896 * 2 / 32);
  EXPECT_EQ(st.adjusted_bytes(), 0u);
}

TEST(StcStreams, FitTrimsOrExtendsToTheByteCount) {
  AddressStream s{{0, 100, 1000, 3}};
  fit_stream(s, 250);  // two whole segments and 50 B of the third
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].count, 2u);
  EXPECT_TRUE(same(s[1], {2000, 50, 0, 1}));
  fit_stream(s, 260);  // 10 B more, right after the last segment
  ASSERT_EQ(s.size(), 3u);
  EXPECT_TRUE(same(s[2], {2050, 10, 0, 1}));
  EXPECT_EQ(stream_bytes(s), 260u);
  fit_stream(s, 0);
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace accsim
