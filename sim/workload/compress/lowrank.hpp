#pragma once
// Low-rank factorization of weight tensors, computed on the weights themselves (real or synthetic):
// truncated SVD of a matrix (one GEMM becomes two), and for k x k convolutions Tucker-2
// (1x1 -> reduced k x k core -> 1x1, Kim et al. ICLR'16) and CP (1x1 -> k x 1 depthwise ->
// 1 x k depthwise -> 1x1, Lebedev et al. ICLR'15).
#include <cstdint>
#include <vector>

namespace accsim {

// Row-major matrix.
struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<float> v;
};

// Singular values (descending) of a rows x cols matrix.
std::vector<double> singular_values(const Matrix& w);
// The smallest rank whose singular values keep `fraction` of the energy sum(s_i^2).
int64_t rank_for_energy(const std::vector<double>& s, double fraction);

// W (N x K) ~= second (N x r) * first (r x K): the layer's input meets `first` first.
struct SvdFactors {
  Matrix first, second;
  double rel_error = 0;  // ||W - second*first||_F / ||W||_F
};
SvdFactors truncated_svd(const Matrix& w, int64_t rank);

// Conv weights O x C x kh x kw (row-major, as O x (C kh kw)).
struct Tucker2Factors {
  Matrix in_proj;   // R_in x C        (1x1 conv)
  Matrix core;      // R_out x (R_in kh kw)  (k x k conv)
  Matrix out_proj;  // O x R_out       (1x1 conv)
  double rel_error = 0;
};
Tucker2Factors tucker2(const Matrix& w, int64_t out_c, int64_t in_c, int64_t kh, int64_t kw, int64_t rank_in, int64_t rank_out);

struct CpFactors {
  Matrix in_proj;   // R x C   (1x1 conv)
  Matrix vertical;  // R x kh  (k x 1 depthwise)
  Matrix horizontal;// R x kw  (1 x k depthwise)
  Matrix out_proj;  // O x R   (1x1 conv)
  double rel_error = 0;
};
// CP by alternating least squares (fixed iteration count, deterministic start from the HOSVD).
CpFactors cp_decompose(const Matrix& w, int64_t out_c, int64_t in_c, int64_t kh, int64_t kw, int64_t rank, int iterations = 25);

}  // namespace accsim
