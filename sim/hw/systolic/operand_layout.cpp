#include "sim/hw/systolic/operand_layout.hpp"

#include <cmath>

namespace accsim {

namespace {
uint64_t align4k(uint64_t x) { return (x + 4095) / 4096 * 4096; }
uint64_t bytes_of(int64_t elems, double elem_bytes) {
  return static_cast<uint64_t>(std::ceil(static_cast<double>(elems) * elem_bytes));
}
}  // namespace

bool parse_layout(const std::string& text, DramLayout& out) {
  if (text == "row_major") out = DramLayout::RowMajor;
  else if (text == "tiled") out = DramLayout::Tiled;
  else return false;
  return true;
}

uint64_t MatrixRegion::size() const { return bytes_of(rows * cols, elem_bytes); }

OperandLayout::OperandLayout(DramLayout layout, int64_t m, int64_t n, int64_t k, double a_bytes, double b_bytes,
                             double out_bytes, double acc_bytes)
    : layout_(layout) {
  const int64_t dims[4][2] = {{m, k}, {k, n}, {m, n}, {m, n}};
  const double elems[4] = {a_bytes, b_bytes, out_bytes, acc_bytes};
  uint64_t at = 0;
  for (int i = 0; i < 4; ++i) {
    mats_[i] = MatrixRegion{at, dims[i][0], dims[i][1], elems[i], at};
    at = align4k(at + mats_[i].size());
  }
  end_ = at;
}

AddressStream OperandLayout::block(Which w, int64_t r0, int64_t nr, int64_t c0, int64_t nc) {
  MatrixRegion& mr = mats_[w];
  if (nr <= 0 || nc <= 0) return {};
  if (layout_ == DramLayout::Tiled) {
    // Blocks are laid out in the order they are first asked for; a block asked for again (a
    // re-fetch) is at the same place only in a real layout: we approximate re-fetches by the
    // next free place wrapping around the region, which keeps the same row-buffer behaviour.
    const uint64_t bytes = bytes_of(nr * nc, mr.elem_bytes);
    if (mr.next_tile + bytes > mr.base + mr.size()) mr.next_tile = mr.base;
    Extent e{mr.next_tile, bytes, bytes, 1};
    mr.next_tile += bytes;
    return {e};
  }
  const uint64_t row_bytes = bytes_of(mr.cols, mr.elem_bytes);
  const uint64_t start = mr.base + bytes_of(r0 * mr.cols + c0, mr.elem_bytes);
  if (nc == mr.cols) return {Extent{start, bytes_of(nr * nc, mr.elem_bytes), 0, 1}};
  return {Extent{start, bytes_of(nc, mr.elem_bytes), row_bytes, static_cast<uint64_t>(nr)}};
}

}  // namespace accsim
