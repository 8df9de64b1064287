#pragma once
// sim.mode: cycle for the sparse tensor core: one SM's k-step stepped cycle by cycle. Each SM
// sub-partition has one warp scheduler and one tensor core; every cycle each scheduler issues the
// next mma of one of its warps (round-robin over warps with mmas left) if its tensor core can
// accept one. A tensor core accepts a new mma every `cycles_per_mma` cycles (pipelined at its
// rated FMA/clk). A Hopper warpgroup's mma is split over all four tensor cores. Plain C++.
#include <cstdint>
#include <vector>

namespace accsim {

struct WarpWork {
  int sub_partition = 0;  // -1: a warpgroup, its mmas spread over every sub-partition
  int64_t mmas = 0;       // mma instructions this k-step
};

// Cycles until the last mma of the k-step has left its tensor core.
uint64_t step_mma_issue(const std::vector<WarpWork>& warps, int sub_partitions, double cycles_per_mma);

}  // namespace accsim
