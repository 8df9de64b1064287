// The sparse_tensor_core block on the shipped A100 config: traffic, wave quantization, pipeline
// fill, format checks and the generalized N:M energy. Each TEST runs in its own process (one
// simulate() each); several layers share one simulation where a comparison needs them.
#include <gtest/gtest.h>

#include <string>

#include "sim/hw/accelerator.hpp"
#include "sim/workload/trace.hpp"

namespace accsim {
namespace {

RunOutput run(const std::vector<std::string>& specs, const std::vector<std::string>& overrides = {}) {
  RunRequest req;
  req.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/a100.yaml";
  req.overrides = overrides;
  for (const auto& s : specs) req.workload.layers.push_back(load_workload(s).layers.at(0));
  return simulate(req);
}

// The configured 128x128 tile with its split-K rule and no launch floor: the mechanisms below are
// worked out by hand for that one kernel (library selection is tested in tests/unit/hw/stc/kernel_select_test.cpp).
const std::vector<std::string> kFixedKernel = {"compute.kernels.library=fixed", "compute.kernels.launch_us=0"};

TEST(StcBlock, SparseWeightsMoveCompressedBytes) {
  // 1024^3 fp16: every operand panel fits the 40 MB L2, so HBM sees each operand once.
  // Dense: A 1024 x 1024 x 2 B = 2 MiB, W 2 MiB -> 4194304 B. Sparse: W at 56.25% (2:4 values +
  // 2-bit indices) = 1179648 B -> 3276800 B. C written once: 1024 x 1024 x 2 B = 2097152 B.
  const RunOutput out = run({"gemm:m=1024,n=1024,k=1024,dtype=fp16", "gemm:m=1024,n=1024,k=1024,dtype=fp16,prune=nm:2:4"});
  const auto& dense = out.result.layers.at(0);
  const auto& sparse = out.result.layers.at(1);
  EXPECT_DOUBLE_EQ(dense.counters.at("hbm_operand_read_bytes"), 4194304.0);
  EXPECT_DOUBLE_EQ(sparse.counters.at("hbm_operand_read_bytes"), 3276800.0);
  // The DRAM channel's own counters agree to within per-k-step rounding (< 1 B per step).
  EXPECT_NEAR(static_cast<double>(sparse.dram_read_bytes), 3276800.0, 64.0);
  EXPECT_EQ(dense.dram_write_bytes, 2097152u);
  EXPECT_EQ(sparse.dram_write_bytes, 2097152u);
  EXPECT_EQ(sparse.effectual_macs * 2, sparse.macs);
  EXPECT_GT(sparse.energy.total_pj(), 0.0);
  EXPECT_LT(sparse.cycles, dense.cycles);
}

TEST(StcBlock, WaveQuantizationShowsInCycles) {
  // 128x128 tiles, 2 CTAs per SM x 108 SMs = 216 CTAs per wave. 3072 x 1152 is 24 x 9 = 216 tiles:
  // one full wave. 3072 x 1280 is 240 tiles: 11% more work, but a second wave for 24 CTAs, each
  // alone on its SM (4 warps on 4 tensor cores: half the time of a full k-step). Expect ~1.5x at
  // one clock: without the board limit, which would lower the full wave's clock more (all SMs busy).
  std::vector<std::string> at_boost = kFixedKernel;
  at_boost.push_back("compute.power.board_limit_w=0");
  const RunOutput out = run({"gemm:m=3072,n=1152,k=4096,dtype=fp16", "gemm:m=3072,n=1280,k=4096,dtype=fp16"}, at_boost);
  const auto& one = out.result.layers.at(0);
  const auto& two = out.result.layers.at(1);
  EXPECT_DOUBLE_EQ(one.counters.at("waves"), 1.0);
  EXPECT_DOUBLE_EQ(two.counters.at("waves"), 2.0);
  const double ratio = static_cast<double>(two.cycles) / static_cast<double>(one.cycles);
  EXPECT_GT(ratio, 1.4);
  EXPECT_LT(ratio, 1.6);
  EXPECT_LT(two.utilization(), one.utilization());
}

TEST(StcBlock, PipelineFillCostsAtLeastTheMemoryLatency) {
  // 8 x 8 = 64 tiles: one wave, one CTA per SM, 8 k-steps of K=32. Before the first mma the
  // first stage must come from HBM (400 cycles, configs/arch/a100.yaml), so stalls exceed 400
  // cycles. Tensor-core work: each of the 4 warps (64x64) sits on its own tensor core and issues
  // 4 x 8 x 2 m16n8k16 mmas of 2048 MACs / 256 per clock = 8 cycles -> 512 cycles per k-step.
  const RunOutput out = run({"gemm:m=1024,n=1024,k=256,dtype=fp16"});
  const auto& l = out.result.layers.at(0);
  EXPECT_GE(l.stall_cycles, 400u);
  EXPECT_EQ(l.compute_cycles, 8u * 512u);
}

TEST(StcBlock, RejectsWeightsThatAreNotNm) {
  auto error = [](const std::string& w) {
    try {
      run({w});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error("gemm:m=256,n=256,k=256,dtype=fp16,prune=unstructured:0.5"),
            "--workload: gemm:m=256,n=256,k=256,dtype=fp16,prune=unstructured:0.5: layer 'gemm': the sparse tensor core "
            "runs dense or N:M weights; these are unstructured-sparse (not N:M); prune them to N:M (e.g. prune=nm:2:4) "
            "or give them dense");
  EXPECT_EQ(error("gemm:m=256,n=256,k=256,dtype=int4,prune=nm:2:4"),
            "--workload: gemm:m=256,n=256,k=256,dtype=int4,prune=nm:2:4: layer 'gemm': weights pruned 2:4 do not fit "
            "the sparse tensor core's 4:8 pairwise layout for int4 (prune=nm:4:8)");
  EXPECT_EQ(error("gemm:m=256,n=256,k=256,dtype=tf32,prune=nm:2:4"),
            "--workload: gemm:m=256,n=256,k=256,dtype=tf32,prune=nm:2:4: layer 'gemm': weights pruned 2:4 do not fit "
            "the sparse tensor core's 1:2 (tf32) layout for tf32 (prune=nm:1:2)");
  EXPECT_EQ(error("gemm:m=256,n=256,k=256,dtype=fp32"),
            "--workload: gemm:m=256,n=256,k=256,dtype=fp32: layer 'gemm': this GPU has no tensor-core path for fp32 "
            "(compute.fma_per_clk has no entry; trace the network with `accsim trace --quant fp16`, bf16, int8 or fp8_e4m3)");
}

TEST(StcBlock, GeneralizedNmScalesRateAndMuxEnergy) {
  // A hypothetical 1:8 core (mux width 8): 8x the dense-equivalent rate; each multiply's operand
  // passes an 8-input mux = 7 2:1 stages x 8 bits x 0.002 pJ (45nm) x 0.094 (7nm) = 0.010528 pJ.
  const RunOutput out = run({"gemm:m=4096,n=4096,k=4096,dtype=int8", "gemm:m=4096,n=4096,k=4096,dtype=int8,prune=nm:1:8"},
                            {"compute.sparsity.format=nm", "compute.sparsity.n=1", "compute.sparsity.m=8"});
  const auto& dense = out.result.layers.at(0);
  const auto& sparse = out.result.layers.at(1);
  EXPECT_EQ(sparse.effectual_macs * 8, sparse.macs);
  double mux = 0;
  for (const auto& [name, pj] : sparse.energy.items())
    if (name == "mux") mux = pj;
  // The 400 W limit lowers this layer's clock and, with it, the core voltage: every block-priced
  // action costs (V/V_boost)^2 = core_energy_scale of its table price.
  const auto v2 = sparse.figures.find("core_energy_scale");
  ASSERT_NE(v2, sparse.figures.end());
  EXPECT_NEAR(mux / static_cast<double>(sparse.effectual_macs), 7 * 8 * 0.002 * 0.094 * v2->second, 1e-9);
  // Faster than dense, but far from 8x: fetching 8x the activations per weight makes it
  // shared-memory bound.
  const double speedup = static_cast<double>(dense.cycles) / static_cast<double>(sparse.cycles);
  EXPECT_GT(speedup, 1.5);
  EXPECT_LT(speedup, 8.0);
}

}  // namespace
}  // namespace accsim

namespace accsim {
namespace {

TEST(StcBlock, SmallGemmSplitsKAndGainsLittleFromSparsity) {
  // BERT-base FFN at 128 tokens, int8: 1 x 6 tiles would leave 102 of 108 SMs idle, so K splits.
  // 3072 / 64 = 48 k-steps; the largest split <= 16 dividing 48 with >= 4 (stages) k-steps per CTA
  // is 12. Weights (768 x 3072 B = 2.25 MiB) dominate HBM traffic and 2:4 only cuts them to
  // 62.5%, so the sparse speedup is far below 2x.
  const RunOutput out =
      run({"gemm:m=128,n=768,k=3072,dtype=int8", "gemm:m=128,n=768,k=3072,dtype=int8,prune=nm:2:4"}, kFixedKernel);
  const auto& dense = out.result.layers.at(0);
  const auto& sparse = out.result.layers.at(1);
  EXPECT_DOUBLE_EQ(dense.counters.at("split_k"), 12.0);
  const double speedup = static_cast<double>(dense.cycles) / static_cast<double>(sparse.cycles);
  EXPECT_GT(speedup, 1.0);
  EXPECT_LT(speedup, 1.3);
}

}  // namespace
}  // namespace accsim

namespace accsim {
namespace {

TEST(StcBlock, ImplicitGemmConvReadsEachInputOnce) {
  // 3x3 conv, 256 -> 256 channels, 14 x 14, padding 1, fp16: M = 196, N = 256, K = 2304. im2col
  // would read 196 x 2304 x 2 B = 903,168 B of activations; implicit GEMM reads the input once:
  // 256 x 14 x 14 x 2 B = 100,352 B, plus the weights 256 x 2304 x 2 B = 1,179,648 B -> 1,280,000 B.
  const std::string trace = std::string(ACCSIM_SOURCE_DIR) + "/tests/models/data/stc_conv.yaml";
  RunRequest req;
  req.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/a100.yaml";
  req.workload = load_workload(trace);
  const RunOutput out = simulate(req);
  const auto& dense = out.result.layers.at(0);
  const auto& sparse = out.result.layers.at(1);
  EXPECT_NEAR(dense.counters.at("hbm_operand_read_bytes"), 1280000.0, 1.0);
  // 2:4 weights: 1,179,648 x 0.5625 = 663,552 B.
  EXPECT_NEAR(sparse.counters.at("hbm_operand_read_bytes"), 100352.0 + 663552.0, 1.0);
  EXPECT_LT(sparse.cycles, dense.cycles);
}

}  // namespace
}  // namespace accsim

namespace accsim {
namespace {

TEST(StcBlock, RepeatAndTotalsLeavePerLayerPropertiesAlone) {
  // The same 8192^3 fp16 GEMM once and folded three times (repeat: 3): counts triple, the clock,
  // throughput, power and tiling of the layer do not (a repeat is the same kernel run again).
  Layer once = load_workload("gemm:m=8192,n=8192,k=8192,dtype=fp16").layers.at(0);
  Layer thrice = once;
  thrice.repeat = 3;
  RunRequest req;
  req.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/a100.yaml";
  req.workload.layers = {once, thrice};
  const RunOutput b = simulate(req);
  const auto& one = b.result.layers.at(0).counters;
  const auto& three = b.result.layers.at(1).counters;
  for (const char* k : {"sustained_clock_mhz", "throughput_tflops_dense_equiv", "board_power_w", "ctas_per_sm", "stages", "wave_efficiency"})
    EXPECT_DOUBLE_EQ(three.at(k), one.at(k)) << k;
  EXPECT_DOUBLE_EQ(three.at("ctas"), 3 * one.at("ctas"));
  EXPECT_DOUBLE_EQ(three.at("mma_instructions"), 3 * one.at("mma_instructions"));
  // Totals: counts add up over the two layers (3 + 1 runs); properties are cycle-weighted means,
  // here of two equal values.
  const LayerResult t = b.result.total();
  EXPECT_DOUBLE_EQ(t.counters.at("ctas"), 4 * one.at("ctas"));
  EXPECT_NEAR(t.counters.at("sustained_clock_mhz"), one.at("sustained_clock_mhz"), 1e-9 * one.at("sustained_clock_mhz"));
  EXPECT_NEAR(t.counters.at("throughput_tflops_dense_equiv"), one.at("throughput_tflops_dense_equiv"), 1e-9 * 300);
}

}  // namespace
}  // namespace accsim
