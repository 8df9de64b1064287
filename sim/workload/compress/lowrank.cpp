#include "sim/workload/compress/lowrank.hpp"

#include <algorithm>
#include <cmath>

#include <eigen3/Eigen/Dense>

namespace accsim {

namespace {

using Mat = Eigen::MatrixXd;

Mat to_eigen(const Matrix& m) {
  Mat out(m.rows, m.cols);
  for (int64_t r = 0; r < m.rows; ++r)
    for (int64_t c = 0; c < m.cols; ++c) out(r, c) = m.v[static_cast<size_t>(r * m.cols + c)];
  return out;
}

Matrix from_eigen(const Mat& e) {
  Matrix m{e.rows(), e.cols(), std::vector<float>(static_cast<size_t>(e.rows() * e.cols()))};
  for (int64_t r = 0; r < m.rows; ++r)
    for (int64_t c = 0; c < m.cols; ++c) m.v[static_cast<size_t>(r * m.cols + c)] = static_cast<float>(e(r, c));
  return m;
}

// Top-`rank` eigenvectors of the Gram matrix A A^T (= left singular vectors of A), descending.
// The Gram route costs rows^2 cols + rows^3 and is ample for truncation, where small singular
// values are discarded anyway.
Mat top_left_vectors(const Mat& a, int64_t rank, Eigen::VectorXd* values = nullptr) {
  Eigen::SelfAdjointEigenSolver<Mat> es(a * a.transpose());
  const int64_t n = a.rows();
  Mat u(n, rank);
  for (int64_t i = 0; i < rank; ++i) u.col(i) = es.eigenvectors().col(n - 1 - i);
  if (values) *values = es.eigenvalues().reverse();
  // Fix each vector's sign (largest entry positive) so results do not hinge on solver internals.
  for (int64_t i = 0; i < rank; ++i) {
    Eigen::Index at = 0;
    u.col(i).cwiseAbs().maxCoeff(&at);
    if (u(at, i) < 0) u.col(i) *= -1.0;
  }
  return u;
}

double rel_err(const Mat& w, const Mat& approx) {
  const double n = w.norm();
  return n > 0 ? (w - approx).norm() / n : 0.0;
}

// Mode-n unfoldings of an O x C x H x W tensor stored as O x (C H W).
Mat unfold_in(const Mat& w, int64_t o, int64_t c, int64_t hw) {
  Mat u(c, o * hw);
  for (int64_t a = 0; a < o; ++a)
    for (int64_t b = 0; b < c; ++b)
      for (int64_t s = 0; s < hw; ++s) u(b, a * hw + s) = w(a, b * hw + s);
  return u;
}

}  // namespace

std::vector<double> singular_values(const Matrix& w) {
  const Mat a = to_eigen(w);
  const Mat g = a.rows() <= a.cols() ? Mat(a * a.transpose()) : Mat(a.transpose() * a);
  Eigen::SelfAdjointEigenSolver<Mat> es(g, Eigen::EigenvaluesOnly);
  std::vector<double> s;
  for (Eigen::Index i = es.eigenvalues().size(); i-- > 0;) s.push_back(std::sqrt(std::max(0.0, es.eigenvalues()(i))));
  return s;
}

int64_t rank_for_energy(const std::vector<double>& s, double fraction) {
  double total = 0;
  for (double x : s) total += x * x;
  double acc = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    acc += s[i] * s[i];
    if (acc >= fraction * total * (1 - 1e-12)) return static_cast<int64_t>(i + 1);
  }
  return static_cast<int64_t>(s.size());
}

SvdFactors truncated_svd(const Matrix& w, int64_t rank) {
  const Mat a = to_eigen(w);
  SvdFactors f;
  Mat first, second;
  if (a.rows() <= a.cols()) {
    const Mat u = top_left_vectors(a, rank);  // W ~= U (U^T W)
    second = u;
    first = u.transpose() * a;
  } else {
    const Mat v = top_left_vectors(a.transpose(), rank);  // W ~= (W V) V^T
    second = a * v;
    first = v.transpose();
  }
  f.rel_error = rel_err(a, second * first);
  f.first = from_eigen(first);
  f.second = from_eigen(second);
  return f;
}

