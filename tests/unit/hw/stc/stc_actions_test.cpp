// Counts the GPU power model prices (stc_actions.hpp), derived by hand for the A100 defaults.
#include <gtest/gtest.h>

#include "sim/hw/stc/stc_actions.hpp"

namespace accsim {
namespace {

TEST(StcActions, SmActiveCyclesAreOccupiedSmsTimesKLoopCycles) {
  StcConfig c;  // A100 defaults: 108 SMs, 128x128 tiles of 64x64 warps, at most 2 CTAs per SM
  c.fma_per_clk = {{"fp16", 256}, {"int8", 512}, {"int4", 1024}};
  Layer l;
  l.op = OpKind::Gemm;
  l.m = l.n = l.k = 4096;
  parse_dtype("fp16", l.weights.dtype);
  l.activations.dtype = l.outputs.dtype = l.weights.dtype;
  parse_dtype("fp32", l.accumulators.dtype);
  const GemmPlan p = plan_gemm(c, l, lower_to_gemm(l), false, NmFormat{});
  // 1024 CTAs in waves of 216: four full waves on 108 SMs, then 160 CTAs on ceil(160 / 2) = 80.
  // Every k-step takes 1024 cycles (2 warps per tensor core x 64 mmas x 8 cycles, above shared
  // memory's 768 and issue's 176), 128 k-steps: (4 x 108 + 80) x 128 x 1024 SM-cycles.
  ASSERT_EQ(p.waves.size(), 5u);
  EXPECT_DOUBLE_EQ(sm_active_cycles(c, p), (4.0 * 108 + 80) * 128 * 1024);
  // Datapath width the SM-activity energy scales with: 256 fp16 = 512 int8 = 1024 int4 lanes x bits.
  EXPECT_DOUBLE_EQ(stc_lane_bits_per_tensor_core(c), 4096.0);
}

}  // namespace
}  // namespace accsim
