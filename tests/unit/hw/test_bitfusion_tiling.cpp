// Bit Fusion's buffer tiling (sim/hw/bitfusion/loop_tiling.cpp): a layer that fits in one tile
// (derived by hand) and CIFAR-10 conv1 at the ISCA'18 configuration, whose DRAM traffic and
// compute cycles the authors' simulator published (github.com/hsharma35/bitfusion,
// results/bitfusion-eyeriss-sim-sweep.csv, row "16,32,8,2,CIFAR10,conv1", bandwidth 192).
#include <gtest/gtest.h>

#include "sim/hw/bitfusion/loop_tiled_traffic.hpp"
#include "sim/hw/bitfusion/loop_tiling.hpp"
#include "sim/hw/systolic/fold_model.hpp"

namespace accsim {
namespace {

LoopTilingInputs bit_fusion(double bits) {
  LoopTilingInputs in;
  in.rows = 16, in.cols = 32;
  in.pack = static_cast<int64_t>((8 / bits) * (8 / bits));  // fused products per lane
  in.a_bits = in.w_bits = bits, in.acc_bits = 32;
  in.act_capacity_bits = 32 * 1024 * 8 / 2;  // halves of the 32/64/16 KB buffers
  in.wgt_capacity_bits = 64 * 1024 * 8 / 2;
  in.out_capacity_bits = 16 * 1024 * 8 / 2;
  in.dram_bits_per_cycle = 192;
  return in;
}

TEST(BitFusionTiling, SmallMatmulIsOneTile) {
  LoopNest n;
  n.b = 16, n.ic = 64, n.oc = 32;
  const LoopTilingPlan p = evaluate_loop_tiling(n, bit_fusion(8), {16, 1, 1, 64, 32}, {0, 1, 2, 3, 4});
  ASSERT_TRUE(p.found);
  EXPECT_EQ(p.tiles(), 1);
  // Inputs 16 x 64 x 8 = 8192 bits; weights 64 (4 row tiles of 16) x 32 x 8 = 16384; the output
  // block 16 x 32 accumulators of 32 bits = 16384, loaded and stored once.
  EXPECT_DOUBLE_EQ(p.dram_read_bits[kAct], 8192);
  EXPECT_DOUBLE_EQ(p.dram_read_bits[kWgt], 16384);
  EXPECT_DOUBLE_EQ(p.dram_read_bits[kOut], 16384);
  EXPECT_DOUBLE_EQ(p.dram_write_bits, 16384);
  // 16 rows x 1 column tile x 4 reduction steps of 16 lanes.
  EXPECT_DOUBLE_EQ(p.compute_cycles, 64);
  // Cycles: compute plus the first load and the last store, which nothing overlaps, each in whole
  // interface cycles as the authors' get_stats_fast rounds them: 64 + ceil((8192 + 16384 + 16384)
  // / 192) + ceil(16384 / 192) = 64 + 214 + 86 = 364.
  EXPECT_DOUBLE_EQ(p.cycles, 364);
  // Smaller tiles keep every block resident too (the grown blocks are the whole operands): same
  // bits, same edge and cycles. The tie then goes to the fewest OBUF accumulate passes (one input-
  // channel tile of 64), and among those to the first in search order, batch tiles of 1: 16 tiles.
  const LoopTilingPlan best = plan_loop_tiling(n, bit_fusion(8));
  EXPECT_DOUBLE_EQ(best.cycles, p.cycles);
  EXPECT_EQ(best.count[kInChannels], 1);
  EXPECT_EQ(best.tiles(), 16);
  EXPECT_DOUBLE_EQ(best.dram_bits(), 57344);
}

TEST(BitFusionTiling, Cifar10Conv1MatchesTheAuthorsSimulator) {
  LoopNest n;
  n.b = 16, n.oh = n.ow = 32, n.ic = n.oc = 128, n.kh = n.kw = 3;
  const LoopTilingPlan p = plan_loop_tiling(n, bit_fusion(2));
  ASSERT_TRUE(p.found);
  // Published: DRAM Read 86,310,912 bits, DRAM Write 67,108,864 bits (= 16 x 32 x 32 x 128
  // outputs x 32 bits), cycles 799,062 of which 209,238 memory wait: compute 589,824
  // (= 16 x 32 x 32 x 4 column tiles x 9 taps x 1 row tile of 256 lanes).
  EXPECT_DOUBLE_EQ(p.dram_read_bits[kAct] + p.dram_read_bits[kWgt] + p.dram_read_bits[kOut], 86310912);
  EXPECT_DOUBLE_EQ(p.dram_write_bits, 67108864);
  EXPECT_DOUBLE_EQ(p.compute_cycles, 589824);
}

// The layer sizes of the authors' AlexNet / ResNet-18 run (workloads/bitfusion/NET-authors.yaml),
// derived from the compute cycles of the same CSV: with them the controller's count is theirs.
TEST(BitFusionTiling, AuthorsAlexNetConv2On56x56) {
  LoopNest n;  // conv2_a: 48 -> 128 channels, 5 x 5, on the 56 x 56 map their run used (network: 27)
  n.b = 16, n.oh = n.ow = 56, n.ic = 48, n.oc = 128, n.kh = n.kw = 5;
  const LoopTilingPlan p = plan_loop_tiling(n, bit_fusion(4));
  ASSERT_TRUE(p.found);
  // Published row "16,32,8,2,AlexNet,conv2_a": Cycles 5,018,849 - Memory wait 1,249 = 5,017,600 =
  // 16 x 56^2 x 4 column tiles x 25 taps x 1 row tile (48 channels <= 16 x 4 lanes);
  // DRAM Write 205,520,896 = 16 x 56^2 x 128 outputs x 32 bits, written once.
  EXPECT_DOUBLE_EQ(p.compute_cycles, 5017600);
  EXPECT_DOUBLE_EQ(p.dram_write_bits, 205520896);
}

TEST(BitFusionTiling, AuthorsResNet18Conv5On14x14) {
  LoopNest n;  // conv5_1_b: 512 -> 512 channels, 3 x 3, on 14 x 14 (network: 7)
  n.b = 16, n.oh = n.ow = 14, n.ic = n.oc = 512, n.kh = n.kw = 3;
  const LoopTilingPlan p = plan_loop_tiling(n, bit_fusion(4));
  ASSERT_TRUE(p.found);
  // Published row "16,32,8,2,RESNET-18,module5/conv5_1_b/Convolution": 3,614,180 - 1,508 =
  // 3,612,672 = 16 x 14^2 x 16 column tiles x 9 taps x 8 row tiles (512 / 64 lanes).
  EXPECT_DOUBLE_EQ(p.compute_cycles, 3612672);
}

// The authors' tie rule (optimizer.py): fewest cycles, and on an exact tie the lower energy, i.e.
// here the fewer DRAM bits. Derived by hand: a 1 x 128 x 64 matmul at 8 bits (16 lanes, 32 columns),
// an output half-buffer of 1,024 bits (one 1 x 32 block of 32-bit words) and a 2^20-bit interface,
// so every transfer rounds to one cycle.
TEST(BitFusionTiling, TiedCyclesKeepTheFewerDramBits) {
  LoopTilingInputs in = bit_fusion(8);
  in.act_capacity_bits = in.wgt_capacity_bits = 1 << 20;
  in.out_capacity_bits = 1024;
  in.dram_bits_per_cycle = 1 << 20;
  LoopNest n;
  n.b = 1, n.ic = 128, n.oc = 64;
  // Tiles ic 16, oc 32: 8 x 2 tiles of one step each = 16 compute cycles; cycles 16 + 1 (first
  // load) + 1 (last store) = 18 in both orders below.
  const LoopTilingPlan spill =
      evaluate_loop_tiling(n, in, {1, 1, 1, 16, 32}, {kBatch, kOutRows, kOutCols, kInChannels, kOutChannels});
  const LoopTilingPlan once =
      evaluate_loop_tiling(n, in, {1, 1, 1, 16, 32}, {kBatch, kOutRows, kOutCols, kOutChannels, kInChannels});
  EXPECT_DOUBLE_EQ(spill.cycles, 18);
  EXPECT_DOUBLE_EQ(once.cycles, 18);
  // oc innermost: the output block grows to 2 x 1,024 > 1,024 and is evicted, so each of the 8
  // input-channel tiles loads and stores all 2,048 bits of partial sums: 16,384 each way; plus
  // act 128 x 8 = 1,024 and wgt 128 x 64 x 8 = 65,536: 99,328 bits.
  EXPECT_DOUBLE_EQ(spill.dram_write_bits, 16384);
  EXPECT_DOUBLE_EQ(spill.dram_bits(), 99328);
  // ic innermost: the 1,024-bit block stays while ic runs; outputs loaded and stored once:
  // 1,024 + 65,536 + 2,048 + 2,048 = 70,656 bits, the least any tiling can move.
  EXPECT_DOUBLE_EQ(once.dram_bits(), 70656);
  // The search meets the spilling order first (ic > oc, lexicographic) yet keeps the fewer bits.
  const LoopTilingPlan best = plan_loop_tiling(n, in);
  EXPECT_DOUBLE_EQ(best.cycles, 18);
  EXPECT_DOUBLE_EQ(best.dram_bits(), 70656);
  EXPECT_DOUBLE_EQ(best.dram_write_bits, 2048);
}

TEST(BitFusionTiling, EvictedOutputsSpillAtEveryInputChannelTile) {
  // One order by hand: 4 output-channel tiles of 32 outside 2 input-channel tiles of 64 on a
  // 1 x 1 matmul with b = 256, at 8 bits. Out block 256 x 32 x 32 bits = 262,144 > 65,536: it
  // never fits, so the output block is loaded and stored at every iteration of both loops.
  LoopNest n;
  n.b = 256, n.ic = 128, n.oc = 128;
  LoopTilingInputs in = bit_fusion(8);
  in.out_capacity_bits = 262144;
  const LoopTilingPlan p = evaluate_loop_tiling(n, in, {256, 1, 1, 64, 32}, {kBatch, kOutRows, kOutCols, kOutChannels, kInChannels});
  ASSERT_TRUE(p.found);
  // Innermost ic (2 tiles): the output block does not depend on it and still fits: reused, 262,144
  // bits. Then oc (4 tiles): grows to 1,048,576 > capacity: evicted; outer loops have 1 tile.
  EXPECT_DOUBLE_EQ(p.dram_write_bits, 4 * 262144.0);
  // Order with ic outermost: the block grows along oc to 4 x 262,144 (evicted), then every one
  // of the 2 input-channel tiles loads and stores all partial sums again.
  const LoopTilingPlan q = evaluate_loop_tiling(n, in, {256, 1, 1, 64, 32}, {kInChannels, kBatch, kOutRows, kOutCols, kOutChannels});
  EXPECT_DOUBLE_EQ(q.dram_write_bits, 2 * 4 * 262144.0);
  EXPECT_DOUBLE_EQ(q.dram_read_bits[kOut], 2 * 4 * 262144.0);
}

// Bit Fusion streams its folds (loop_tiled_traffic.hpp): the array's time is the tiling's steps
// plus one fill and drain of 16 + 32 - 2 = 46 cycles, not one per fold.
TEST(BitFusionTiling, FoldsStreamBackToBackWithOneFillAndDrain) {
  TrafficInputs in;
  in.rows = 16, in.cols = 32;
  LoopNest n;
  n.b = 16, n.ic = 64, n.oc = 32;
  const LoopTilingPlan p = evaluate_loop_tiling(n, bit_fusion(8), {16, 1, 1, 64, 32}, {0, 1, 2, 3, 4});
  ASSERT_TRUE(p.found);
  EXPECT_EQ(loop_tiled_compute_cycles(p, in), 64u + 46u);  // 64 steps (SmallMatmulIsOneTile)
  in.temporal_scale = 2;  // a lane taking two cycles per product stretches the steps, not the skew
  EXPECT_EQ(loop_tiled_compute_cycles(p, in), 128u + 46u);
}

TEST(BitFusionTiling, AOneByOneConvIsNotBoundByFoldSkew) {
  // ResNet-18 conv2_1_a of the authors' run: 64 -> 64 channels, 1 x 1, 112 x 112, 4 bits. Published
  // (row "16,32,8,2,RESNET-18,module2/conv2_1_a"): 2,274,988 - 1,873,580 = 401,408 compute cycles
  // = 16 x 112^2 x 2 column tiles x 1 tap x 1 row tile (64 channels = 16 x 4 lanes).
  LoopNest n;
  n.b = 16, n.oh = n.ow = 112, n.ic = n.oc = 64;
  const LoopTilingPlan p = plan_loop_tiling(n, bit_fusion(4));
  ASSERT_TRUE(p.found);
  EXPECT_DOUBLE_EQ(p.compute_cycles, 401408);
  TrafficInputs in;
  in.rows = 16, in.cols = 32;
  EXPECT_EQ(loop_tiled_compute_cycles(p, in), 401408u + 46u);
  // The serial fold model pays 46 cycles of skew on each of its 16-step folds: M = 16 x 112^2 =
  // 200,704 pixels in 12,544 row folds x 2 column folds x (16 + 16 + 32 - 2) = 1,555,456, 3.9x.
  GemmShape g;
  g.m = 16 * 112 * 112, g.n = 64, g.k = 16;  // K' = 1 tap x 1 row tile x 16 rows
  EXPECT_EQ(plan_folds(g, 16, 32, Dataflow::OutputStationary).compute_cycles(), 1555456);
}

}  // namespace
}  // namespace accsim
