#include "sim/hw/bbs/csb_format.hpp"

#include <algorithm>
#include <stdexcept>

namespace accsim {

int64_t CsbMatrix::nonzeros() const {
  int64_t n = 0;
  for (int32_t c : bank_nnz) n += c;
  return n;
}

int64_t CsbMatrix::row_nnz(int64_t row) const {
  int64_t n = 0;
  for (int64_t b = 0; b < banks; ++b) n += nnz(row, b);
  return n;
}

int CsbMatrix::index_bits() const {
  int bits = 1;
  while ((int64_t{1} << bits) < bank_len) ++bits;
  return bits;
}

CsbMatrix csb_counts(const WeightMask& mask, int64_t banks) {
  if (banks < 1) throw std::invalid_argument("CSB needs at least one bank");
  CsbMatrix m;
  m.rows = mask.rows;
  m.cols = mask.cols;
  m.banks = banks;
  m.bank_len = (mask.cols + banks - 1) / banks;
  if (m.bank_len > 65536) throw std::invalid_argument("CSB bank longer than 65536 entries (16-bit indices)");
  m.row_slot_begin.resize(static_cast<size_t>(m.rows));
  m.row_slots.resize(static_cast<size_t>(m.rows));
  m.bank_nnz.assign(static_cast<size_t>(m.rows * banks), 0);

  // Pass 1: nonzeros per bank, hence slots per row.
  int64_t slot = 0;
  for (int64_t r = 0; r < m.rows; ++r) {
    int32_t fullest = 0;
    for (int64_t b = 0; b < banks; ++b) {
      const int64_t c0 = b * m.bank_len, c1 = std::min(m.cols, c0 + m.bank_len);
      const auto n = static_cast<int32_t>(mask.row_nonzeros(r, c0, c1));
      m.bank_nnz[static_cast<size_t>(r * banks + b)] = n;
      fullest = std::max(fullest, n);
    }
    m.row_slot_begin[static_cast<size_t>(r)] = slot;
    m.row_slots[static_cast<size_t>(r)] = fullest;
    slot += fullest;
  }
  return m;
}

CsbMatrix csb_encode(const WeightMask& mask, const std::vector<int32_t>& values, int64_t banks) {
  if (!values.empty() && values.size() != mask.keep.size())
    throw std::invalid_argument("CSB values do not match the mask's shape");
  CsbMatrix m = csb_counts(mask, banks);
  const int64_t slot = m.total_slots();

  // Pass 2: the i-th nonzero of bank b of row r goes to entry (row start + i) * K + b.
  const size_t entries = static_cast<size_t>(slot * banks);
  m.values.assign(entries, 0);
  m.indices.assign(entries, 0);
  m.valid.assign(entries, 0);
  for (int64_t r = 0; r < m.rows; ++r) {
    for (int64_t b = 0; b < banks; ++b) {
      const int64_t c0 = b * m.bank_len, c1 = std::min(m.cols, c0 + m.bank_len);
      int64_t i = 0;
      const size_t row0 = static_cast<size_t>(r * m.cols);
      mask.keep.for_each_set(row0 + static_cast<size_t>(c0), row0 + static_cast<size_t>(c1), [&](size_t bit) {
        const int64_t c = static_cast<int64_t>(bit - row0);
        const size_t e = static_cast<size_t>((m.row_slot_begin[static_cast<size_t>(r)] + i) * banks + b);
        m.values[e] = values.empty() ? 1 : values[static_cast<size_t>(r * m.cols + c)];
        m.indices[e] = static_cast<uint16_t>(c - c0);
        m.valid[e] = 1;
        ++i;
      });
    }
  }
  return m;
}

namespace {

// Visits every stored entry as (row, column, value).
template <typename F>
void for_each_entry(const CsbMatrix& m, F f) {
  for (int64_t r = 0; r < m.rows; ++r) {
    const int64_t s0 = m.row_slot_begin[static_cast<size_t>(r)];
    for (int64_t s = s0; s < s0 + m.row_slots[static_cast<size_t>(r)]; ++s) {
      for (int64_t b = 0; b < m.banks; ++b) {
        const size_t e = static_cast<size_t>(s * m.banks + b);
        if (m.valid[e]) f(r, b * m.bank_len + m.indices[e], m.values[e]);
      }
    }
  }
}

}  // namespace

std::vector<int32_t> csb_decode_values(const CsbMatrix& m) {
  std::vector<int32_t> dense(static_cast<size_t>(m.rows * m.cols), 0);
  for_each_entry(m, [&](int64_t r, int64_t c, int32_t v) { dense[static_cast<size_t>(r * m.cols + c)] = v; });
  return dense;
}

WeightMask csb_decode_mask(const CsbMatrix& m) {
  WeightMask w;
  w.rows = m.rows;
  w.cols = m.cols;
  w.keep.assign(static_cast<size_t>(m.rows * m.cols), false);
  for_each_entry(m, [&](int64_t r, int64_t c, int32_t) { w.keep.set(static_cast<size_t>(r * m.cols + c)); });
  return w;
}

std::string BankBalance::describe() const {
  if (balanced) return "every row has the same nonzero count in all banks";
  return "row " + std::to_string(row) + " has " + std::to_string(min_nnz) + ".." + std::to_string(max_nnz) +
         " nonzeros per bank";
}

BankBalance check_bank_balance(const CsbMatrix& m) {
  BankBalance out;
  for (int64_t r = 0; r < m.rows; ++r) {
    int32_t lo = m.nnz(r, 0), hi = lo;
    for (int64_t b = 1; b < m.banks; ++b) {
      lo = std::min(lo, m.nnz(r, b));
      hi = std::max(hi, m.nnz(r, b));
    }
    if (lo != hi) {
      out.balanced = false;
      out.row = r;
      out.min_nnz = lo;
      out.max_nnz = hi;
      return out;
    }
  }
  return out;
}

std::vector<int64_t> csb_spmm(const CsbMatrix& m, const std::vector<int32_t>& x, int64_t vectors) {
  if (static_cast<int64_t>(x.size()) != vectors * m.cols) throw std::invalid_argument("CSB SpMM: input size mismatch");
  std::vector<int64_t> y(static_cast<size_t>(vectors * m.rows), 0);
  for (int64_t v = 0; v < vectors; ++v) {
    const int32_t* xv = x.data() + v * m.cols;
    for (int64_t r = 0; r < m.rows; ++r) {
      int64_t acc = 0;
      const int64_t s0 = m.row_slot_begin[static_cast<size_t>(r)];
      // One slot = one PE cycle: K products (one per bank) summed by the adder tree.
      for (int64_t s = s0; s < s0 + m.row_slots[static_cast<size_t>(r)]; ++s) {
        int64_t tree = 0;
        for (int64_t b = 0; b < m.banks; ++b) {
          const size_t e = static_cast<size_t>(s * m.banks + b);
          if (m.valid[e]) tree += static_cast<int64_t>(m.values[e]) * xv[b * m.bank_len + m.indices[e]];
        }
        acc += tree;
      }
      y[static_cast<size_t>(v * m.rows + r)] = acc;
    }
  }
  return y;
}

std::vector<int64_t> dense_spmm(const std::vector<int32_t>& w, int64_t rows, int64_t cols,
                                const std::vector<int32_t>& x, int64_t vectors) {
  std::vector<int64_t> y(static_cast<size_t>(vectors * rows), 0);
  for (int64_t v = 0; v < vectors; ++v)
    for (int64_t r = 0; r < rows; ++r) {
      int64_t acc = 0;
      for (int64_t c = 0; c < cols; ++c)
        acc += static_cast<int64_t>(w[static_cast<size_t>(r * cols + c)]) * x[static_cast<size_t>(v * cols + c)];
      y[static_cast<size_t>(v * rows + r)] = acc;
    }
  return y;
}

}  // namespace accsim

namespace accsim {

CsbMatrix csb_dense_counts(int64_t rows, int64_t cols, int64_t banks) {
  if (rows < 0 || cols < 1 || banks < 1) throw std::invalid_argument("csb_dense_counts: bad shape");
  CsbMatrix m;
  m.rows = rows, m.cols = cols, m.banks = banks;
  m.bank_len = (cols + banks - 1) / banks;
  m.row_slot_begin.resize(static_cast<size_t>(rows));
  m.row_slots.assign(static_cast<size_t>(rows), static_cast<int32_t>(m.bank_len));
  m.bank_nnz.resize(static_cast<size_t>(rows * banks));
  for (int64_t r = 0; r < rows; ++r) {
    m.row_slot_begin[static_cast<size_t>(r)] = r * m.bank_len;
    for (int64_t b = 0; b < banks; ++b)
      m.bank_nnz[static_cast<size_t>(r * banks + b)] =
          static_cast<int32_t>(std::clamp<int64_t>(cols - b * m.bank_len, 0, m.bank_len));
  }
  return m;
}

}  // namespace accsim
