// `accsim run --workload-set`: workload-wide compression and format settings (sim/workload/workload_overrides).
#include <gtest/gtest.h>

#include "sim/core/error.hpp"
#include "sim/workload/trace.hpp"
#include "sim/workload/workload_overrides.hpp"

using namespace accsim;

namespace {
// workloads/bert-base-encoder-layer.yaml: 4 linear layers (weights) and 2 activation x activation matmuls.
Workload bert() { return read_trace_file("workloads/bert-base-encoder-layer.yaml"); }
}  // namespace

TEST(WorkloadOverrides, PruneAndWeightBitsReachOnlyLayersWithWeights) {
  Workload w = bert();
  ASSERT_EQ(w.layers.size(), 6u);
  apply_workload_overrides(w, {"prune=nm:2:4", "wbits=4"});
  int pruned = 0;
  for (const auto& l : w.layers) {
    const bool has_weights = l.op == OpKind::Linear;
    EXPECT_EQ(l.weights.compression.pattern, has_weights ? SparsityPattern::NM : SparsityPattern::Dense) << l.name;
    EXPECT_EQ(l.weights.dtype.bits, has_weights ? 4 : 8) << l.name;
    EXPECT_EQ(l.activations.dtype.bits, 8) << l.name;
    if (has_weights) {
      EXPECT_EQ(l.weights.compression.nm_n, 2);
      EXPECT_EQ(l.weights.compression.nm_m, 4);
      EXPECT_DOUBLE_EQ(l.weights.compression.density, 0.5);
      ++pruned;
    }
  }
  EXPECT_EQ(pruned, 4);
}

TEST(WorkloadOverrides, DtypeIsAppliedBeforeBitWidthsWhateverTheOrder) {
  Workload w = bert();
  apply_workload_overrides(w, {"abits=4", "dtype=int8"});  // dtype first, then abits refines it
  for (const auto& l : w.layers) {
    EXPECT_EQ(l.activations.dtype.bits, 4);
    EXPECT_EQ(l.weights.dtype.bits, 8);
    EXPECT_EQ(l.accumulators.dtype.bits, 32);  // int32 accumulators for integer operands
  }
}

TEST(WorkloadOverrides, BadSettingsAreInputErrors) {
  Workload w = bert();
  EXPECT_THROW(apply_workload_overrides(w, {"m=4"}), InputError);
  EXPECT_THROW(apply_workload_overrides(w, {"wbits=0"}), InputError);
  EXPECT_THROW(apply_workload_overrides(w, {"wbits=33"}), InputError);
  EXPECT_THROW(apply_workload_overrides(w, {"prune=nm:4:2"}), InputError);
  EXPECT_THROW(apply_workload_overrides(w, {"dtype=int99x"}), InputError);
  EXPECT_THROW(apply_workload_overrides(w, {"seed=-1"}), InputError);
  EXPECT_THROW(apply_workload_overrides(w, {"prune"}), InputError);
  EXPECT_THROW(apply_workload_overrides(w, {"wbits=4", "wbits=2"}), InputError);
}
