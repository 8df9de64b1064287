#pragma once
// N:M structured-sparse storage: NVIDIA's sparse tensor core layouts (PTX ISA, "mma.sp") and the
// generalized N:M form, with compress / decompress / prune and a functional sparse mma.
//
// A row of K dense elements is cut into groups of M "units" along K (a unit is one element, or a
// pair of elements for int4's pairwise 4:8). Each group keeps N units; each kept unit stores its
// value(s) and an index of `index_bits` bits saying where in the group it came from. The tensor
// core feeds that index to a selection mux that picks the matching activation.
//   f16/bf16, int8, fp8 : 2:4, two 2-bit indices per group of four (a 4-bit descriptor)
//   tf32                : 1:2, one 4-bit descriptor per pair (0b0100 keeps element 0, 0b1110 element 1)
//   int4                : pairwise 4:8, two 2-bit pair indices per group of eight
//   generalized N:M     : N indices of ceil(log2 M) bits per group
// Metadata is a little-endian bit stream per row (group g's descriptor at bit g * group_meta_bits,
// first kept unit in the low bits), packed into 32-bit words as the mma.sp metadata registers are.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/dtype.hpp"
#include "sim/core/error.hpp"

namespace accsim {

struct NmFormat {
  std::string name;     // "2:4", "1:2 (tf32)", "4:8 pairwise", "2:8", ...
  int n = 2;            // kept units per group
  int m = 4;            // units per group (= the selection-mux width, in units)
  int unit = 1;         // elements per unit (2 for int4's pairwise 4:8)
  int index_bits = 2;   // metadata bits per kept unit
  int value_bits = 16;  // storage bits per element
  // tf32: the 4-bit descriptor names the two 16-bit halves of the kept 32-bit element
  // (0b0100 = halves 0,1 = element 0; 0b1110 = halves 2,3 = element 1).
  bool tf32_halves = false;

  int group_elements() const { return m * unit; }
  int group_meta_bits() const { return n * index_bits; }
  // Compressed values + metadata over dense storage, for one full group.
  double storage_fraction() const {
    const double dense = static_cast<double>(group_elements()) * value_bits;
    return (static_cast<double>(n) * unit * value_bits + group_meta_bits()) / dense;
  }
  // Dense-K speedup of the math: M/N.
  double density() const { return static_cast<double>(n) / m; }
};

// NVIDIA's layout for a dtype (fp16, bf16, int8/uint8, fp8_e4m3/e5m2, tf32, int4/uint4); throws
// InputError for types without a sparse tensor core format (fp32, int2, ...).
NmFormat nvidia_nm_format(const DType& t);
// Generalized element-wise N:M (0 < N < M), ceil(log2 M)-bit indices.
NmFormat generic_nm_format(int n, int m, const DType& t);

// Per-row metadata and kept values of a rows x cols matrix (cols = dense K, padded with zeros to a
// whole number of groups).
template <class T>
struct NmMatrix {
  NmFormat format;
  int64_t rows = 0, cols = 0;     // dense shape
  int64_t groups_per_row = 0;
  std::vector<T> values;          // rows x (groups_per_row * n * unit), row-major
  std::vector<uint32_t> metadata; // rows x words_per_row()

  int64_t kept_per_row() const { return groups_per_row * format.n * format.unit; }
  int64_t words_per_row() const { return (groups_per_row * format.group_meta_bits() + 31) / 32; }
  // Bytes actually stored (values at value_bits, metadata words).
  double stored_bytes() const {
    return static_cast<double>(values.size()) * format.value_bits / 8.0 + static_cast<double>(metadata.size()) * 4.0;
  }
};

// The positions (unit index within the group, ascending) each group keeps, row-major:
// rows x groups_per_row x n entries. Groups with fewer than N nonzero units are padded with the
// lowest unused indices (the stored value is then an explicit zero). Throws InputError (naming
// `what`, the row and the columns) when a group has more than N nonzero units.
std::vector<uint8_t> nm_select(const NmFormat& f, const std::vector<uint8_t>& nonzero, int64_t rows, int64_t cols,
                               const std::string& what);
// Magnitude pruning to the format: per group the N units of largest |value| (sum over a unit's
// elements) survive; ties go to the lower index. Returns the keep mask (rows x cols).
std::vector<uint8_t> nm_prune_mask(const NmFormat& f, const std::vector<double>& magnitude, int64_t rows, int64_t cols);
// True when every group has at most N nonzero units.
bool nm_conforms(const NmFormat& f, const std::vector<uint8_t>& nonzero, int64_t rows, int64_t cols);

// Metadata packing: `selected` as from nm_select -> 32-bit words (rows x words_per_row).
std::vector<uint32_t> nm_pack_metadata(const NmFormat& f, const std::vector<uint8_t>& selected, int64_t rows,
                                       int64_t groups_per_row);
// Unit index (0..M-1) of the j-th kept unit of group g in `row`, read back from packed metadata.
int nm_unpack_index(const NmFormat& f, const uint32_t* row_words, int64_t group, int j);
// Throws InputError when a descriptor is one mma.sp leaves undefined (repeated or descending
// indices, e.g. 0b0000, 0b0101 for 2:4; anything but 0b0100 / 0b1110 for tf32).
void nm_validate_metadata(const NmFormat& f, const std::vector<uint32_t>& metadata, int64_t rows,
                          int64_t groups_per_row);

namespace nm_detail {
inline int64_t groups_per_row(const NmFormat& f, int64_t cols) {
  return (cols + f.group_elements() - 1) / f.group_elements();
}
template <class T>
std::vector<uint8_t> nonzero_mask(const std::vector<T>& dense) {
  std::vector<uint8_t> nz(dense.size());
  for (size_t i = 0; i < dense.size(); ++i) nz[i] = dense[i] != T(0);
  return nz;
}
}  // namespace nm_detail

// Compresses a dense row-major matrix that is already N:M sparse; throws InputError (naming
// `what`) if it is not.
template <class T>
NmMatrix<T> nm_compress(const NmFormat& f, const std::vector<T>& dense, int64_t rows, int64_t cols,
                        const std::string& what = "weight tensor") {
  NmMatrix<T> out;
  out.format = f;
  out.rows = rows;
  out.cols = cols;
  out.groups_per_row = nm_detail::groups_per_row(f, cols);
  const std::vector<uint8_t> sel = nm_select(f, nm_detail::nonzero_mask(dense), rows, cols, what);
  out.values.reserve(static_cast<size_t>(rows * out.kept_per_row()));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < out.groups_per_row; ++g)
      for (int j = 0; j < f.n; ++j) {
        const int u = sel[static_cast<size_t>((r * out.groups_per_row + g) * f.n + j)];
        for (int e = 0; e < f.unit; ++e) {
          const int64_t c = g * f.group_elements() + u * f.unit + e;
          out.values.push_back(c < cols ? dense[static_cast<size_t>(r * cols + c)] : T(0));
        }
      }
  out.metadata = nm_pack_metadata(f, sel, rows, out.groups_per_row);
  return out;
}

