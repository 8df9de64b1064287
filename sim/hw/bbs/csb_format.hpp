#pragma once
// Compressed Sparse Banks (CSB, Cao et al. FPGA'19): a weight matrix whose rows are split into K
// contiguous banks, stored so that the i-th nonzeros of all K banks of a row sit together in one
// "slot" (K values + K in-bank indices). A PE consumes one slot per cycle: one nonzero per bank,
// so the K input reads hit K different single-port SRAM banks and never conflict.
//
// Bank-balanced rows have the same nonzero count in every bank, so a row has exactly that many
// slots and no padding. Other rows (unstructured, block pruning) still encode: a row gets as many
// slots as its fullest bank, and emptier banks are padded with invalid entries (the lanes idle).
// Pure C++: no SystemC, no YAML.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/workload/weight_mask.hpp"

namespace accsim {

struct CsbMatrix {
  int64_t rows = 0, cols = 0;
  int64_t banks = 1;     // K: banks per row (= MAC lanes per PE)
  int64_t bank_len = 0;  // B = ceil(cols / K); bank b covers columns [b*B, min((b+1)*B, cols))

  // Per row: first slot and slot count (slots = nonzeros of the row's fullest bank).
  std::vector<int64_t> row_slot_begin;
  std::vector<int32_t> row_slots;
  // Per row and bank: nonzeros in that bank (row-major, rows x banks).
  std::vector<int32_t> bank_nnz;
  // Slot-major storage, K entries per slot: entry [s*K + b] is the s-th nonzero of bank b of the
  // slot's row; `valid` = 0 marks a padding entry (value 0, index 0).
  std::vector<int32_t> values;
  std::vector<uint16_t> indices;  // position inside the bank, 0..B-1
  std::vector<uint8_t> valid;

  int64_t total_slots() const { return static_cast<int64_t>(row_slots.empty() ? 0 : row_slot_begin.back() + row_slots.back()); }
  int64_t nonzeros() const;
  int64_t padding_entries() const { return total_slots() * banks - nonzeros(); }
  int32_t nnz(int64_t row, int64_t bank) const { return bank_nnz[static_cast<size_t>(row * banks + bank)]; }
  int64_t row_nnz(int64_t row) const;
  // Bits of one in-bank index: enough to address B positions (at least 1).
  int index_bits() const;
};

// Encodes the kept positions of `mask`; `values` (rows x cols, row-major) supplies the numbers,
// or every kept weight is 1 when `values` is empty. Throws std::invalid_argument on bad shapes
// (banks < 1, bank length > 65536, value vector of the wrong size).
CsbMatrix csb_encode(const WeightMask& mask, const std::vector<int32_t>& values, int64_t banks);

// Pass 1 of csb_encode alone: the per-row slot and per-bank nonzero counts of `mask`, without the
// slot storage (values, indices, valid: ~7 bytes per stored entry). What timing needs.
CsbMatrix csb_counts(const WeightMask& mask, int64_t banks);

// The slot and bank counts of a dense rows x cols matrix (every position stored), without values
// or a mask: what timing needs for dense weights and for activation operands (no pruning).
CsbMatrix csb_dense_counts(int64_t rows, int64_t cols, int64_t banks);

// Dense rows x cols values (zeros where nothing is stored) and the mask of stored positions.
std::vector<int32_t> csb_decode_values(const CsbMatrix& m);
WeightMask csb_decode_mask(const CsbMatrix& m);

// Whether every bank of every row holds the same number of nonzeros as the other banks of that row
// (the property that makes one slot per cycle conflict-free with no idle lanes).
struct BankBalance {
  bool balanced = true;
  int64_t row = -1;             // first offending row, or -1
  int32_t min_nnz = 0, max_nnz = 0;  // that row's emptiest and fullest bank
  std::string describe() const;  // "row 5 has 3..7 nonzeros per bank"
};
BankBalance check_bank_balance(const CsbMatrix& m);

// Functional model of the PE datapath on integers: y[v][r] = sum over the row's slots s and banks b
// of value(s,b) * x[v][b*B + index(s,b)], padding entries skipped. `x` holds `vectors` input
// vectors of length cols back to back; the result holds `vectors` output vectors of length rows.
std::vector<int64_t> csb_spmm(const CsbMatrix& m, const std::vector<int32_t>& x, int64_t vectors);

// Dense reference: y[v][r] = sum_c w[r][c] * x[v][c] on a rows x cols row-major matrix.
std::vector<int64_t> dense_spmm(const std::vector<int32_t>& w, int64_t rows, int64_t cols,
                                const std::vector<int32_t>& x, int64_t vectors);

}  // namespace accsim
