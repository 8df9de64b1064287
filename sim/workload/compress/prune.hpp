#pragma once
// Magnitude pruning for `accsim trace`: the patterns of weight_mask.hpp, fast N:M selection for big
// networks, a network-wide (global) threshold, and the weight magnitude each pattern keeps.
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/workload/weight_mask.hpp"

namespace accsim {

// Same result as prune_by_magnitude (ties keep the lower index), with a fast path for N:M.
WeightMask prune_weights(const std::vector<float>& w, int64_t rows, int64_t cols, const Compression& c,
                         const SourceLocation& where);

// Checks a pattern against a weight shape before any work (bank size must divide the row).
void check_pattern_fits(const Compression& c, int64_t rows, int64_t cols, const SourceLocation& where);

// Network-wide unstructured pruning: the magnitude threshold that keeps `density` of all weights.
// Feed every tensor to add(), then call threshold(); then feed them again to refine() and call
// exact(): two passes over the weights, memory bounded by one histogram bin.
class GlobalThreshold {
 public:
  void add(const std::vector<float>& w);
  void select(double density);                  // picks the histogram bin holding the threshold
  void refine(const std::vector<float>& w);     // collects the values of that bin
  float exact();                                 // the threshold: keep |w| >= it
 private:
  std::vector<uint64_t> hist_ = std::vector<uint64_t>(1u << 16, 0);
  uint64_t total_ = 0, above_ = 0, rank_in_bin_ = 0;
  uint32_t bin_ = 0;
  std::vector<float> in_bin_;
};
WeightMask prune_by_threshold(const std::vector<float>& w, int64_t rows, int64_t cols, float threshold);

// Fraction of the weights' L1 and L2 magnitude that the mask keeps (a proxy for accuracy loss).
struct KeptMagnitude {
  double l1_kept = 0, l1_total = 0, l2_kept = 0, l2_total = 0;  // sums of |w| and w^2
  void add(const std::vector<float>& w, const WeightMask& m);
  double l1() const { return l1_total > 0 ? l1_kept / l1_total : 1.0; }
  double l2() const { return l2_total > 0 ? std::sqrt(l2_kept / l2_total) : 1.0; }
};

}  // namespace accsim
