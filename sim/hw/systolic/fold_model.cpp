#include "sim/hw/systolic/fold_model.hpp"

namespace accsim {

bool parse_dataflow(const std::string& text, Dataflow& out) {
  if (text == "os") out = Dataflow::OutputStationary;
  else if (text == "ws") out = Dataflow::WeightStationary;
  else if (text == "is") out = Dataflow::InputStationary;
  else return false;
  return true;
}

std::string dataflow_name(Dataflow d) {
  switch (d) {
    case Dataflow::OutputStationary: return "os";
    case Dataflow::WeightStationary: return "ws";
    case Dataflow::InputStationary: return "is";
  }
  return "?";
}

int64_t fold_cycles(Dataflow df, int64_t rows, int64_t cols, int64_t t, bool os_output_drain) {
  // Every fold pays the full array's skew, even when partly filled (SCALE-Sim does the same).
  if (df == Dataflow::OutputStationary) {
    // Operands enter skewed from the left and top: the last PE (R-1, C-1) sees its first pair at
    // cycle R + C - 2 and its last after T more cycles; draining the results takes R more.
    return rows + cols + t - 2 + (os_output_drain ? rows : 0);
  }
  // R cycles to preload the stationary operand, then the streamed operand passes through with
  // R + C - 2 cycles of skew, T rows long.
  return 2 * rows + cols + t - 2;
}

FoldPlan plan_folds(const GemmShape& g, int64_t rows, int64_t cols, Dataflow df, int64_t temporal_scale,
                    bool os_output_drain) {
  FoldPlan p;
  switch (df) {
    case Dataflow::OutputStationary: p.sr = g.m; p.sc = g.n; p.t = g.k; break;
    case Dataflow::WeightStationary: p.sr = g.k; p.sc = g.n; p.t = g.m; break;
    case Dataflow::InputStationary:  p.sr = g.k; p.sc = g.m; p.t = g.n; break;
  }
  p.row_folds = (p.sr + rows - 1) / rows;
  p.col_folds = (p.sc + cols - 1) / cols;
  p.cycles_per_fold = fold_cycles(df, rows, cols, p.t * temporal_scale, os_output_drain);
  return p;
}

}  // namespace accsim
