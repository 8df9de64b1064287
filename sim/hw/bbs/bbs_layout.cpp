#include "sim/hw/bbs/bbs_layout.hpp"

#include <cmath>

namespace accsim {

namespace {

constexpr uint64_t kAlign = 64 * 1024;  // region alignment: regions start on a fresh row
uint64_t align_up(uint64_t x) { return (x + kAlign - 1) / kAlign * kAlign; }
uint64_t up(double x) { return static_cast<uint64_t>(std::ceil(x - 1e-9)); }

}  // namespace

BbsLayout BbsLayout::make(double max_set_bytes, double value_share, uint64_t sets, uint64_t steps, uint64_t m,
                          uint64_t k, uint64_t n, uint64_t instances, double a_bytes, double o_bytes) {
  BbsLayout l;
  l.value_share = value_share;
  l.m = m, l.k = k, l.n = n, l.instances = instances, l.a_bytes = a_bytes, l.o_bytes = o_bytes;
  l.set_values = align_up(up(max_set_bytes * value_share));
  l.set_indices = align_up(up(max_set_bytes * (1 - value_share)));
  l.values = 0;
  l.indices = l.values + sets * l.set_values;
  l.inputs = align_up(l.indices + sets * l.set_indices);
  l.outputs = align_up(l.inputs + steps * instances * m * up(static_cast<double>(k) * a_bytes));
  return l;
}

void BbsLayout::weights(AddressStream& s, uint64_t set, double off, double bytes) const {
  // Values and indices of a chunk sit at the same fraction of their regions.
  const uint64_t v0 = up(off * value_share), v1 = up((off + bytes) * value_share);
  if (v1 > v0) s.push_back(Extent{values + set * set_values + v0, v1 - v0, 0, 1});
  const uint64_t i0 = up(off * (1 - value_share)), i1 = up((off + bytes) * (1 - value_share));
  if (i1 > i0) s.push_back(Extent{indices + set * set_indices + i0, i1 - i0, 0, 1});
}

void BbsLayout::inputs_of(AddressStream& s, uint64_t step, uint64_t inst, uint64_t v0, uint64_t nv,
                          uint64_t elems) const {
  const uint64_t row = up(static_cast<double>(k) * a_bytes);
  const uint64_t base = inputs + ((step * instances + inst) * m + v0) * row;
  // Whole rows are one contiguous extent (no burst is counted twice at a row boundary).
  if (elems >= k) s.push_back(Extent{base, nv * row, 0, 1});
  else if (elems > 0) s.push_back(Extent{base, up(static_cast<double>(elems) * a_bytes), row, nv});
}

void BbsLayout::outputs_of(AddressStream& s, uint64_t step, uint64_t inst, uint64_t v0, uint64_t nv, uint64_t r0,
                           uint64_t rows, uint64_t width) const {
  const uint64_t row = up(static_cast<double>(width) * o_bytes);
  const uint64_t base = outputs + ((step * instances + inst) * m + v0) * row + up(static_cast<double>(r0) * o_bytes);
  if (rows >= width) s.push_back(Extent{base, nv * row, 0, 1});
  else if (rows > 0) s.push_back(Extent{base, up(static_cast<double>(rows) * o_bytes), row, nv});
}

}  // namespace accsim
