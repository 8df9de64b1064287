// Tiling, occupancy and per-SM k-step work of the sparse tensor core model (gemm_plan.hpp), for
// the A100 parameters of configs/arch/a100.yaml, derived by hand.
#include <gtest/gtest.h>

#include "sim/hw/stc/gemm_plan.hpp"
#include "tests/unit/hw/stc/stc_test_layers.hpp"

namespace accsim {
namespace {

StcConfig a100() { return stc_test::a100_rates(); }

Layer gemm(int64_t m, int64_t n, int64_t k, const std::string& dtype) {
  return stc_test::gemm_layer(OpKind::Gemm, m, n, k, 1, dtype);
}

TEST(StcGemmPlan, PtxMmaShapes) {
  DType t;
  const NmFormat none;
  parse_dtype("fp16", t);
  EXPECT_EQ(mma_shape(t, false, none).k, 16);
  EXPECT_EQ(mma_shape(t, true, nvidia_nm_format(t)).ptx, "mma.sp.m16n8k32.fp16");
  parse_dtype("tf32", t);
  EXPECT_EQ(mma_shape(t, false, none).k, 8);
  EXPECT_EQ(mma_shape(t, true, nvidia_nm_format(t)).k, 16);
  parse_dtype("int8", t);
  EXPECT_EQ(mma_shape(t, true, nvidia_nm_format(t)).k, 64);
  parse_dtype("int4", t);
  EXPECT_EQ(mma_shape(t, false, none).k, 64);
  EXPECT_EQ(mma_shape(t, true, nvidia_nm_format(t)).k, 128);
  parse_dtype("fp8_e4m3", t);
  EXPECT_EQ(mma_shape(t, true, nvidia_nm_format(t)).k, 64);
  // A 1:4 core quadruples the dense k.
  parse_dtype("fp16", t);
  EXPECT_EQ(mma_shape(t, true, generic_nm_format(1, 4, t)).k, 64);
}

TEST(StcGemmPlan, DenseFp16On128x128Tiles) {
  const StcConfig c = a100();
  const Layer l = gemm(4096, 4096, 4096, "fp16");
  const GemmPlan p = plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{});
  EXPECT_EQ(p.bk, 32);                  // 64 B / 2 B
  EXPECT_DOUBLE_EQ(p.stage_bytes, 16384.0);  // (128 + 128) x 32 x 2 B
  EXPECT_EQ(p.stages, 4);
  EXPECT_EQ(p.ctas_per_sm, 2);          // max_ctas_per_sm (smem allows 2, RF 4)
  EXPECT_EQ(p.ctas, 1024);              // 32 x 32 tiles
  EXPECT_EQ(p.waves.size(), 5u);        // ceil(1024 / 216)
  EXPECT_EQ(p.ksteps, 128);
  // Busiest SM: 2 CTAs x 4 warps -> 2 warps per tensor core, each 4 x 8 x 2 m16n8k16 mmas of 8 cycles.
  EXPECT_EQ(p.waves[0].full.math_cycles, 2u * 64u * 8u);
  // Shared memory: fills 2 x 16384 B + 8 warps x (64 x 32 x 2 + 64 x 32 x 2) B = 98304 B / 128 B/clk.
  EXPECT_EQ(p.waves[0].full.smem_cycles, 768u);
  // Issue: 2 warps per scheduler, each 64 mmas + 8192 B of fragments / 512 B (16 ldmatrix.x4)
  // + its quarter of the 16384 B fill / 512 B (8 cp.async) = 88 instructions: 176 cycles.
  EXPECT_EQ(p.waves[0].full.issue_cycles, 176u);
}

TEST(StcGemmPlan, IssueBindsWhenTensorCoresOutrunTheScheduler) {
  StcConfig c = a100();
  c.fma_per_clk["fp16"] = 2048;   // one m16n8k16 (2048 FMA) per clock per tensor core
  c.smem_bytes_per_clk = 1e6;     // shared memory out of the way
  const Layer l = gemm(4096, 4096, 4096, "fp16");
  const GemmPlan p = plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{});
  EXPECT_EQ(p.waves[0].full.math_cycles, 2u * 64u * 1u);
  EXPECT_EQ(p.waves[0].full.issue_cycles, 176u);  // as in DenseFp16On128x128Tiles
  EXPECT_EQ(p.waves[0].full.cycles(), 176u);
}