// Prunes by magnitude to the format, then compresses ("pruned, when the trace asks for it").
template <class T>
NmMatrix<T> nm_prune_and_compress(const NmFormat& f, const std::vector<T>& dense, int64_t rows, int64_t cols) {
  std::vector<double> mag(dense.size());
  for (size_t i = 0; i < dense.size(); ++i) mag[i] = std::fabs(static_cast<double>(dense[i]));
  const std::vector<uint8_t> keep = nm_prune_mask(f, mag, rows, cols);
  std::vector<T> pruned(dense.size());
  for (size_t i = 0; i < dense.size(); ++i) pruned[i] = keep[i] ? dense[i] : T(0);
  return nm_compress(f, pruned, rows, cols);
}

template <class T>
std::vector<T> nm_decompress(const NmMatrix<T>& c) {
  const NmFormat& f = c.format;
  std::vector<T> dense(static_cast<size_t>(c.rows * c.cols), T(0));
  for (int64_t r = 0; r < c.rows; ++r) {
    const uint32_t* words = c.metadata.data() + r * c.words_per_row();
    for (int64_t g = 0; g < c.groups_per_row; ++g)
      for (int j = 0; j < f.n; ++j) {
        const int u = nm_unpack_index(f, words, g, j);
        for (int e = 0; e < f.unit; ++e) {
          const int64_t col = g * f.group_elements() + u * f.unit + e;
          const T v = c.values[static_cast<size_t>(r * c.kept_per_row() + (g * f.n + j) * f.unit + e)];
          if (col < c.cols) dense[static_cast<size_t>(r * c.cols + col)] = v;
        }
      }
  }
  return dense;
}

// Functional sparse mma, as the sparse tensor core computes it: D[M x N] = C + A_sparse[M x K] *
// B[K x N], where each kept value of A drives the selection mux with its metadata index to pick
// row (group base + index) of B. Only kept values are multiplied (K * n/m products per output).
// Integer types accumulate in int64 here; see dense_mma for the reference.
template <class TA, class TB, class TC>
std::vector<TC> sparse_mma(const NmMatrix<TA>& a, const std::vector<TB>& b, int64_t n_cols, const std::vector<TC>& c) {
  const NmFormat& f = a.format;
  std::vector<TC> d(c);
  for (int64_t i = 0; i < a.rows; ++i) {
    const uint32_t* words = a.metadata.data() + i * a.words_per_row();
    for (int64_t g = 0; g < a.groups_per_row; ++g)
      for (int j = 0; j < f.n; ++j) {
        const int u = nm_unpack_index(f, words, g, j);  // the mux select
        for (int e = 0; e < f.unit; ++e) {
          const int64_t k = g * f.group_elements() + u * f.unit + e;
          if (k >= a.cols) continue;
          const TC av = static_cast<TC>(a.values[static_cast<size_t>(i * a.kept_per_row() + (g * f.n + j) * f.unit + e)]);
          for (int64_t col = 0; col < n_cols; ++col)
            d[static_cast<size_t>(i * n_cols + col)] += av * static_cast<TC>(b[static_cast<size_t>(k * n_cols + col)]);
        }
      }
  }
  return d;
}

// Reference dense mma: D = C + A[M x K] * B[K x N].
template <class TA, class TB, class TC>
std::vector<TC> dense_mma(const std::vector<TA>& a, int64_t m, int64_t k, const std::vector<TB>& b, int64_t n_cols,
                          const std::vector<TC>& c) {
  std::vector<TC> d(c);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t kk = 0; kk < k; ++kk) {
      const TC av = static_cast<TC>(a[static_cast<size_t>(i * k + kk)]);
      for (int64_t col = 0; col < n_cols; ++col)
        d[static_cast<size_t>(i * n_cols + col)] += av * static_cast<TC>(b[static_cast<size_t>(kk * n_cols + col)]);
    }
  return d;
}

}  // namespace accsim
