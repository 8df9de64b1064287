// Whole simulations of the bank-balanced PE array (compute.kind bbs) on small layers whose cycle
// counts are derived by hand beside each test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "sim/core/error.hpp"
#include "sim/hw/accelerator.hpp"
#include "sim/workload/trace.hpp"
#include "sim/workload/weight_mask.hpp"

namespace accsim {
namespace {

// 4 PEs x 4 banks; depth = vector read 1 + multiplier 1 + adder tree log2(4) = 2 + accumulate 1 = 5.
const std::vector<std::string> kSmall = {"compute.pes=4", "compute.banks=4", "compute.multiplier_latency=1",
                                         "compute.vector_read_latency=1"};
constexpr uint64_t kDepth = 5;

RunOutput run(const std::string& workload, std::vector<std::string> extra = {}) {
  RunRequest req;
  req.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/bbs-fpga19.yaml";
  req.overrides = kSmall;
  req.overrides.insert(req.overrides.end(), extra.begin(), extra.end());
  req.workload = load_workload(workload);
  return simulate(req);
}

std::string write_trace(const std::string& name, const std::string& text) {
  // The pid keeps concurrent test runs (other worktrees, ctest -j) from sharing a file.
  const auto path = std::filesystem::temp_directory_path() /
                    ("accsim_bbs_" + name + "_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  return path.string();
}

TEST(BbsBlock, BankBalancedSpmvCycles) {
  // 8 x 16 weights, banks of 4, 50% sparse: 2 nonzeros per bank -> 2 slots per row.
  // 8 rows on 4 PEs = 2 groups x 2 cycles = 4 cycles, + depth 5 = 9 compute cycles.
  const RunOutput out = run("gemm:m=1,n=8,k=16,dtype=int16,prune=bank:4:0.5");
  const LayerResult& r = out.result.layers.at(0);
  EXPECT_EQ(r.compute_cycles, 4 + kDepth);
  EXPECT_EQ(r.effectual_macs, 64u);  // 8 x 16 x 0.5
  EXPECT_EQ(r.macs, 128u);
  EXPECT_EQ(r.counters.at("conflict_stall_pe_cycles"), 0);
  EXPECT_EQ(r.counters.at("imbalance_idle_pe_cycles"), 0);
  EXPECT_EQ(r.figures.at("bank_balanced"), 1);
  EXPECT_DOUBLE_EQ(r.peak_macs_per_cycle, 16.0);
  EXPECT_GE(r.cycles, r.compute_cycles);
  // bbs-fpga19 preloads weights that fit: DRAM reads are the 16 inputs x 2 B only.
  EXPECT_EQ(r.figures.at("weights_preloaded"), 1);
  EXPECT_EQ(r.dram_read_bytes, 32u);
}

TEST(BbsBlock, WeightsThatDoNotFitStreamFromDramInChunks) {
  // Same layer as above. CSB entry = 16-bit value + 2-bit index (banks of 4) = 18 bits; a row is
  // 2 slots x 4 entries x 18 bits = 18 bytes; 8 rows = 144 bytes. A 0.1 KiB (102.4 B) weight buffer
  // cannot hold them, so they stream; a double-buffered slot holds 51.2 B, less than one group of
  // 4 rows (72 B), so each group is its own chunk: 2 chunks. DRAM reads = 144 B of weights + 16
  // inputs x 2 B = 176 B. Compute is unchanged: 2 x 2 cycles + depth 5 = 9.
  const RunOutput out = run("gemm:m=1,n=8,k=16,dtype=int16,prune=bank:4:0.5",
                            {"compute.buffers.weights.size_kb=0.1"});
  const LayerResult& r = out.result.layers.at(0);
  EXPECT_EQ(r.figures.at("weights_resident"), 0);
  EXPECT_EQ(r.figures.at("weight_chunks"), 2);
  EXPECT_EQ(r.counters.at("csb_bytes"), 144);
  EXPECT_EQ(r.dram_read_bytes, 176u);
  EXPECT_EQ(r.dram_write_bytes, 16u);  // 8 outputs x 2 B
  EXPECT_EQ(r.compute_cycles, 4 + kDepth);
}

TEST(BbsBlock, UnstructuredRejectedByDefaultNamingTheLayer) {
  try {
    run("gemm:m=1,n=8,k=64,dtype=int16,prune=unstructured:0.75");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("gemm"), std::string::npos) << msg;
    EXPECT_NE(msg.find("not bank-balanced for 4 banks"), std::string::npos) << msg;
    EXPECT_NE(msg.find("on_unbalanced"), std::string::npos) << msg;
  }
}

TEST(BbsBlock, UnstructuredRunsWithConflictsFromTheRealMask) {
  const std::string spec = "gemm:m=1,n=16,k=64,dtype=int16,prune=unstructured:0.75";
  const RunOutput out = run(spec, {"compute.on_unbalanced=run"});
  const LayerResult& r = out.result.layers.at(0);
  // Recompute the rules directly from the mask: row cycles = fullest of 4 banks of 16 columns,
  // ideal = ceil(nnz/4); a group of 4 rows lasts as long as its slowest row.
  const Workload w = load_workload(spec);
  const auto mask = weight_mask(w.layers[0]);
  uint64_t array = 0, conflicts = 0, idle = 0, nnz_total = 0;
  for (int64_t g = 0; g < 16; g += 4) {
    uint64_t longest = 0, sum = 0;
    for (int64_t row = g; row < g + 4; ++row) {
      uint64_t fullest = 0, nnz = 0;
      for (int64_t b = 0; b < 4; ++b) {
        uint64_t n = 0;
        for (int64_t c = b * 16; c < b * 16 + 16; ++c) n += mask->at(row, c);
        fullest = std::max(fullest, n);
        nnz += n;
      }
      conflicts += fullest - (nnz + 3) / 4;
      longest = std::max(longest, fullest);
      sum += fullest;
      nnz_total += nnz;
    }
    array += longest;
    idle += 4 * longest - sum;
  }
  EXPECT_EQ(r.compute_cycles, array + kDepth);
  EXPECT_EQ(r.counters.at("conflict_stall_pe_cycles"), static_cast<double>(conflicts));
  EXPECT_EQ(r.counters.at("imbalance_idle_pe_cycles"), static_cast<double>(idle));
  EXPECT_EQ(r.effectual_macs, nnz_total);
  EXPECT_EQ(nnz_total, 256u);  // 25% of 16 x 64
  EXPECT_GT(conflicts, 0u);    // a random 25% mask is not balanced over 16-wide banks
  EXPECT_EQ(r.figures.at("bank_balanced"), 0);
}

TEST(BbsBlock, LstmStepsWaitForTheWriteBack) {
  // input 12 + hidden 4 = 16 columns, 4 gates x 4 = 16 rows; banks of 4 at 50%: 2 slots per row.
  // Per step: 16 rows / 4 PEs = 4 groups x 2 = 8 cycles, + depth 5, + write-back of h (4 elements
  // into 4 banks: 1 cycle) = 14; 3 steps = 42 compute cycles.
  const std::string path = write_trace("lstm", R"(format: accsim-trace
version: 1
defaults: {weights: {dtype: int16}, activations: {dtype: int16}, outputs: {dtype: int16}}
layers:
  - {name: cell, op: lstm, input_size: 12, hidden_size: 4, steps: 3,
     weights: {compression: {pattern: bank, sparsity: 0.5, bank_size: 4}}}
)");
  const RunOutput out = run(path);
  std::filesystem::remove(path);
  const LayerResult& r = out.result.layers.at(0);
  EXPECT_EQ(r.compute_cycles, 42u);
  // Steps 2 and 3 may not even load until h_{t-1} is stored: at least two DRAM round trips
  // (latency 100 ns = 20 cycles at 200 MHz) are exposed on top of compute.
  EXPECT_GE(r.cycles, r.compute_cycles + 2 * 20);
  EXPECT_EQ(r.effectual_macs, 3u * 16 * 8);
}

TEST(BbsBlock, ConvolutionRunsAsSpmmThroughIm2col) {
  // 4 x 6 x 6 input, 8 filters 3 x 3: 16 output pixels (vectors), rows 8, columns 36 = 4 banks of 9.
  // 2/3 sparse: 3 of 9 per bank -> 3 slots per row; 8 rows / 4 PEs = 2 groups x 3 = 6 cycles per
  // vector; all 16 vectors fit one tile: 16 x 6 + depth 5 = 101 compute cycles.
  const std::string path = write_trace("conv", R"(format: accsim-trace
version: 1
defaults: {weights: {dtype: int16}, activations: {dtype: int16}, outputs: {dtype: int16}}
layers:
  - {name: conv, op: conv2d, in_channels: 4, in_h: 6, in_w: 6, out_channels: 8, kernel: 3,
     weights: {compression: {pattern: bank, sparsity: 0.6666667, bank_size: 9}}}
)");
  const RunOutput out = run(path);
  std::filesystem::remove(path);
  const LayerResult& r = out.result.layers.at(0);
  EXPECT_EQ(r.compute_cycles, 101u);
  EXPECT_EQ(r.effectual_macs, 16u * 8 * 12);
}

}  // namespace
}  // namespace accsim
