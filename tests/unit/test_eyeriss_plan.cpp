// Row-stationary mapping (sim/hw/eyeriss/rs_plan.cpp) on AlexNet's CONV layers and a small FC
// layer. Expectations are derived by hand beside each check; the active-PE counts are also the
// published ones (Eyeriss JSSC'17 Table V: 154, 135, 156, 156, 156).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/hw/eyeriss/rs_plan.hpp"

namespace accsim {
namespace {

RsShape conv(int64_t n, int64_t m, int64_t c, int64_t g, int64_t hw, int64_t k, int64_t e, int64_t u) {
  RsShape s;
  s.n = n, s.m = m, s.c = c, s.g = g, s.h = s.w = hw, s.r = s.s = k, s.e = s.f = e, s.u = u;
  return s;
}

// A batch x features -> features fully connected layer on Bit Fusion's 16 x 16 Eyeriss baseline,
// its filter bus carrying `noc_words_per_cycle`.
RsPlan plan_fc_on_16x16(int64_t batch, int64_t features, int64_t noc_words_per_cycle) {
  Layer l;
  l.op = OpKind::Linear;
  l.m = batch, l.n = features, l.k = features;
  RsArray a;
  a.rows = a.cols = 16, a.noc_words_per_cycle = noc_words_per_cycle;
  return plan_row_stationary(rs_shape_of(l), a);
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
  // 168 1x1 blocks fit; the layer has 5 m-groups x 5 channel groups = 25 blocks: one pass.
  EXPECT_EQ(p.blocks_per_pass, 168);
  EXPECT_EQ(p.active_pes, 25);
  EXPECT_EQ(p.passes, 1u);
  // 25 filter sets x 20 x 10 words = 5000 words / 4 per cycle + 1 = 1251 cycles; the pass's
  // filters (200 words) do not fit twice into 224, so the load is not hidden.
  EXPECT_EQ(p.pass_compute_cycles, 200u);
  EXPECT_EQ(p.pass_fill_cycles, 1251u);
}

TEST(EyerissPlan, FullyConnectedBatchReusesFiltersAndHidesTheLoad) {
  const RsPlan p = plan_fc_on_16x16(16, 3600, 12);  // Bit Fusion's LSTM gate matmul at batch 16
  // n = 1: p = 18 (<= 224/12, divides 3600), pass 18 x 12 = 216 cycles, fill 256 sets x 216 words
  // / 12 = 4608: bus-bound, so n grows. n = 16: p = 1 (24/16), pass 16 x 12 = 192 cycles, fill
  // 256 x 12 / 12 + 1 = 257, hidden up to 192 (12 words fit twice in 224): 65 extra cycles.
  EXPECT_EQ(p.n_img, 16);
  EXPECT_EQ(p.p, 1);
  EXPECT_EQ(p.q, 12);
  EXPECT_EQ(p.pass_compute_cycles, 192u);
  EXPECT_EQ(p.pass_fill_cycles, 65u);
  // 3600 m-groups x 300 channel groups = 1,080,000 blocks / 256 per pass = 4219 passes.
  EXPECT_EQ(p.passes, 4219u);
}

TEST(EyerissPlan, FullyConnectedOnAFastBusStillBatchesToHideTheLoad) {
  // Bit Fusion's RNN matmul at batch 16 (2^28 MACs) on a bus far above the 16 words/cycle needed.
  const RsPlan p = plan_fc_on_16x16(16, 4096, 1000);
  // q = 8 (<= 12, divides 4096). n = 1: p = 16 (<= min(24, 224/8 = 28), divides 4096), pass
  // 16 x 8 = 128 cycles, fill 256 sets x 128 words / 1000 = 33 + 1 = 34 cycles, not hidden
  // (2 x 128 > 224): 162 cycles per pass, 79 %. n = 2: p = 8 (24/2 = 12, divides 4096), pass
  // 2 x 8 x 8 = 128 cycles, fill 256 x 64 / 1000 = 17 + 1 = 18, hidden (2 x 64 <= 224): 128.
  EXPECT_EQ(p.n_img, 2);
  EXPECT_EQ(p.p, 8);
  EXPECT_EQ(p.q, 8);
  EXPECT_EQ(p.pass_compute_cycles, 128u);
  EXPECT_EQ(p.pass_fill_cycles, 0u);
  // 512 m-groups x 512 channel groups x 8 image pairs = 2,097,152 blocks / 256 = 8192 passes;
  // 8192 x 128 = 1,048,576 = 2^28 / 256: every PE busy every cycle.
  EXPECT_EQ(p.passes, 8192u);
  EXPECT_EQ(p.compute_cycles(), 1048576u);
}

TEST(EyerissPlan, FullyConnectedOnTheSharedInterfaceIsBusBound) {
  const RsPlan p = plan_fc_on_16x16(16, 4096, 12);  // Bit Fusion's 192-bit interface
  // Each weight serves the 16 images only, so 256 MACs/cycle need 16 filter words/cycle: at 12 no
  // mapping exceeds 75 %. n = 16, p = 1, q = 8: pass 128 cycles, fill 256 x 8 / 12 = 171 + 1 =
  // 172, hidden up to 128: 44 extra. 8192 passes x 172 = 1,409,024 cycles, 74.4 %.
  EXPECT_EQ(p.n_img, 16);
  EXPECT_EQ(p.pass_fill_cycles, 44u);
  EXPECT_EQ(p.compute_cycles(), 8192u * 172u);
}

TEST(EyerissPlan, FullyConnectedMulticastsIfmapsToStackedFilters) {
  const RsPlan p = plan_fc_on_16x16(16, 3600, 12);
  // 1,080,000 1x1 blocks of 16 images x 12 channels. Channel groups stacked: every block reads
  // its own ifmaps, 16 x 12 = 192 GLB words per block = 207,360,000 (= MACs), psums reduced in
  // the array (~77 k). Filters stacked: one GLB read multicast to 256 PEs = 810,000; psums, 16
  // words per block, stay in the psum spads through the 300 channel groups and go to the GLB
  // once: 17,280,000 / 300 = 57,600. The second order wins.
  EXPECT_EQ(p.ifmap_multicast, 256.0);
  // NoC: per block 12 filter words and its share of the ifmap multicast, 192 words to 256 PEs
  // that fill 16 rows of 16: one X-bus transfer per row, 192 x 16 / 256 = 12; no psum hops (R = 1).
  EXPECT_DOUBLE_EQ(p.noc_words, 1080000.0 * (192.0 * 16.0 / 256.0 + 12.0));
  // GLB: those two plus the DRAM fills and write-backs (filters bypass the GLB). The ifmaps,
  // 16 x 3600 = 57,600 words, exceed half the GLB (27,648) and stream once per 1,728 m-groups whose
  // 16 psums each fit that half: ceil(3600 / 1728) = 3 streams = 172,800; outputs 57,600.
  EXPECT_DOUBLE_EQ(p.glb_accesses, 810000.0 + 57600.0 + 3 * 57600.0 + 57600.0);
}

TEST(EyerissPlan, NocCountsOneTransferPerRowForFilterMulticast) {
  // One 3 x 3 filter over a 5 x 5 (padded) image: one 3 x 3 block (PE (r, e): filter row r, output
  // row e), q = p = n = 1, one pass.
  const RsPlan p = plan_row_stationary(conv(1, 1, 1, 1, 5, 3, 3, 1), RsArray{});
  EXPECT_EQ(p.active_pes, 9);
  // Ifmaps: each PE gets its ifmap row of (F - 1) x U + S = 5 words; the 9 PEs sit in 3 rows and
  // an ifmap row goes diagonally (one PE per row): 45 transfers. Filters: row r's 3 weights multicast to the 3 PEs of row r: 3 x 3 = 9
  // (27 if counted per PE). Psums: 2 hops up each of 3 columns x 3 outputs = 18. Total 72.
  EXPECT_DOUBLE_EQ(p.noc_words, 45.0 + 9.0 + 18.0);
  // Spads are written per PE all the same: 4 accesses per MAC (3 x 3 outputs x 9 taps = 81 MACs)
  // + 9 PEs x (5 + 3) fills.
  EXPECT_DOUBLE_EQ(p.rf_accesses, 4.0 * 81 + 9.0 * 8);
}

// RLC (JSSC'17): 64-bit words of three (5-bit run, 16-bit level) pairs + 1 termination bit.
// A pair covers min(G, 31) zeros and one level, zeros independent with probability z:
// (1 - z^32) / (1 - z) values per pair; encoded bits per value = 64 / 3 / that; ratio = / 16.
TEST(EyerissPlan, RlcEncodedRatioFollowsTheZeroRuns) {
  EXPECT_NEAR(rlc_encoded_ratio(0.0), 4.0 / 3.0, 1e-12);          // one value per pair: 21.33 bits
  EXPECT_NEAR(rlc_encoded_ratio(0.5), 2.0 / 3.0, 1e-9);           // 2 values per pair (0.5^32 ~ 0)
  EXPECT_NEAR(rlc_encoded_ratio(0.387), 0.613 * 4.0 / 3.0, 1e-9);  // CONV2 ifmaps: 0.8173
  // z = 0.99: (1 - 0.99^32) / 0.01 = 27.50 values per pair (the 5-bit run caps it below 100).
  EXPECT_NEAR(rlc_encoded_ratio(0.99), 4.0 / 3.0 * 0.01 / (1.0 - std::pow(0.99, 32)), 1e-12);
  EXPECT_NEAR(rlc_encoded_ratio(0.99), 0.04848, 1e-4);
}

}  // namespace
}  // namespace accsim
