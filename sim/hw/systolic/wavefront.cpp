#include "sim/hw/systolic/wavefront.hpp"

#include <algorithm>
#include <stdexcept>

namespace accsim {

namespace {

// acc[j] += x[j] * y[j] over j in [lo, hi): the per-row vector step. Compiled for AVX2 as well as
// the baseline; the loader picks the one the CPU runs (GCC function multiversioning).
__attribute__((target_clones("avx2", "default"))) void mac_row(int64_t* __restrict acc, const int32_t* __restrict x, const int32_t* __restrict y, int64_t lo,
                    int64_t hi) {
  for (int64_t j = lo; j < hi; ++j) acc[j] += static_cast<int64_t>(x[j]) * static_cast<int64_t>(y[j]);
}

// Output stationary. Steps s = 0 .. S-1 (S = ceil(k / kp) x ts) enter the array edge at cycle s
// (row i is skewed by i, column j by j); at cycle c PE (i, j) holds step s = c - i - j. Packed
// element p of step s is A[i][s*kp + p] (on sub-step 0 of a bit-serial step; zeros otherwise).
WavefrontFold step_os(int64_t R, int64_t C, const int32_t* a, int64_t lda, const int32_t* b, int64_t ldb, int64_t m,
                      int64_t n, int64_t k, int64_t kp, int64_t ts, bool drain, int64_t* out, int64_t ldo) {
  const int64_t steps = (k + kp - 1) / kp;
  const int64_t S = steps * ts;
  // arev[p][i][x] = A-element of step S-1-x; bsk[p][s + j][j] = B-element of step s.
  std::vector<int32_t> arev(static_cast<size_t>(kp * m * (S + C)), 0), bsk(static_cast<size_t>(kp * (S + C) * C), 0);
  for (int64_t p = 0; p < kp; ++p) {
    for (int64_t s = 0; s < steps; ++s) {
      const int64_t kk = s * kp + p;
      if (kk >= k) continue;
      const int64_t ss = s * ts;  // a bit-serial step delivers its product on its first cycle
      for (int64_t i = 0; i < m; ++i) arev[(p * m + i) * (S + C) + (S - 1 - ss)] = a[i * lda + kk];
      for (int64_t j = 0; j < n; ++j) bsk[(p * (S + C) + ss + j) * C + j] = b[kk * ldb + j];
    }
  }
  std::vector<int64_t> acc(static_cast<size_t>(m * C), 0);
  int64_t c = 0;
  for (;; ++c) {
    bool any = false;
    for (int64_t i = 0; i < R; ++i) {
      // Valid PEs of row i: 0 <= c - i - j < S.
      const int64_t lo = std::max<int64_t>(0, c - i - S + 1), hi = std::min<int64_t>(C, c - i + 1);
      if (lo >= hi) continue;
      any = true;
      if (i >= m) continue;  // an unused row carries bubbles of zeros: nothing to add
      const int64_t hu = std::min(hi, n);
      for (int64_t p = 0; p < kp && lo < hu; ++p) {
        // x[j] = arev[S - 1 - (c - i - j)] = arev[S - 1 - c + i + j]; y[j] = bsk[c - i][j].
        const int32_t* x = &arev[(p * m + i) * (S + C)] + (S - 1 - c + i);
        const int32_t* y = &bsk[(p * (S + C) + (c - i)) * C];
        mac_row(&acc[i * C], x, y, lo, hu);
      }
    }
    if (!any) break;
  }
  WavefrontFold f;
  f.cycles = c;
  if (drain) {
    // Results shift down their columns and out of the bottom row, one row per cycle.
    for (int64_t d = 0; d < R; ++d) ++f.cycles;
  }
  f.pe_cycles = f.cycles * R * C;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) out[i * ldo + j] += acc[i * C + j];
  return f;
}

// Weight stationary: W (kd x cd, packed kp rows per PE) shifts in from the top, one array row per
// cycle (R cycles); then row r of X enters array row i at cycle R + r*ts + i and moves right; the
// partial sum of (r, j) moves down and leaves row R-1 at cycle R + r*ts + R-1 + j.
WavefrontFold step_ws(int64_t R, int64_t C, const int32_t* x, int64_t ldx, const int32_t* w, int64_t ldw, int64_t t,
                      int64_t kd, int64_t cd, int64_t kp, int64_t ts, int64_t* out, int64_t ldo) {
  const int64_t rows_used = (kd + kp - 1) / kp;
  std::vector<int32_t> wgrid(static_cast<size_t>(kp * R * C), 0);
  int64_t c = 0;
  for (int64_t shift = 0; shift < R; ++shift, ++c) {
    // Preload: after R shifts, array row i holds W rows i*kp .. i*kp+kp-1.
    const int64_t i = R - 1 - shift;  // the row that reaches its place this cycle (bottom first)
    if (i >= rows_used) continue;
    for (int64_t p = 0; p < kp; ++p) {
      const int64_t kk = i * kp + p;
      if (kk < kd)
        for (int64_t j = 0; j < cd; ++j) wgrid[(p * R + i) * C + j] = w[kk * ldw + j];
    }
  }
  const int64_t S = t * ts;
  // xrev[p][i][y] = X element of stream row at time S-1-y; psk[s + j][j] = partial sum of row s.
  std::vector<int32_t> xrev(static_cast<size_t>(kp * rows_used * (S + C)), 0);
  for (int64_t p = 0; p < kp; ++p)
    for (int64_t i = 0; i < rows_used; ++i) {
      const int64_t kk = i * kp + p;
      if (kk >= kd) continue;
      for (int64_t r = 0; r < t; ++r) xrev[(p * rows_used + i) * (S + C) + (S - 1 - r * ts)] = x[r * ldx + kk];
    }
  std::vector<int64_t> psk(static_cast<size_t>((S + C) * C), 0);
  const int64_t start = c;
  for (;; ++c) {
    bool any = false;
    for (int64_t i = 0; i < R; ++i) {
      const int64_t s = c - start - i;  // stream time at column 0 of row i
      const int64_t lo = std::max<int64_t>(0, s - S + 1), hi = std::min<int64_t>(C, s + 1);
      if (lo >= hi) continue;
      any = true;
      if (i >= rows_used) continue;
      const int64_t hu = std::min(hi, cd);
      for (int64_t p = 0; p < kp && lo < hu; ++p)
        mac_row(&psk[s * C], &xrev[(p * rows_used + i) * (S + C)] + (S - 1 - s), &wgrid[(p * R + i) * C], lo, hu);
    }
    if (!any) break;
  }
  WavefrontFold f;
  f.cycles = c;
  f.pe_cycles = f.cycles * R * C;
  for (int64_t r = 0; r < t; ++r)
    for (int64_t j = 0; j < cd; ++j) out[r * ldo + j] += psk[(r * ts + j) * C + j];
  return f;
}

}  // namespace

