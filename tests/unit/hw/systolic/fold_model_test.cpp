// The fold equations against SCALE-Sim v2, worked by hand (docs/models/systolic.md §3).
// SCALE-Sim's "Total Cycles" is the zero-based index of the last cycle, so accsim = SCALE-Sim + 1.
// SCALE-Sim values: /tmp/research/scalesim.md §5 (its CALC-mode code paths re-run on these cases).
#include <gtest/gtest.h>

#include "sim/hw/systolic/fold_model.hpp"

namespace accsim {
namespace {

GemmShape gemm(int64_t m, int64_t n, int64_t k) {
  GemmShape g;
  g.m = m; g.n = n; g.k = k;
  return g;
}

struct Case {
  const char* what;
  int64_t rows, cols, m, n, k;
  Dataflow df;
  int64_t scalesim_total_cycles;  // SCALE-Sim v2 COMPUTE_REPORT "Total Cycles"
  int64_t row_folds, col_folds, cycles_per_fold;  // derivation, checked too
};

// Derivations (R x C array; os: Sr=M Sc=N T=K, per fold R+C+T-2; ws: Sr=K Sc=N T=M and
// is: Sr=K Sc=M T=N, per fold 2R+C+T-2):
const Case kCases[] = {
    // 8x8, 16^3: 2x2 folds; os 8+8+16-2 = 30 -> 120; ws/is 16+8+16-2 = 38 -> 152.
    {"8x8 gemm 16^3 os", 8, 8, 16, 16, 16, Dataflow::OutputStationary, 119, 2, 2, 30},
    {"8x8 gemm 16^3 ws", 8, 8, 16, 16, 16, Dataflow::WeightStationary, 151, 2, 2, 38},
    {"8x8 gemm 16^3 is", 8, 8, 16, 16, 16, Dataflow::InputStationary, 151, 2, 2, 38},
    // 8x8, M10 N5 K7. os: Sr=10 -> 2 row folds, 8+8+7-2 = 21 -> 42.
    {"8x8 gemm 10,5,7 os", 8, 8, 10, 5, 7, Dataflow::OutputStationary, 41, 2, 1, 21},
    // ws: Sr=7, Sc=5 -> 1 fold, 16+8+10-2 = 32.
    {"8x8 gemm 10,5,7 ws", 8, 8, 10, 5, 7, Dataflow::WeightStationary, 31, 1, 1, 32},
    // is: Sr=7, Sc=10 -> 1x2 folds, 16+8+5-2 = 27 -> 54.
    {"8x8 gemm 10,5,7 is", 8, 8, 10, 5, 7, Dataflow::InputStationary, 53, 1, 2, 27},
    // 32x32, SCALE-Sim Resnet50.csv Conv1 (M = 110*110 = 12100, N = 64, K = 147).
    // os: ceil(12100/32) = 379, ceil(64/32) = 2; 32+32+147-2 = 209; 758 x 209 = 158422.
    {"32x32 resnet conv1 os", 32, 32, 12100, 64, 147, Dataflow::OutputStationary, 158421, 379, 2, 209},
    // ws: ceil(147/32) = 5, 2; 64+32+12100-2 = 12194; 10 x 12194 = 121940.
    {"32x32 resnet conv1 ws", 32, 32, 12100, 64, 147, Dataflow::WeightStationary, 121939, 5, 2, 12194},
    // is: 5, ceil(12100/32) = 379; 64+32+64-2 = 158; 1895 x 158 = 299410.
    {"32x32 resnet conv1 is", 32, 32, 12100, 64, 147, Dataflow::InputStationary, 299409, 5, 379, 158},
};

TEST(FoldModel, EqualsScaleSimTotalCyclesPlusOne) {
  for (const Case& c : kCases) {
    const FoldPlan p = plan_folds(gemm(c.m, c.n, c.k), c.rows, c.cols, c.df);
    EXPECT_EQ(p.row_folds, c.row_folds) << c.what;
    EXPECT_EQ(p.col_folds, c.col_folds) << c.what;
    EXPECT_EQ(p.cycles_per_fold, c.cycles_per_fold) << c.what;
    EXPECT_EQ(p.compute_cycles(), c.scalesim_total_cycles + 1) << c.what;
  }
}

TEST(FoldModel, SpatialTemporalAssignment) {
  const GemmShape g = gemm(3, 5, 7);
  const FoldPlan os = plan_folds(g, 4, 4, Dataflow::OutputStationary);
  EXPECT_EQ(os.sr, 3); EXPECT_EQ(os.sc, 5); EXPECT_EQ(os.t, 7);
  const FoldPlan ws = plan_folds(g, 4, 4, Dataflow::WeightStationary);
  EXPECT_EQ(ws.sr, 7); EXPECT_EQ(ws.sc, 5); EXPECT_EQ(ws.t, 3);
  const FoldPlan is = plan_folds(g, 4, 4, Dataflow::InputStationary);
  EXPECT_EQ(is.sr, 7); EXPECT_EQ(is.sc, 3); EXPECT_EQ(is.t, 5);
}

TEST(FoldModel, OutputDrainAddsRowsPerFold) {
  // ISPASS'20 formula for os: 2R + C + T - 2 per fold. 8x8, 16^3: 4 x (16+8+16-2) = 152, the
  // paper-formula value in /tmp/research/scalesim.md §5.
  const FoldPlan p = plan_folds(gemm(16, 16, 16), 8, 8, Dataflow::OutputStationary, 1, true);
  EXPECT_EQ(p.compute_cycles(), 152);
}

TEST(FoldModel, TemporalScaleStretchesTime) {
  // A lane taking 2 cycles per product: T = 2K. 4x4, 4^3 os: 4+4+8-2 = 14.
  EXPECT_EQ(plan_folds(gemm(4, 4, 4), 4, 4, Dataflow::OutputStationary, 2).cycles_per_fold, 14);
}

TEST(FoldModel, PartialFoldCostsAFullFold) {
  // 1x1x1 on 32x32 still pays the whole skew: os 32+32+1-2 = 63; ws 64+32+1-2 = 95.
  EXPECT_EQ(plan_folds(gemm(1, 1, 1), 32, 32, Dataflow::OutputStationary).compute_cycles(), 63);
  EXPECT_EQ(plan_folds(gemm(1, 1, 1), 32, 32, Dataflow::WeightStationary).compute_cycles(), 95);
}

TEST(FoldModel, DataflowNames) {
  Dataflow d;
  EXPECT_TRUE(parse_dataflow("ws", d));
  EXPECT_EQ(dataflow_name(d), "ws");
  EXPECT_FALSE(parse_dataflow("rs", d));
}

}  // namespace
}  // namespace accsim
