#pragma once
// Structural passes of `accsim trace`: depthwise-separable substitution and low-rank factorization
// (truncated SVD, Tucker-2, CP; compress/lowrank.hpp), rewriting the layer list.
#include "sim/workload/compress/pass_layer.hpp"

namespace accsim {

// Every k x k (k > 1) non-exempt standard conv becomes depthwise k x k + pointwise 1x1. Returns
// how many convs were replaced.
int64_t substitute_depthwise_separable(std::vector<PassLayer>& layers);

struct LowRankOptions {
  std::string target;                 // rank:R | energy:F
  std::string conv_method = "svd";    // svd | tucker2:R_IN:R_OUT | cp:R
  std::string layers = "*";           // layer-name glob
};
// Factorizes every eligible (linear/gemm, or conv with groups 1) non-exempt layer matching
// `opts.layers`; layers sharing weights share factors. Returns how many layers were factorized.
// InputError for malformed options or ranks the layer cannot have.
int64_t factorize_low_rank(std::vector<PassLayer>& layers, const LowRankOptions& opts, const WeightFn& weights_for);

}  // namespace accsim