WavefrontFold step_wavefront(Dataflow df, int64_t R, int64_t C, const int32_t* a, int64_t lda, const int32_t* b,
                             int64_t ldb, int64_t m, int64_t n, int64_t k, int64_t k_pack, int64_t t_scale,
                             bool os_output_drain, int64_t* out, int64_t ldo) {
  switch (df) {
    case Dataflow::OutputStationary:
      if (m > R || n > C) throw std::invalid_argument("os fold larger than the array");
      return step_os(R, C, a, lda, b, ldb, m, n, k, k_pack, t_scale, os_output_drain, out, ldo);
    case Dataflow::WeightStationary:
      if ((k + k_pack - 1) / k_pack > R || n > C) throw std::invalid_argument("ws fold larger than the array");
      return step_ws(R, C, a, lda, b, ldb, m, k, n, k_pack, t_scale, out, ldo);
    case Dataflow::InputStationary: {
      if ((k + k_pack - 1) / k_pack > R || m > C) throw std::invalid_argument("is fold larger than the array");
      // B^T (n x k) streams past the stationary A^T (k x m); the array produces C^T (n x m).
      std::vector<int32_t> bt(static_cast<size_t>(n * k)), at(static_cast<size_t>(k * m));
      for (int64_t i = 0; i < k; ++i)
        for (int64_t j = 0; j < n; ++j) bt[j * k + i] = b[i * ldb + j];
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < k; ++j) at[j * m + i] = a[i * lda + j];
      std::vector<int64_t> ct(static_cast<size_t>(n * m), 0);
      WavefrontFold f = step_ws(R, C, bt.data(), k, at.data(), m, n, k, m, k_pack, t_scale, ct.data(), m);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) out[i * ldo + j] += ct[j * m + i];
      return f;
    }
  }
  throw std::invalid_argument("unknown dataflow");
}

}  // namespace accsim
