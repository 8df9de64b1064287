#include "sim/hw/stc/mma_issue.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

namespace {

struct Scheduler {
  std::vector<double> left;  // mmas left per warp (fractional: a warpgroup's share)
  size_t next = 0;           // round-robin pointer
  double tc_free = 0;        // time the tensor core accepts its next mma
};

// One cycle of one scheduler: issue at most one mma. Returns false when it has nothing left.
bool issue(Scheduler& s, double cycle, double cycles_per_mma) {
  const size_t n = s.left.size();
  for (size_t tried = 0; tried < n; ++tried) {
    const size_t w = (s.next + tried) % n;
    if (s.left[w] <= 0) continue;
    if (s.tc_free >= cycle + 1.0) return true;  // tensor core busy through this cycle
    const double part = std::min(1.0, s.left[w]);
    s.tc_free = std::max(s.tc_free, cycle) + part * cycles_per_mma;
    s.left[w] -= part;
    s.next = (w + 1) % n;
    return true;
  }
  return false;
}

}  // namespace

uint64_t step_mma_issue(const std::vector<WarpWork>& warps, int sub_partitions, double cycles_per_mma) {
  std::vector<Scheduler> sp(static_cast<size_t>(sub_partitions));
  for (const WarpWork& w : warps) {
    if (w.sub_partition < 0) {
      for (auto& s : sp) s.left.push_back(static_cast<double>(w.mmas) / sub_partitions);
    } else {
      sp[static_cast<size_t>(w.sub_partition % sub_partitions)].left.push_back(static_cast<double>(w.mmas));
    }
  }
  bool busy = true;
  for (double cycle = 0; busy; ++cycle) {
    busy = false;
    for (auto& s : sp) busy = issue(s, cycle, cycles_per_mma) || busy;
  }
  double end = 0;
  for (const auto& s : sp) end = std::max(end, s.tc_free);
  return static_cast<uint64_t>(std::ceil(end - 1e-9));
}

}  // namespace accsim
