// Issue #16: the sparse tensor core plan keeps a repeating run of waves once with its count. The
// aggregated plan must describe exactly the waves the thread-block-by-thread-block plan does, field
// for field and bit for bit, and stay small however many instances the GEMM has.
#include <gtest/gtest.h>

#include "sim/hw/stc/gemm_plan.hpp"
#include "tests/unit/hw/stc/stc_test_layers.hpp"

namespace accsim {
namespace {

StcConfig a100() { return stc_test::a100_rates(); }

Layer batched(OpKind op, int64_t m, int64_t n, int64_t k, int64_t batch, const std::string& dtype) {
  return stc_test::gemm_layer(op, m, n, k, batch, dtype);
}

void expect_same_step(const SmStep& a, const SmStep& b) {
  EXPECT_EQ(a.math_cycles, b.math_cycles);
  EXPECT_EQ(a.smem_cycles, b.smem_cycles);
  EXPECT_EQ(a.issue_cycles, b.issue_cycles);
  EXPECT_EQ(a.port_bytes, b.port_bytes);
  EXPECT_EQ(a.smem_bytes, b.smem_bytes);
  EXPECT_EQ(a.mmas, b.mmas);
  ASSERT_EQ(a.warps.size(), b.warps.size());
  for (size_t i = 0; i < a.warps.size(); ++i) EXPECT_EQ(a.warps[i].mmas, b.warps[i].mmas);
}

// Plans `l` both ways; returns the aggregated plan after checking it wave by wave.
GemmPlan expect_same_waves(const StcConfig& c, const Layer& l) {
  const GemmShape g = lower_to_gemm(l);
  const GemmPlan flat = plan_gemm(c, l, g, false, NmFormat{}, 0, -1);
  GemmPlan agg = plan_gemm(c, l, g, false, NmFormat{}, 0, 0);
  EXPECT_EQ(flat.wave_count(), static_cast<int64_t>(flat.waves.size()));
  EXPECT_EQ(agg.wave_count(), flat.wave_count());
  EXPECT_EQ(agg.total_waves, flat.total_waves);
  for (int64_t i = 0; i < flat.wave_count() && !testing::Test::HasFailure(); ++i) {
    SCOPED_TRACE("wave " + std::to_string(i));
    const WavePlan& a = agg.wave(i);
    const WavePlan& b = flat.wave(i);
    EXPECT_EQ(a.ctas, b.ctas);
    EXPECT_EQ(a.l2_bytes_full, b.l2_bytes_full);
    EXPECT_EQ(a.l2_bytes_last, b.l2_bytes_last);
    EXPECT_EQ(a.hbm_read_bytes, b.hbm_read_bytes);
    EXPECT_EQ(a.store_bytes, b.store_bytes);
    EXPECT_EQ(a.store_hbm_bytes, b.store_hbm_bytes);
    EXPECT_EQ(a.store_port_bytes, b.store_port_bytes);
    EXPECT_EQ(a.mmas, b.mmas);
    EXPECT_EQ(a.smem_bytes, b.smem_bytes);
    EXPECT_EQ(a.l2_read_bytes, b.l2_read_bytes);
    expect_same_step(a.full, b.full);
    expect_same_step(a.last, b.last);
  }
  return agg;
}

TEST(StcGemmPlanAggregate, OneTilePerInstanceRepeatsEveryWave) {
  // 128x128 tiles: one CTA per instance, 216 per wave (2 per SM x 108 SMs). 20000 instances are
  // 92 full waves and one of 20000 - 92 x 216 = 128 CTAs. The shared 128x128 weight panel stays in
  // L2; each wave brings 216 new activation panels, so once L2 is full and in steady state the
  // wave repeats with a period of one wave.
  const GemmPlan p = expect_same_waves(a100(), batched(OpKind::Gemm, 128, 128, 128, 20000, "fp16"));
  EXPECT_EQ(p.wave_count(), 93);
  EXPECT_EQ(p.cycle_len, 1);
  EXPECT_GT(p.cycle_count, 50);
  EXPECT_LT(p.waves.size(), 45u);
  EXPECT_EQ(p.wave(92).ctas, 128);
}

TEST(StcGemmPlanAggregate, InstancesSpanningWavesRepeatWithALongerPeriod) {
  // 640x128 is 5 tiles per instance; 216 and 5 are coprime, so the tiles of a wave line up with
  // the same instance boundaries only every 5 waves (1080 CTAs = 216 instances).
  const GemmPlan p = expect_same_waves(a100(), batched(OpKind::Gemm, 640, 128, 256, 9000, "fp16"));
  EXPECT_EQ(p.cycle_len % 5, 0);  // a whole number of 5-wave periods
  EXPECT_GT(p.cycle_count, 1);
}

TEST(StcGemmPlanAggregate, PerInstanceOperandsAndPartialTiles) {
  // A matmul reads a second activation per instance (no shared weights in L2), on edge tiles
  // (200 = 128 + 72 rows).
  const GemmPlan p = expect_same_waves(a100(), batched(OpKind::Matmul, 200, 96, 64, 12000, "bf16"));
  EXPECT_GT(p.cycle_count, 1);
}

TEST(StcGemmPlanAggregate, LongL2WarmUpWithTinyPanels) {
  // 8x8x8 instances: 128 B activation panels, so the 40 MiB L2 takes 327680 instances (1517
  // waves) to fill before its contents, and so the waves, repeat. 600000 instances = 2778 waves.
  const GemmPlan p = expect_same_waves(a100(), batched(OpKind::Gemm, 8, 8, 8, 600000, "fp16"));
  EXPECT_GT(p.cycle_count, 1);
  EXPECT_GT(p.cycle_first, 1500);
}

TEST(StcGemmPlanAggregate, HundredMillionInstancesStaySmall) {
  // 1e8 instances of 128^3: 1e8 / 216 = 462963 waves (462962 full + one of 64 CTAs), held as a
  // few dozen distinct waves. The old plan stored one WavePlan per wave (and was refused).
  const Layer l = batched(OpKind::Gemm, 128, 128, 128, 100000000, "fp16");
  const GemmPlan p = plan_gemm(a100(), l, lower_to_gemm(l), false, NmFormat{});
  EXPECT_EQ(p.wave_count(), 462963);
  EXPECT_EQ(p.total_waves, 462963);
  EXPECT_LT(p.waves.size(), 100u);
  EXPECT_EQ(p.wave(462962).ctas, 100000000 - 462962 * 216);
}

TEST(StcGemmPlanAggregate, TooManyWavesIsRefusedBeforePlanning) {
  // 1e12 instances: 4.6e9 waves, beyond the 5e7 the timeline steps; refused with the count.
  const Layer l = batched(OpKind::Gemm, 128, 128, 128, 1000000000000, "fp16");
  try {
    plan_gemm(a100(), l, lower_to_gemm(l), false, NmFormat{});
    FAIL() << "expected PlanTooLarge";
  } catch (const PlanTooLarge& e) {
    EXPECT_NE(std::string(e.what()).find("4629629630 waves"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace accsim
