#pragma once
// Where the systolic array's operands live in DRAM, and the address stream of each fill/store.
// A (M x K, ifmap), B (K x N, filter), C (M x N, ofmap) and P (M x N partial sums, accumulator
// width) each get a region. Layouts:
//   row_major: each matrix row-major; a sub-block is one segment per row (one if full rows);
//   tiled:     each fold's block stored contiguously in the order the array asks for it
//              (what a compiler that lays data out for this array would do).
// Channel interleaving is the DRAM's address mapping (dram.address_mapping), not the layout's.
#include <cstdint>
#include <string>

#include "sim/hw/memory/address_stream.hpp"

namespace accsim {

enum class DramLayout { RowMajor, Tiled };
bool parse_layout(const std::string& text, DramLayout& out);

struct MatrixRegion {
  uint64_t base = 0;
  int64_t rows = 0, cols = 0;
  double elem_bytes = 1;
  uint64_t next_tile = 0;  // tiled: where the next block goes
  uint64_t size() const;
};

class OperandLayout {
 public:
  // Regions for A (m x k), B (k x n), C and P (m x n), each aligned to 4 KiB.
  OperandLayout(DramLayout layout, int64_t m, int64_t n, int64_t k, double a_bytes, double b_bytes,
                double out_bytes, double acc_bytes);
  enum Which { A = 0, B = 1, C = 2, P = 3 };
  // The block rows [r0, r0 + nr) x columns [c0, c0 + nc) of matrix `w`.
  AddressStream block(Which w, int64_t r0, int64_t nr, int64_t c0, int64_t nc);
  // Matrix `w`'s region: its first byte, elements per row and element size.
  const MatrixRegion& region(Which w) const { return mats_[w]; }
  bool tiled() const { return layout_ == DramLayout::Tiled; }
  // Bytes between two GEMM instances' regions.
  uint64_t footprint() const { return end_; }

 private:
  DramLayout layout_;
  MatrixRegion mats_[4];
  uint64_t end_ = 0;
};

}  // namespace accsim
