// Whole-layer traffic and timing of the systolic block in a bandwidth-bound case worked by hand
// (docs/models/systolic.md §4).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/common/accsim_process.hpp"

namespace accsim {
namespace {

nlohmann::json run_layer(const std::string& sets) {
  const test::ProcessResult r = test::run_accsim(
      "run --format json --arch configs/arch/systolic-32x32.yaml --workload gemm:m=64,n=64,k=64 " + sets, true);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return nlohmann::json::parse(r.out)["layers"][0];
}

TEST(SystolicTraffic, BandwidthBoundGemmByHand) {
  // 64^3 int8 on 32x32 os: 2 x 2 folds of 32 + 32 + 64 - 2 = 126 cycles -> 504 compute cycles.
  // All of A (64x64 = 4096 B) and each B column slice (64x32 = 2048 B) fit half a 64 KiB buffer,
  // so A rows are fetched once (2 x 2048 B) and B columns once (2 x 2048 B): 8192 B read.
  // Each fold writes 32x32 = 1024 B of outputs: 4096 B written.
  // At 1 GB/s (1 byte per 1 GHz cycle), latency 0, the channel is never idle from the first load
  // to the last store (loads 4096, 2048; store; load 2048; three stores, in that order), so the
  // layer takes exactly (8192 + 4096) cycles = 12288, of which 12288 - 504 = 11784 are stalls.
  const nlohmann::json l = run_layer("--set dram.bandwidth_gb_s=1 --set dram.latency_ns=0");
  EXPECT_EQ(l["compute_cycles"].get<uint64_t>(), 504u);
  EXPECT_EQ(l["dram_read_bytes"].get<uint64_t>(), 8192u);
  EXPECT_EQ(l["dram_write_bytes"].get<uint64_t>(), 4096u);
  EXPECT_EQ(l["cycles"].get<uint64_t>(), 12288u);
  EXPECT_EQ(l["stall_cycles"].get<uint64_t>(), 11784u);
}

TEST(SystolicTraffic, UnlimitedBandwidthHasNoStalls) {
  // The same layer with unlimited bandwidth: cycles = compute cycles = 504; the bytes are the same.
  const nlohmann::json l = run_layer("--set dram.bandwidth_gb_s=0");
  EXPECT_EQ(l["cycles"].get<uint64_t>(), 504u);
  EXPECT_EQ(l["stall_cycles"].get<uint64_t>(), 0u);
  EXPECT_EQ(l["dram_read_bytes"].get<uint64_t>(), 8192u);
}

TEST(SystolicTraffic, TinyFilterBufferRefetchesColumns) {
  // A 2 KiB filter buffer holds 1 KiB per half: the 2048 B column slice no longer stays resident,
  // so it is fetched for both row folds: B traffic doubles to 4 x 2048 B; A stays 2 x 2048 B.
  const nlohmann::json l = run_layer("--set dram.bandwidth_gb_s=0 --set compute.buffers.filter.size_kb=2");
  EXPECT_EQ(l["dram_read_bytes"].get<uint64_t>(), 4096u + 8192u);
}

}  // namespace
}  // namespace accsim
