// sim.mode: cycle of the sparse tensor core: mma issue stepped per warp scheduler
// (sim/hw/stc/mma_issue.hpp) against hand counts and against the event-mode formula of gemm_plan.
#include <gtest/gtest.h>

#include "sim/hw/stc/gemm_plan.hpp"
#include "sim/hw/stc/mma_issue.hpp"
#include "tests/unit/hw/stc/stc_test_layers.hpp"

namespace accsim {
namespace {

TEST(StcMmaIssue, HandCounts) {
  // One warp per sub-partition, 64 mmas of 8 cycles each: 512 cycles.
  EXPECT_EQ(step_mma_issue({{0, 64}, {1, 64}, {2, 64}, {3, 64}}, 4, 8.0), 512u);
  // Two warps on sub-partition 0 share its tensor core: 128 x 8 = 1024; the others finish earlier.
  EXPECT_EQ(step_mma_issue({{0, 64}, {1, 64}, {2, 64}, {3, 64}, {4, 64}}, 4, 8.0), 1024u);
  // A warpgroup's 128 mmas spread over 4 tensor cores: 32 x 16 = 512.
  EXPECT_EQ(step_mma_issue({{-1, 128}}, 4, 16.0), 512u);
  // A tensor core that takes 2.5 cycles per mma: 3 back-to-back mmas end at 7.5 -> cycle 8.
  EXPECT_EQ(step_mma_issue({{0, 3}}, 4, 2.5), 8u);
  EXPECT_EQ(step_mma_issue({}, 4, 8.0), 0u);
}

Layer gemm(int64_t m, int64_t n, int64_t k, const std::string& dtype) {
  return stc_test::gemm_layer(OpKind::Gemm, m, n, k, 1, dtype);
}

TEST(StcMmaIssue, SteppedEqualsEventFormulaOnEveryWave) {
  StcConfig a100;
  a100.fma_per_clk = {{"fp16", 256}, {"int8", 512}, {"tf32", 128}};
  a100.split_k_max = 16;
  StcConfig h100 = a100;  // Hopper-style warpgroup tiles
  h100.fma_per_clk = {{"fp16", 512}, {"int8", 1024}, {"tf32", 256}};
  h100.tile_n = 256, h100.warp_n = 256, h100.tile_k_bytes = 128, h100.warpgroup = true, h100.max_ctas_per_sm = 1;
  h100.smem_kb = 227;
  for (const StcConfig* c : {&a100, &h100})
    for (const char* dt : {"fp16", "int8", "tf32"})
      for (bool sparse : {false, true})
        for (auto [m, n, k] : {std::array<int64_t, 3>{4096, 4096, 4096}, {100, 300, 1000}, {3072, 1280, 768}, {8, 768, 768}}) {
          const Layer l = gemm(m, n, k, dt);
          const NmFormat f = sparse ? nvidia_nm_format(l.weights.dtype) : NmFormat{};
          const GemmPlan p = plan_gemm(*c, l, lower_to_gemm(l), sparse, f);
          for (const WavePlan& w : p.waves)
            for (const SmStep* s : {&w.full, &w.last})
              EXPECT_EQ(step_mma_issue(s->warps, 4, p.cycles_per_mma), s->math_cycles)
                  << dt << (sparse ? " sparse " : " dense ") << m << "x" << n << "x" << k;
        }
}

}  // namespace
}  // namespace accsim
