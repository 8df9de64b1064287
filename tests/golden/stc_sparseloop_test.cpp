// Sparseloop's STC-like reference design (configs/arch/sparseloop-stc.yaml) on its published
// workload: M512 K1024 N256 int8 with 2:4 weights. Sparseloop (MICRO'22 artifact, Timeloop stats of
// STC-RF2x-24-bandwidth / STC_flexible-RF2x-24-bandwidth-RLE) reports 65,536 cycles at utilization
// 1.00: 512 x 1024 x 256 = 134,217,728 MACs, half of them kept by 2:4, over 1024 MACs per cycle.
#include <gtest/gtest.h>

#include "sim/hw/accelerator.hpp"
#include "sim/workload/trace.hpp"

namespace accsim {
namespace {

TEST(StcSparseloop, TensorCoreCyclesMatchSparseloop) {
  RunRequest req;
  req.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/sparseloop-stc.yaml";
  // Sparseloop's sparse A (M x K) is accsim's weight operand: n = 512; its B (N x K): m = 256.
  req.workload = load_workload("gemm:m=256,n=512,k=1024,dtype=int8,prune=nm:2:4");
  const RunOutput out = simulate(req);
  const LayerResult& l = out.result.layers.at(0);
  EXPECT_EQ(l.macs, 134217728u);
  EXPECT_EQ(l.effectual_macs, 67108864u);
  EXPECT_EQ(l.compute_cycles, 65536u);  // 67,108,864 / 1024
  // accsim adds what Timeloop leaves out: the first stage fill and each tile's epilogue store.
  // The design is balanced (a 21.5 KB stage fill per 512-cycle k-step at 42 B/cycle), so those
  // are not hidden; the doc quotes the measured figure. Bound: within 15% of Sparseloop.
  EXPECT_GT(l.cycles, 65536u);
  EXPECT_LT(l.cycles, 75366u);  // 65,536 x 1.15
}

}  // namespace
}  // namespace accsim
