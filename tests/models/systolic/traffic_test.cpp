// Whole-layer traffic and timing of the systolic block in a bandwidth-bound case worked by hand
// (docs/models/systolic.md §4).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/common/accsim_process.hpp"

namespace accsim {
namespace {

nlohmann::json run_gemm(const std::string& gemm, const std::string& sets) {
  const test::ProcessResult r =
      test::run_accsim("run --format json --arch configs/arch/systolic-32x32.yaml --workload " + gemm + " " + sets, true);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return nlohmann::json::parse(r.out)["layers"][0];
}

nlohmann::json run_layer(const std::string& sets) { return run_gemm("gemm:m=64,n=64,k=64", sets); }

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

TEST(SystolicTraffic, TinyIfmapBufferRefetchesRows) {
  // The A-resident rule: a row slice of A comes back at every column fold, after the other row
  // slices, so it stays only if all of A (4096 B) fits. A 2 KiB ifmap buffer holds 1 KiB per half:
  // both row slices are fetched at both column folds, 4 x 2048 B; B stays 2 x 2048 B.
  const nlohmann::json l = run_layer("--set dram.bandwidth_gb_s=0 --set compute.buffers.ifmap.size_kb=2");
  EXPECT_EQ(l["dram_read_bytes"].get<uint64_t>(), 8192u + 4096u);
  EXPECT_EQ(l["compute_cycles"].get<uint64_t>(), 504u);
}

// A 4x4 array whose ofmap buffer holds 128 B (single buffered), DRAM at 1 B per cycle, latency 0.
const char* kSmallArray =
    "--set compute.rows=4 --set compute.cols=4 --set compute.buffers.ofmap.size_kb=0.125 "
    "--set compute.buffers.ofmap.double_buffered=false --set dram.latency_ns=0 ";

void expect_chunked_small_case(const nlohmann::json& l) {
  // Worked in tests/unit/hw/systolic/traffic_plan_test.cpp: the 160 B of partial sums do not fit
  // 128 B, so the temporal dimension (10) is cut into chunks of 8 and 2 steps, each run over both
  // row folds: 2 x (8+4+8-2) + 2 x (8+4+2-2) = 60 compute cycles; tiles load 48, 48, 8, 8 B and
  // store 0, 32, 0, 8 B. Through the pipeline (two slots, one channel at 1 B/cycle):
  //   loads 0-48 (tile 0) and 48-96 (tile 1); tile 0 computes 48-66;
  //   tile 2's load 96-104; tile 1 computes 96-114, stores 114-146;
  //   tile 3's load 146-154; tile 2 computes 114-126; tile 3 waits, computes 154-166, stores 166-174.
  EXPECT_EQ(l["compute_cycles"].get<uint64_t>(), 60u);
  EXPECT_EQ(l["dram_read_bytes"].get<uint64_t>(), 112u);
  EXPECT_EQ(l["dram_write_bytes"].get<uint64_t>(), 40u);
  EXPECT_EQ(l["cycles"].get<uint64_t>(), 174u);
  EXPECT_EQ(l["figures"]["temporal_chunks"].get<double>(), 2.0);
}

TEST(SystolicTraffic, WeightStationaryChunksMWhenPartialSumsWouldSpill) {
  // ws, M = 10 (time), N = 4 (columns), K = 8 (two row folds).
  expect_chunked_small_case(run_gemm("gemm:m=10,n=4,k=8",
                                     std::string(kSmallArray) + "--set compute.dataflow=ws --set dram.bandwidth_gb_s=1"));
}

TEST(SystolicTraffic, InputStationaryChunksNWhenPartialSumsWouldSpill) {
  // is, the mirror: M = 4 (columns), N = 10 (time), K = 8.
  expect_chunked_small_case(run_gemm("gemm:m=4,n=10,k=8",
                                     std::string(kSmallArray) + "--set compute.dataflow=is --set dram.bandwidth_gb_s=1"));
}

TEST(SystolicTraffic, UnlimitedBandwidthKeepsScaleSimSchedule) {
  // With unlimited bandwidth a spill costs no time: the whole-T schedule (2 folds x 20 = 40
  // cycles, SCALE-Sim's count) is kept and the partial sums go through DRAM: 160 B out and back.
  const nlohmann::json l = run_gemm("gemm:m=10,n=4,k=8",
                                    std::string(kSmallArray) + "--set compute.dataflow=ws --set dram.bandwidth_gb_s=0");
  EXPECT_EQ(l["compute_cycles"].get<uint64_t>(), 40u);
  EXPECT_EQ(l["cycles"].get<uint64_t>(), 40u);
  EXPECT_EQ(l["dram_read_bytes"].get<uint64_t>(), 80u + 32u + 160u);
  EXPECT_EQ(l["dram_write_bytes"].get<uint64_t>(), 160u + 40u);
  EXPECT_FALSE(l["figures"].contains("temporal_chunks"));
  EXPECT_EQ(l["figures"]["partial_sum_spill"].get<double>(), 1.0);
}

}  // namespace
}  // namespace accsim
