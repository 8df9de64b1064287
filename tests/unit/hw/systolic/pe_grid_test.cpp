// The cycle-stepped PE grid: its results equal an integer reference GEMM, and its cycle counts
// equal the fold equations (which it does not use), for every dataflow and several shapes.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "sim/hw/systolic/pe_grid.hpp"

namespace accsim {
namespace {

// Deterministic small signed operands.
std::vector<int64_t> operand(int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(-128, 127);
  std::vector<int64_t> v(static_cast<size_t>(count));
  for (auto& x : v) x = d(rng);
  return v;
}

std::vector<int64_t> reference_gemm(const std::vector<int64_t>& a, const std::vector<int64_t>& b, int64_t m, int64_t n,
                                    int64_t k) {
  std::vector<int64_t> c(static_cast<size_t>(m * n), 0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t t = 0; t < k; ++t) c[i * n + j] += a[i * k + t] * b[t * n + j];
  return c;
}

struct Shape { int64_t rows, cols, m, n, k; };

// One fold each: for os the fold holds M x N outputs; for ws K x N weights; for is K x M inputs.
// Shapes include full folds, partial folds, non-square arrays and T = 1.
const Shape kShapes[] = {{4, 4, 4, 4, 4}, {4, 4, 3, 2, 5}, {8, 4, 8, 4, 1}, {3, 5, 2, 5, 3}, {6, 6, 6, 6, 9}, {2, 7, 2, 7, 2}};

TEST(PeGrid, OutputsEqualReferenceGemm) {
  for (const Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary, Dataflow::InputStationary}) {
    for (const Shape& s : kShapes) {
      // Fit the GEMM into one fold of this dataflow (sizes on rows/cols must not exceed R/C).
      int64_t m = s.m, n = s.n, k = s.k;
      if (df == Dataflow::WeightStationary) { k = std::min(s.k, s.rows); n = std::min(s.n, s.cols); }
      if (df == Dataflow::InputStationary) { k = std::min(s.k, s.rows); m = std::min(s.m, s.cols); }
      if (df == Dataflow::OutputStationary) { m = std::min(s.m, s.rows); n = std::min(s.n, s.cols); }
      const auto a = operand(m * k, 1), b = operand(k * n, 2);
      const SteppedFold f = step_fold(df, s.rows, s.cols, a, b, m, n, k, false);
      EXPECT_EQ(f.outputs, reference_gemm(a, b, m, n, k))
          << dataflow_name(df) << " " << s.rows << "x" << s.cols << " m" << m << " n" << n << " k" << k;
    }
  }
}

TEST(PeGrid, SteppedCyclesEqualFoldEquations) {
  for (const Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary, Dataflow::InputStationary}) {
    for (const Shape& s : kShapes) {
      for (const int64_t t : {int64_t{1}, s.k, int64_t{17}}) {
        GemmShape g;  // a single full fold whose temporal length is t
        g.m = df == Dataflow::WeightStationary ? t : s.rows;
        g.n = df == Dataflow::InputStationary ? t : s.cols;
        g.k = df == Dataflow::OutputStationary ? t : s.rows;
        if (df == Dataflow::InputStationary) g.m = s.cols;
        const FoldPlan plan = plan_folds(g, s.rows, s.cols, df);
        ASSERT_EQ(plan.folds(), 1);
        EXPECT_EQ(stepped_fold_cycles(df, s.rows, s.cols, t, false), plan.cycles_per_fold)
            << dataflow_name(df) << " " << s.rows << "x" << s.cols << " T=" << t;
      }
    }
  }
}

TEST(PeGrid, OutputDrainMatchesEquation) {
  GemmShape g;
  g.m = 5; g.n = 3; g.k = 7;
  EXPECT_EQ(stepped_fold_cycles(Dataflow::OutputStationary, 5, 3, 7, true),
            plan_folds(g, 5, 3, Dataflow::OutputStationary, 1, true).cycles_per_fold);
}

TEST(PeGrid, PartialFoldTakesFullFoldTime) {
  // A 2x2x3 GEMM on a 4x4 os array still waits for the skew of the whole array: 4+4+3-2 = 9.
  const auto a = operand(2 * 3, 3), b = operand(3 * 2, 4);
  EXPECT_EQ(step_fold(Dataflow::OutputStationary, 4, 4, a, b, 2, 2, 3, false).cycles, 9);
}

TEST(PeGrid, RejectsFoldsLargerThanTheArray) {
  EXPECT_THROW(step_fold(Dataflow::OutputStationary, 2, 2, operand(9, 1), operand(9, 2), 3, 3, 1, false),
               std::invalid_argument);
}

}  // namespace
}  // namespace accsim
