// Peak tensor-core throughput of the shipped A100 and H100 configs equals NVIDIA's published
// dense / 2:4-sparse peaks. The peaks are computed from what the model reports for a layer
// (physical multipliers per clock = SMs x tensor cores x FMA/clk, the sparse factor M/N from its
// effectual MACs, and the clock), never typed in; only the published figures are.
//
// Published figures: A100 SXM4 (NVIDIA A100 whitepaper, Table 1 / the domain brief): FP16 312/624
// TFLOPS, TF32 156/312, INT8 624/1248 TOPS, INT4 1248/2496. H100 SXM5 (NVIDIA H100 whitepaper /
// Hopper in-depth blog): FP16 989.4/1978.9 TFLOPS, FP8 1978.9/3957.8. Published values are rounded
// (312 stands for 108 x 4 x 256 x 2 x 1.41 GHz = 311.87), so the tolerance is 0.1%.
#include <gtest/gtest.h>

#include <string>

#include "sim/hw/accelerator.hpp"
#include "sim/workload/trace.hpp"

namespace accsim {
namespace {

struct Peaks {
  double dense_tops, sparse_tops, achieved_dense, achieved_sparse;
};

Peaks model_peaks(const std::string& arch, const std::string& dtype, const std::string& prune) {
  RunRequest req;
  req.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/" + arch;
  const std::string shape = "gemm:m=2048,n=2048,k=2048,dtype=" + dtype;
  req.workload = load_workload(shape);
  req.workload.layers.push_back(load_workload(shape + ",prune=" + prune).layers.at(0));
  const RunOutput out = simulate(req);
  const auto& dense = out.result.layers.at(0);
  const auto& sparse = out.result.layers.at(1);
  const double hz = out.result.clock_hz;
  Peaks p;
  p.dense_tops = dense.peak_macs_per_cycle * 2.0 * hz / 1e12;
  // The sparse core does M/N dense-equivalent MACs per physical multiply.
  const double sparse_factor = static_cast<double>(sparse.macs) / static_cast<double>(sparse.effectual_macs);
  p.sparse_tops = sparse.peak_macs_per_cycle * sparse_factor * 2.0 * hz / 1e12;
  p.achieved_dense = dense.counters.at("throughput_tflops_dense_equiv");
  p.achieved_sparse = sparse.counters.at("throughput_tflops_dense_equiv");
  return p;
}

void expect_peaks(const std::string& arch, const std::string& dtype, const std::string& prune, double dense,
                  double sparse) {
  const Peaks p = model_peaks(arch, dtype, prune);
  EXPECT_NEAR(p.dense_tops, dense, dense * 1e-3) << arch << " " << dtype;
  EXPECT_NEAR(p.sparse_tops, sparse, sparse * 1e-3) << arch << " " << dtype;
  // Simulated throughput never exceeds the peak, and sparsity buys something on a 2048^3 GEMM.
  EXPECT_LT(p.achieved_dense, p.dense_tops);
  EXPECT_LT(p.achieved_sparse, p.sparse_tops);
  EXPECT_GT(p.achieved_sparse, p.achieved_dense);
}

TEST(StcPeak, A100Fp16) { expect_peaks("a100.yaml", "fp16", "nm:2:4", 312, 624); }
TEST(StcPeak, A100Bf16) { expect_peaks("a100.yaml", "bf16", "nm:2:4", 312, 624); }
TEST(StcPeak, A100Tf32) { expect_peaks("a100.yaml", "tf32", "nm:1:2", 156, 312); }
TEST(StcPeak, A100Int8) { expect_peaks("a100.yaml", "int8", "nm:2:4", 624, 1248); }
TEST(StcPeak, A100Int4) { expect_peaks("a100.yaml", "int4", "nm:4:8", 1248, 2496); }
TEST(StcPeak, H100Fp16) { expect_peaks("h100.yaml", "fp16", "nm:2:4", 989.4, 1978.9); }
TEST(StcPeak, H100Fp8) { expect_peaks("h100.yaml", "fp8_e4m3", "nm:2:4", 1978.9, 3957.8); }
TEST(StcPeak, H100Tf32) { expect_peaks("h100.yaml", "tf32", "nm:1:2", 494.7, 989.4); }

}  // namespace
}  // namespace accsim
