#pragma once
// The fold model of a weight/output/input-stationary systolic array (docs/models/systolic.md).
// Pure arithmetic, no SystemC: the same equations SCALE-Sim v2 implements.
#include <cstdint>
#include <string>

#include "sim/workload/layer.hpp"

namespace accsim {

enum class Dataflow { OutputStationary, WeightStationary, InputStationary };
bool parse_dataflow(const std::string& text, Dataflow& out);
std::string dataflow_name(Dataflow d);

struct FoldPlan {
  // The GEMM dimensions placed on array rows (Sr), array columns (Sc) and in time (T):
  //   os: Sr = M, Sc = N, T = K;  ws: Sr = K, Sc = N, T = M;  is: Sr = K, Sc = M, T = N.
  int64_t sr = 0, sc = 0, t = 0;
  int64_t row_folds = 0, col_folds = 0;
  int64_t cycles_per_fold = 0;
  int64_t folds() const { return row_folds * col_folds; }
  int64_t compute_cycles() const { return folds() * cycles_per_fold; }
};

// Cycles of one fold whose streamed operand is `t_cycles` cycles long (T x temporal scale):
// os R + C + T - 2 (+ R with the drain), ws/is 2R + C + T - 2. A fold on a partly filled array
// costs the same (the whole array's skew is paid).
int64_t fold_cycles(Dataflow df, int64_t rows, int64_t cols, int64_t t_cycles, bool os_output_drain = false);

// `temporal_scale`: cycles each temporal step takes (1 for a one-product-per-cycle MAC lane).
// `os_output_drain`: add R cycles per output-stationary fold to shift results out (the ISPASS'20
// formula 2R + C + T - 2); SCALE-Sim v2's code leaves it out (R + C + T - 2).
FoldPlan plan_folds(const GemmShape& g, int64_t rows, int64_t cols, Dataflow df, int64_t temporal_scale = 1,
                    bool os_output_drain = false);

}  // namespace accsim
