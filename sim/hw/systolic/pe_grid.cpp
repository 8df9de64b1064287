#include "sim/hw/systolic/pe_grid.hpp"

#include <stdexcept>

namespace accsim {

namespace {

struct Reg {
  int64_t value = 0;
  int64_t tag = -1;  // which temporal step the value belongs to; -1 = bubble
};

// Output-stationary: A (m x k) rows enter from the left, B (k x n) columns from the top, both
// skewed by one cycle per row/column; PE (i, j) accumulates C[i][j].
SteppedFold step_output_stationary(int64_t R, int64_t C, const std::vector<int64_t>& a,
                                   const std::vector<int64_t>& b, int64_t m, int64_t n, int64_t k, bool drain) {
  std::vector<Reg> a_reg(R * C), b_reg(R * C);
  std::vector<int64_t> acc(R * C, 0);
  int64_t last_mac = -1;
  for (int64_t cycle = 0;; ++cycle) {
    std::vector<Reg> a_next(R * C), b_next(R * C);
    bool any = false;
    for (int64_t i = 0; i < R; ++i) {
      for (int64_t j = 0; j < C; ++j) {
        Reg ain, bin;
        if (j == 0) {
          const int64_t t = cycle - i;
          if (t >= 0 && t < k) ain = Reg{i < m ? a[i * k + t] : 0, t};
        } else {
          ain = a_reg[i * C + j - 1];
        }
        if (i == 0) {
          const int64_t t = cycle - j;
          if (t >= 0 && t < k) bin = Reg{j < n ? b[t * n + j] : 0, t};
        } else {
          bin = b_reg[(i - 1) * C + j];
        }
        if (ain.tag >= 0 && bin.tag >= 0) {
          if (ain.tag != bin.tag) throw std::logic_error("systolic skew mismatch");
          acc[i * C + j] += ain.value * bin.value;
          last_mac = cycle;
          any = true;
        }
        a_next[i * C + j] = ain;
        b_next[i * C + j] = bin;
      }
    }
    a_reg.swap(a_next);
    b_reg.swap(b_next);
    if (!any && cycle > R + C + k) break;
  }
  SteppedFold out;
  // Results shift down their columns and out of the bottom edge: R more cycles.
  out.cycles = last_mac + 1 + (drain ? R : 0);
  out.outputs.resize(m * n);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) out.outputs[i * n + j] = acc[i * C + j];
  return out;
}

// Weight/input-stationary: W (kd x cd) is shifted in from the top (R cycles), then X (t x kd)
// streams in from the left, row r of X entering array row i at cycle R + r + i; partial sums move
// down and leave the bottom row as Y = X W (t x cd).
SteppedFold step_stationary(int64_t R, int64_t C, const std::vector<int64_t>& x, const std::vector<int64_t>& w,
                            int64_t t, int64_t kd, int64_t cd) {
  std::vector<int64_t> weight(R * C, 0);
  for (int64_t i = 0; i < kd; ++i)
    for (int64_t j = 0; j < cd; ++j) weight[i * C + j] = w[i * cd + j];
  std::vector<Reg> a_reg(R * C), p_reg(R * C);
  std::vector<int64_t> y(t * cd, 0);
  int64_t last_out = -1, emitted = 0;
  for (int64_t cycle = R; emitted < t * C; ++cycle) {
    std::vector<Reg> a_next(R * C), p_next(R * C);
    for (int64_t i = 0; i < R; ++i) {
      for (int64_t j = 0; j < C; ++j) {
        Reg ain;
        if (j == 0) {
          const int64_t r = cycle - R - i;
          if (r >= 0 && r < t) ain = Reg{i < kd ? x[r * kd + i] : 0, r};
        } else {
          ain = a_reg[i * C + j - 1];
        }
        Reg pout;
        if (ain.tag >= 0) {
          const int64_t pin = i == 0 ? 0 : p_reg[(i - 1) * C + j].value;
          if (i > 0 && p_reg[(i - 1) * C + j].tag != ain.tag) throw std::logic_error("systolic skew mismatch");
          pout = Reg{pin + ain.value * weight[i * C + j], ain.tag};
          if (i == R - 1) {
            if (j < cd) y[pout.tag * cd + j] = pout.value;
            last_out = cycle;
            ++emitted;
          }
        }
        a_next[i * C + j] = ain;
        p_next[i * C + j] = pout;
      }
    }
    a_reg.swap(a_next);
    p_reg.swap(p_next);
  }
  SteppedFold out;
  out.cycles = last_out + 1;
  out.outputs = std::move(y);
  return out;
}

}  // namespace

SteppedFold step_fold(Dataflow df, int64_t rows, int64_t cols, const std::vector<int64_t>& a,
                      const std::vector<int64_t>& b, int64_t m, int64_t n, int64_t k, bool os_output_drain) {
  switch (df) {
    case Dataflow::OutputStationary:
      if (m > rows || n > cols) throw std::invalid_argument("os fold larger than the array");
      return step_output_stationary(rows, cols, a, b, m, n, k, os_output_drain);
    case Dataflow::WeightStationary:
      if (k > rows || n > cols) throw std::invalid_argument("ws fold larger than the array");
      return step_stationary(rows, cols, a, b, m, k, n);
    case Dataflow::InputStationary: {
      if (k > rows || m > cols) throw std::invalid_argument("is fold larger than the array");
      // Stream B^T (n x k) past the stationary A^T (k x m); the array produces C^T.
      std::vector<int64_t> bt(n * k), at(k * m);
      for (int64_t i = 0; i < k; ++i)
        for (int64_t j = 0; j < n; ++j) bt[j * k + i] = b[i * n + j];
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < k; ++j) at[j * m + i] = a[i * k + j];
      SteppedFold ct = step_stationary(rows, cols, bt, at, n, k, m);
      SteppedFold out;
      out.cycles = ct.cycles;
      out.outputs.resize(m * n);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) out.outputs[i * n + j] = ct.outputs[j * m + i];
      return out;
    }
  }
  throw std::invalid_argument("unknown dataflow");
}

int64_t stepped_fold_cycles(Dataflow df, int64_t rows, int64_t cols, int64_t t, bool os_output_drain) {
  // Timing does not depend on values: step a full-array fold of zeros with the given temporal length.
  switch (df) {
    case Dataflow::OutputStationary:
      return step_fold(df, rows, cols, std::vector<int64_t>(rows * t), std::vector<int64_t>(t * cols), rows, cols, t,
                       os_output_drain).cycles;
    case Dataflow::WeightStationary:
      return step_fold(df, rows, cols, std::vector<int64_t>(t * rows), std::vector<int64_t>(rows * cols), t, cols,
                       rows, false).cycles;
    case Dataflow::InputStationary:
      return step_fold(df, rows, cols, std::vector<int64_t>(cols * rows), std::vector<int64_t>(rows * t), cols, t,
                       rows, false).cycles;
  }
  return 0;
}

}  // namespace accsim
