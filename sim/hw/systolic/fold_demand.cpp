#include "sim/hw/systolic/fold_demand.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

namespace accsim {

int64_t DemandPiece::first_need(uint64_t lo, uint64_t hi) const {
  const auto g_lo = static_cast<int64_t>(std::floor(static_cast<double>(lo - origin) / elem_bytes));
  const auto g_hi = static_cast<int64_t>(std::ceil(static_cast<double>(hi - origin) / elem_bytes)) - 1;
  int64_t best = INT64_MAX;
  // need is monotone along a row, so a row's minimum is at one end of the span it has here.
  for (int64_t row = g_lo / cols; row <= g_hi / cols; ++row) {
    const int64_t a = row == g_lo / cols ? g_lo % cols : 0;
    const int64_t b = row == g_hi / cols ? g_hi % cols : cols - 1;
    best = std::min({best, need(row - r0, a - c0), need(row - r0, b - c0)});
  }
  return best;
}

void SystolicFoldDemand::requests(uint64_t burst, uint64_t offset, AddressStream& out, std::vector<int64_t>& need) const {
  struct Req { int64_t need; Extent e; };
  std::vector<Req> reqs;
  for (const DemandPiece& p : pieces)
    for (const Extent& e : p.segments) {
      if (e.bytes == 0) continue;
      for (uint64_t i = 0; i < e.count; ++i) {
        const uint64_t s0 = e.base + i * e.stride, s1 = s0 + e.bytes;
        // Every aligned burst the segment touches, clipped to it (the timing DRAM moves the whole
        // burst; the bytes counted are the segment's, as with the unordered stream).
        for (uint64_t a = s0 / burst * burst; a < s1; a += burst) {
          const uint64_t lo = std::max(a, s0), hi = std::min(a + burst, s1);
          reqs.push_back({p.first_need(lo, hi), Extent{lo + offset, hi - lo, hi - lo, 1}});
        }
      }
    }
  // Ties keep the layout's order (row-buffer locality within one step's requests).
  std::stable_sort(reqs.begin(), reqs.end(), [](const Req& x, const Req& y) { return x.need < y.need; });
  out.reserve(reqs.size());
  need.reserve(reqs.size());
  for (const Req& r : reqs) {
    out.push_back(r.e);
    need.push_back(std::max<int64_t>(0, r.need));
  }
}

}  // namespace accsim
