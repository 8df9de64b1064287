// Stream-K (sim/hw/stc/stream_k.hpp, the stream-K wave in gemm_plan.cpp): CUTLASS's dispatch
// rules and the timing of a stream-K wave, derived by hand below.
#include <gtest/gtest.h>

#include "sim/hw/stc/gemm_plan.hpp"
#include "sim/hw/stc/kernel_select.hpp"
#include "sim/hw/stc/stream_k.hpp"
#include "tests/unit/hw/stc/stc_test_layers.hpp"

namespace accsim {
namespace {

void expect_split(const StreamKSplit& s, int64_t dp, int64_t tiles, int64_t units) {
  EXPECT_EQ(s.dp_tiles, dp);
  EXPECT_EQ(s.sk_tiles, tiles);
  EXPECT_EQ(s.sk_units, units);
}

TEST(StcStreamK, Sm90KeepsOneFullWaveDataParallelLess) {
  // H100 SXM (132 SMs), 3072x3072 output in 128x256 tiles: 24 x 12 = 288 tiles = 2 full waves +
  // 24. get_num_sk_tiles: dp_waves = 2 - 1 = 1 -> 132 DP tiles, 156 stream-K tiles; K 10240 in
  // 64-deep k-steps: 160 each; units = min(132, 156 x 160 / 8) = 132.
  expect_split(stream_k_sm90(288, 160, 132), 132, 156, 132);
  // No tail (264 = 2 waves) or too few k-steps to split (<= 8): data-parallel only.
  expect_split(stream_k_sm90(264, 160, 132), 264, 0, 0);
  expect_split(stream_k_sm90(288, 8, 132), 288, 0, 0);
  // One wave and a bit: all 140 tiles stream-K, min(132, 140 x 12 / 8 = 210) units.
  expect_split(stream_k_sm90(140, 12, 132), 0, 140, 132);
}

TEST(StcStreamK, Sm80FollowsTheSwizzleCostModel) {
  // 108 SMs, 1 CTA each, 120 tiles of 24 k-steps: 1 full wave + 12; the last full wave joins the
  // stream-K region (0 DP tiles, 120 SK tiles, 2880 k-steps); only 108 units are allowed:
  // 27 k-steps each (ceil 26.7), peers ceil(108/120) + 1 = 2, fixup int(2 + 0.02x2x27 + 2x2) = 7,
  // savings 2 waves x 24 - 27 - 7 = 14 >= 0: stream-K with 108 units.
  expect_split(stream_k_sm80(120, 24, 108, 1), 0, 120, 108);
  // 300 tiles: 2 waves + 84; SK region 192 tiles (4608 k-steps) on 108 units: 43 each, fixup
  // int(2 + 0.02x2x43 + 4) = 7, savings 48 - 43 - 7 = -2 < 0: the library stays data-parallel.
  expect_split(stream_k_sm80(300, 24, 108, 1), 300, 0, 0);
  // 50 tiles, 2 CTAs per SM (below one wave): trial units 51..216; 100 units (2 per tile,
  // aligned: no skew cost) take 12 k-steps + fixup int(2 + 2x2) = 6: savings 24 - 12 - 6 = 6, the
  // best (108 units: 12 + int(2 + 0.02x4x12 + 8) = 22, savings 2; 200: 12 + 12, savings 0).
  expect_split(stream_k_sm80(50, 24, 108, 2), 0, 50, 100);
  expect_split(stream_k_sm80(216, 24, 108, 2), 216, 0, 0);  // whole waves
}

TEST(StcStreamK, UnitRangesAreEvenBigUnitsFirst) {
  // 24960 k-steps over 132 units: 189 each, the first 24960 - 189 x 132 = 12 units 190.
  EXPECT_EQ(stream_k_unit(24960, 132, 0).begin, 0);
  EXPECT_EQ(stream_k_unit(24960, 132, 0).end, 190);
  EXPECT_EQ(stream_k_unit(24960, 132, 12).begin, 12 * 190);
  EXPECT_EQ(stream_k_unit(24960, 132, 12).end, 12 * 190 + 189);
  EXPECT_EQ(stream_k_unit(24960, 132, 131).end, 24960);
}

// 4 SMs of one CTA each, a 128x128 fp16 tile (64x64 warps, K 32 per k-step): 640x128x1024
// makes 5 tiles of 32 k-steps, one more than a wave.
StcConfig small_gpu(bool stream_k) {
  StcConfig c = stc_test::a100_rates();
  c.sms = 4;
  c.max_ctas_per_sm = 1;
  c.library = "sm90";  // its stream-K rule; the tile is the one configured here
  c.stream_k = stream_k;
  return c;
}

TEST(StcStreamK, WaveTimingFromTheMechanism) {
  const Layer l = stc_test::gemm_layer(OpKind::Gemm, 640, 128, 1024, 1, "fp16");
  const GemmShape g = lower_to_gemm(l);
  const GemmPlan sk = plan_gemm(small_gpu(true), l, g, false, NmFormat{});
  // sm90 rule: 1 full wave -> no DP wave; 5 SK tiles x 32 = 160 k-steps, min(4, 160/8) = 4 units
  // of 40: [0,40) [40,80) [80,120) [120,160) over tiles [0,32) [32,64) ... [128,160).
  ASSERT_EQ(sk.waves.size(), 1u);
  EXPECT_EQ(sk.sk_units, 4);
  EXPECT_EQ(sk.sk_tiles, 5);
  const WavePlan& w = sk.waves[0];
  EXPECT_EQ(w.steps, 40);
  // Unit 0 finishes tiles 0 and 1 (it holds tile 1's first k-step, 32): two C tiles of
  // 128x128x2 B = 32 KiB, and reads unit 1's fp32 partial of tile 1 (64 KiB). Units 1 and 2 write
  // a partial (64 KiB), store one C tile (32 KiB) and read one partial; unit 3 finishes tile 4
  // alone. Busiest SM: 96 KiB stored, 64 KiB read back; 3 partials in all.
  EXPECT_DOUBLE_EQ(w.store_port_bytes, 98304.0);
  EXPECT_DOUBLE_EQ(w.fixup_port_bytes, 65536.0);
  EXPECT_DOUBLE_EQ(w.fixup_l2_bytes, 3 * 65536.0);
  EXPECT_DOUBLE_EQ(sk.sk_partial_bytes, 3 * 65536.0);
  EXPECT_DOUBLE_EQ(w.store_bytes, 3 * 65536.0 + 5 * 32768.0);
  // A k-step: 4 warps x (4 x 8 m16n8k16 x 2) = 64 mmas per tensor core x 8 cycles = 512 cycles.
  EXPECT_EQ(w.full.cycles(), 512u);
  // Epilogue staging (sm80: fp32 accumulators written to and read from shared memory): unit 0
  // stages 2 tiles x 128 x 128 x 4 B x 2 = 256 KiB at 128 B/clk = 2048 cycles, more than the
  // busiest store (96 KiB / 64 B/clk = 1536).
  EXPECT_DOUBLE_EQ(w.epilogue_smem_bytes, 262144.0);
  // One CTA per SM, sm80-style (not warpgroup): every wave first waits for its first stage, L2
  // latency 200 + 16 KiB / 64 B/clk = 456 cycles (prologue_overlaps).
  EXPECT_FALSE(prologue_overlaps(small_gpu(true), sk));
  // Estimate: prologue 456 + 40 x 512 + fixup 64 KiB / 64 B/clk + epilogue 2048
  // = 456 + 20480 + 1024 + 2048.
  EXPECT_DOUBLE_EQ(estimate_cycles(small_gpu(true), sk, 1e30), 24008.0);
  // Data-parallel: two waves of prologue 456 + 32 x 512 + epilogue max(32 KiB / 64,
  // 128 KiB / 128) = 1024 cycles: 2 x 17864 = 35728.
  const GemmPlan dp = plan_gemm(small_gpu(false), l, g, false, NmFormat{});
  EXPECT_EQ(dp.sk_units, 0);
  EXPECT_DOUBLE_EQ(estimate_cycles(small_gpu(false), dp, 1e30), 35728.0);
  // Two CTAs per SM: the next wave's prologue runs under the previous one's k-loop; only the
  // kernel's first fill (200 cycles of latency) is exposed.
  StcConfig two = small_gpu(false);
  two.max_ctas_per_sm = 2;
  two.sms = 2;
  const GemmPlan dp2 = plan_gemm(two, l, g, false, NmFormat{});
  EXPECT_TRUE(prologue_overlaps(two, dp2));
}

TEST(StcStreamK, ThreePeersWaitForTheMiddleOne) {
  // 5 tiles of 8 k-steps on 4 SMs under the sm80 rule, occupancy 1: 1 full wave + 1, all 5 tiles
  // stream-K (40 k-steps); units tried 4..min(4, 20): 4 units of 10 k-steps, peers
  // ceil(4/5) + 1 = 2, savings 2 x 8 - 10 - int(2 + 0.02 x 2 x 10 + 4) = 0 >= 0: stream-K.
  expect_split(stream_k_sm80(5, 8, 4, 1), 0, 5, 4);
  // 1 tile of 32 k-steps on 4 SMs (below one wave, occupancy 1): 2..4 units; 4 units aligned
  // (4 % 1 == 0): 8 k-steps + int(2 + 2 x 4) = 10, savings 32 - 8 - 10 = 14 (2: 16 + 6, 10).
  expect_split(stream_k_sm80(1, 32, 4, 1), 0, 1, 4);
  StcConfig c = small_gpu(true);
  c.library = "sm80";
  const Layer l = stc_test::gemm_layer(OpKind::Gemm, 128, 128, 1024, 1, "fp16");
  const GemmPlan p = plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{});
  ASSERT_EQ(p.waves.size(), 1u);
  const WavePlan& w = p.waves[0];
  EXPECT_EQ(w.steps, 8);
  // Unit 0 finishes the tile: reads 3 partials (192 KiB) and waits for units 1 and 2, whose whole
  // runs lie inside the tile, to write theirs (one partial's port time, 64 KiB): 256 KiB.
  EXPECT_DOUBLE_EQ(w.fixup_port_bytes, 4 * 65536.0);
  EXPECT_DOUBLE_EQ(w.store_port_bytes, 65536.0);  // units 1-3: one partial each; unit 0: 32 KiB C
}

}  // namespace
}  // namespace accsim
