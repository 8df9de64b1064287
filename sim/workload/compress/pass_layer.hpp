#pragma once
// One layer on its way through `accsim trace`'s passes, and what the passes share.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/workload/layer.hpp"

namespace accsim {

struct PassLayer {
  Layer layer;
  std::string origin;        // the network layer it came from
  std::string owner;         // whose weights it uses (differs for ALBERT's shared layers)
  std::optional<std::vector<float>> weights;  // set when a pass computed them (factors)
  bool exempt = false;       // --exempt-first/--exempt-last: not pruned or factorized
  bool pruned = false, quantized = false, has_entry = false;
  int64_t nonzeros = 0;
  double kept_l1 = 1, kept_l2 = 1, quant_error = 0;
  double lowrank_error = -1;  // ||W - factors|| / ||W|| of the factorization it came from (-1: none)
};

// The weights a pass works on: computed factors, real weights, or seeded synthetic ones.
using WeightFn = std::function<std::vector<float>(const PassLayer&)>;

// fnmatch-style layer selection (* ? [..]).
bool name_matches(const std::string& glob, const std::string& name);

}  // namespace accsim