TEST(StcGemmPlan, ThreadRegisterModelLimitsBigTilesToOneCtaPerSm) {
  StcConfig c = a100();
  c.register_model = "threads";
  c.tile_m = 128, c.tile_n = 256, c.warp_m = 64, c.warp_n = 64, c.stages = 3;
  const Layer l = gemm(4096, 4096, 4096, "fp16");
  const GemmPlan p = plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{});
  // Per thread: 64 x 64 fp32 accumulators / 32 = 128, + fragments 2 x (64 x 16 x 2 + 64 x 16 x 2)
  // B / 4 B / 32 = 64, + 32 = 224 registers; 8 warps x 224 x 32 = 57344 of 65536: one CTA.
  EXPECT_EQ(p.ctas_per_sm, 1);
  EXPECT_EQ(p.limiter, "registers");
  c.tile_n = 128;  // 4 warps x 7168 = 28672: two fit (and max_ctas_per_sm is 2)
  EXPECT_EQ(plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{}).ctas_per_sm, 2);
}

TEST(StcGemmPlan, SparseFp16IsSharedMemoryBound) {
  const StcConfig c = a100();
  Layer l = gemm(4096, 4096, 4096, "fp16");
  const NmFormat f = nvidia_nm_format(l.weights.dtype);
  const GemmPlan p = plan_gemm(c, l, lower_to_gemm(l), true, f);
  EXPECT_EQ(p.bk, 64);  // same 64 B of compressed-weight rows per stage, twice the dense K
  // 128 x 64 x 2 B activations + 128 x 64 x 2 B x 0.5625 weights = 16384 + 9216.
  EXPECT_DOUBLE_EQ(p.stage_bytes, 25600.0);
  EXPECT_EQ(p.stages, 4);
  EXPECT_EQ(p.ctas_per_sm, 1);  // floor(164 KiB / (4 x 25600 B)) = 1
  EXPECT_EQ(p.limiter, "smem");
  // 4 warps, one per tensor core: 4 x 8 x 2 m16n8k32 mma.sp of 8 cycles = 512 cycles.
  EXPECT_EQ(p.waves[0].full.math_cycles, 512u);
  // Fill 25600 B + 4 x (64 x 64 x 2 + 64 x 64 x 2 x 0.5625) B = 76800 B / 128 B/clk = 600 cycles.
  EXPECT_EQ(p.waves[0].full.smem_cycles, 600u);
  EXPECT_EQ(p.waves[0].full.cycles(), 600u);
}

TEST(StcGemmPlan, TileThatCannotFitIsAnError) {
  StcConfig c = a100();
  c.smem_kb = 16;  // one 16 KiB stage of a dense fp16 128x128x32 tile; double buffering needs 32
  const Layer l = gemm(1024, 1024, 1024, "fp16");
  EXPECT_THROW(plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{}), InputError);
}

// compute.mma_sync_rate: warp-level mma.sync tiles run at that fraction of fma_per_clk, warpgroup
// (wgmma) tiles at the full rate. H100-like fp16 (512 FMA/clk per tensor core): one m16n8k16
// (2048 FMA) takes 2048 / 512 = 4 cycles at the full rate, 2048 / (512 x 0.5) = 8 at half.
TEST(StcGemmPlan, MmaSyncRateSlowsOnlyWarpLevelMma) {
  StcConfig c = a100();
  c.fma_per_clk["fp16"] = 512;
  c.mma_sync_rate = 0.5;
  const Layer l = gemm(1024, 1024, 1024, "fp16");
  const GemmPlan warp = plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{});
  EXPECT_DOUBLE_EQ(warp.cycles_per_mma, 8.0);
  c.warpgroup = true;
  c.warp_n = 128;  // a warpgroup tile; the rate does not depend on its shape
  const GemmPlan wg = plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{});
  EXPECT_DOUBLE_EQ(wg.cycles_per_mma, 4.0);
}

}  // namespace
}  // namespace accsim
