#pragma once
// sim.mode=cycle's demand-ordered fills for the systolic array (FoldDemand, tile_pipeline.hpp):
// which cycle of a fold first needs each burst of its operand fill. The layout keeps every
// address (operand_layout.hpp); only the order the bursts are requested in changes.
//
// Cycles from the fold's first one, with R array rows, ts cycles per temporal step and kp reduction
// elements per lane (wavefront.cpp's skew):
//   os  A[i][k] enters array row i at (k / kp) x ts + i; B[k][j] enters column j at (k / kp) x ts + j
//   ws  W row k (array row k / kp) shifts in from the top, bottom row first: R - 1 - k / kp;
//       X[r][k] enters array row k / kp at R + r x ts + k / kp; a spilled partial sum of (r, j)
//       is added as the result leaves the bottom row: 2R - 1 + r x ts + j
//   is  the same with A^T stationary (A[m][k]: R - 1 - k / kp) and B^T streamed (B[k][r]:
//       R + r x ts + k / kp; partial sum of (m, r): 2R - 1 + r x ts + m)
#include <cstdint>
#include <vector>

#include "sim/hw/common/tile_pipeline.hpp"

namespace accsim {

// One operand block of a fill: its extents (as in the load stream) and where its elements are.
struct DemandPiece {
  AddressStream segments;
  uint64_t origin = 0;      // address of element (0, 0) of the addressed matrix (row-major: the
                            // operand's region; tiled: the block itself)
  int64_t cols = 1;         // elements per row of that matrix
  int64_t r0 = 0, c0 = 0;   // the block's first element in it
  double elem_bytes = 1;
  // need(r, c) = at + ra x (r / rd) + ca x (c / cd), (r, c) relative to the block: monotone in each.
  int64_t at = 0, ra = 0, rd = 1, ca = 0, cd = 1;
  int64_t need(int64_t r, int64_t c) const { return at + ra * (r / rd) + ca * (c / cd); }
  // The earliest need over the elements in bytes [lo, hi) of the matrix.
  int64_t first_need(uint64_t lo, uint64_t hi) const;
};

class SystolicFoldDemand : public FoldDemand {
 public:
  std::vector<DemandPiece> pieces;
  void requests(uint64_t request_bytes, uint64_t offset, AddressStream& out, std::vector<int64_t>& need) const override;
};

}  // namespace accsim