Tucker2Factors tucker2(const Matrix& w, int64_t o, int64_t c, int64_t kh, int64_t kw, int64_t r_in, int64_t r_out) {
  const int64_t hw = kh * kw;
  const Mat a = to_eigen(w);  // O x (C hw)
  const Mat u_out = top_left_vectors(a, r_out);                 // O x R_out
  const Mat u_in = top_left_vectors(unfold_in(a, o, c, hw), r_in);  // C x R_in
  // core[ro, ri, s] = sum_{o,c} u_out[o,ro] u_in[c,ri] W[o,c,s]
  const Mat t = u_out.transpose() * a;  // R_out x (C hw)
  Mat core(r_out, r_in * hw);
  for (int64_t ro = 0; ro < r_out; ++ro)
    for (int64_t ri = 0; ri < r_in; ++ri)
      for (int64_t s = 0; s < hw; ++s) {
        double acc = 0;
        for (int64_t cc = 0; cc < c; ++cc) acc += u_in(cc, ri) * t(ro, cc * hw + s);
        core(ro, ri * hw + s) = acc;
      }
  // Reconstruction: W[o,c,s] = sum u_out[o,ro] core[ro,ri,s] u_in[c,ri]
  Mat back(o, c * hw);
  const Mat oc = u_out * core;  // O x (R_in hw)
  for (int64_t a0 = 0; a0 < o; ++a0)
    for (int64_t cc = 0; cc < c; ++cc)
      for (int64_t s = 0; s < hw; ++s) {
        double acc = 0;
        for (int64_t ri = 0; ri < r_in; ++ri) acc += oc(a0, ri * hw + s) * u_in(cc, ri);
        back(a0, cc * hw + s) = acc;
      }
  Tucker2Factors f;
  f.rel_error = rel_err(a, back);
  f.in_proj = from_eigen(u_in.transpose());
  f.core = from_eigen(core);
  f.out_proj = from_eigen(u_out);
  return f;
}

CpFactors cp_decompose(const Matrix& w, int64_t o, int64_t c, int64_t kh, int64_t kw, int64_t rank, int iterations) {
  const int64_t hw = kh * kw;
  const Mat x = to_eigen(w);
  auto at = [&](int64_t a, int64_t b, int64_t i, int64_t j) { return x(a, b * hw + i * kw + j); };
  // Factors A (O x R), B (C x R), Y (kh x R), Z (kw x R); start from leading singular vectors
  // padded with a fixed pattern so the start is deterministic.
  auto start = [&](const Mat& unf, int64_t n) {
    const int64_t k = std::min<int64_t>(rank, n);
    Mat u = Mat::Zero(n, rank);
    u.leftCols(k) = top_left_vectors(unf, k);
    for (int64_t r = k; r < rank; ++r)
      for (int64_t i = 0; i < n; ++i) u(i, r) = std::cos(static_cast<double>((r + 1) * (i + 1)));
    return u;
  };
  Mat mode_h(kh, o * c * kw), mode_w(kw, o * c * kh);
  for (int64_t a = 0; a < o; ++a)
    for (int64_t b = 0; b < c; ++b)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j) {
          mode_h(i, (a * c + b) * kw + j) = at(a, b, i, j);
          mode_w(j, (a * c + b) * kh + i) = at(a, b, i, j);
        }
  Mat A = start(x, o), B = start(unfold_in(x, o, c, hw), c), Y = start(mode_h, kh), Z = start(mode_w, kw);
  // ALS: each factor solves a linear least-squares problem with the others fixed; the normal
  // matrix is the Hadamard product of the other factors' Gram matrices (regularised slightly).
  auto solve = [&](const Mat& rhs, const Mat& g) {
    Mat reg = g + 1e-9 * Mat::Identity(rank, rank) * std::max(1.0, g.trace());
    return Mat(reg.ldlt().solve(rhs.transpose()).transpose());
  };
  for (int it = 0; it < iterations; ++it) {
    auto mttkrp = [&](int mode) {
      const int64_t n = mode == 0 ? o : mode == 1 ? c : mode == 2 ? kh : kw;
      Mat out = Mat::Zero(n, rank);
      for (int64_t a = 0; a < o; ++a)
        for (int64_t b = 0; b < c; ++b)
          for (int64_t i = 0; i < kh; ++i)
            for (int64_t j = 0; j < kw; ++j) {
              const double v = at(a, b, i, j);
              if (v == 0) continue;
              for (int64_t r = 0; r < rank; ++r) {
                const double p = (mode != 0 ? A(a, r) : 1) * (mode != 1 ? B(b, r) : 1) * (mode != 2 ? Y(i, r) : 1) *
                                 (mode != 3 ? Z(j, r) : 1);
                out(mode == 0 ? a : mode == 1 ? b : mode == 2 ? i : j, r) += v * p;
              }
            }
      return out;
    };
    auto gram = [](const Mat& m) { return Mat(m.transpose() * m); };
    A = solve(mttkrp(0), gram(B).cwiseProduct(gram(Y)).cwiseProduct(gram(Z)));
    B = solve(mttkrp(1), gram(A).cwiseProduct(gram(Y)).cwiseProduct(gram(Z)));
    Y = solve(mttkrp(2), gram(A).cwiseProduct(gram(B)).cwiseProduct(gram(Z)));
    Z = solve(mttkrp(3), gram(A).cwiseProduct(gram(B)).cwiseProduct(gram(Y)));
  }
  Mat back(o, c * hw);
  for (int64_t a = 0; a < o; ++a)
    for (int64_t b = 0; b < c; ++b)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j) {
          double acc = 0;
          for (int64_t r = 0; r < rank; ++r) acc += A(a, r) * B(b, r) * Y(i, r) * Z(j, r);
          back(a, b * hw + i * kw + j) = acc;
        }
  CpFactors f;
  f.rel_error = rel_err(x, back);
  f.in_proj = from_eigen(B.transpose());
  f.vertical = from_eigen(Y.transpose());
  f.horizontal = from_eigen(Z.transpose());
  f.out_proj = from_eigen(A);
  return f;
}

}  // namespace accsim
