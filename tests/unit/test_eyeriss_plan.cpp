// Row-stationary mapping (sim/hw/eyeriss/rs_plan.cpp) on AlexNet's CONV layers and a small FC
// layer. Expectations are derived by hand beside each check; the active-PE counts are also the
// published ones (Eyeriss JSSC'17 Table V: 154, 135, 156, 156, 156).
#include <gtest/gtest.h>

#include "sim/hw/eyeriss/rs_plan.hpp"

namespace accsim {
namespace {

RsShape conv(int64_t n, int64_t m, int64_t c, int64_t g, int64_t hw, int64_t k, int64_t e, int64_t u) {
  RsShape s;
  s.n = n, s.m = m, s.c = c, s.g = g, s.h = s.w = hw, s.r = s.s = k, s.e = s.f = e, s.u = u;
  return s;
}

TEST(EyerissPlan, AlexNetConv1) {
  const RsPlan p = plan_row_stationary(conv(4, 96, 3, 1, 227, 11, 55, 4), RsArray{});
  // 11 x 55 set: 4 strips of <= 14 rows (14,14,14,13); 12/11 = 1 block per pass; 11 x 14 = 154 PEs.
  EXPECT_EQ(p.strips, 4);
  EXPECT_EQ(p.blocks_per_pass, 1);
  EXPECT_EQ(p.active_pes, 154);
  // q = 12/11 = 1 channel; p <= min(24, 224/11 = 20) dividing 96 best: 16.
  EXPECT_EQ(p.q, 1);
  EXPECT_EQ(p.p, 16);
  EXPECT_EQ(p.pass_compute_cycles, 16u * 55 * 11);     // 9680
  EXPECT_EQ(p.pass_fill_cycles, 1936u / 4 + 11);         // 11 rows x 16 x 11 words over 4 words/cycle + chain
  // Passes: 96/16 m-groups x (3 channels x 4 images x 4 strips) blocks, one per pass = 288.
  EXPECT_EQ(p.passes, 6u * 48);
}

TEST(EyerissPlan, AlexNetConv2TwoStripsStacked) {
  const RsPlan p = plan_row_stationary(conv(4, 256, 96, 2, 31, 5, 27, 1), RsArray{});
  // 5 x 27 set: strips 14 and 13, 12/5 = 2 stacked: 5 x 14 + 5 x 13 = 135 PEs.
  EXPECT_EQ(p.strips, 2);
  EXPECT_EQ(p.blocks_per_pass, 2);
  EXPECT_EQ(p.active_pes, 135);
  EXPECT_EQ(p.q, 2);   // 12/5
  EXPECT_EQ(p.p, 16);  // <= min(24, 224/10 = 22), 128 filters per group
}

TEST(EyerissPlan, AlexNetConv3FourChannelSetsStacked) {
  const RsPlan p = plan_row_stationary(conv(4, 384, 256, 1, 15, 3, 13, 1), RsArray{});
  EXPECT_EQ(p.blocks_per_pass, 4);    // 14/13 = 1 across, 12/3 = 4 down
  EXPECT_EQ(p.active_pes, 156);       // 4 x 3 x 13
  EXPECT_EQ(p.q, 4);                  // 12/3
  EXPECT_EQ(p.p, 16);                 // <= min(24, 224/12 = 18), divides 384
  EXPECT_EQ(p.pass_compute_cycles, 2496u);  // 16 x 4 x 13 x 3
  // Four channel sets need four filter sets: 4 x 3 x 16 x 4 x 3 = 2304 words / 4 + 3 rows.
  EXPECT_EQ(p.pass_fill_cycles, 579u);
  // 24 m-groups x (64 channel groups x 4 images / 4 per pass) = 1536 passes; 1536 x 3075 cycles
  // = 4,723,200 = 23.6 ms at 200 MHz (the published 23.6 ms includes everything else too).
  EXPECT_EQ(p.passes, 1536u);
  EXPECT_EQ(p.compute_cycles(), 4723200u);
  // Per-level counts: 4 RF accesses per MAC plus scratchpad fills, so more than 4 x MACs.
  EXPECT_DOUBLE_EQ(p.macs, 4.0 * 384 * 256 * 9 * 169);
  EXPECT_GT(p.rf_accesses, 4.0 * p.macs);
}

TEST(EyerissPlan, FullyConnectedUsesFewPes) {
  Layer l;
  l.op = OpKind::Linear;
  l.m = 1, l.n = 100, l.k = 50;
  const RsShape s = rs_shape_of(l);
  EXPECT_EQ(s.n, 1);
  EXPECT_EQ(s.m, 100);
  EXPECT_EQ(s.c, 50);
  const RsPlan p = plan_row_stationary(s, RsArray{});
  EXPECT_EQ(p.q, 10);  // <= 12 words, divides 50
  EXPECT_EQ(p.p, 20);  // <= min(24, 224/10 = 22), divides 100
  // 168 1x1 blocks fit, but one image has only 50/10 = 5 channel groups per m-group.
  EXPECT_EQ(p.blocks_per_pass, 168);
  EXPECT_EQ(p.active_pes, 5);
  EXPECT_EQ(p.passes, 5u);  // 100/20 m-groups, one pass each
}

}  // namespace
}  // namespace accsim
