// sim.mode=cycle (fold time stepped on the PE grid) and sim.mode=event (fold time from the
// equations) must give identical whole-run cycle counts, for every dataflow.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/common/accsim_process.hpp"

namespace accsim {
namespace {

nlohmann::json run_json(const std::string& args) {
  const test::ProcessResult r = test::run_accsim("run --format json " + args, true);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return nlohmann::json::parse(r.out);
}

// Returns the event-mode run.
nlohmann::json expect_modes_agree(const std::string& workload, const std::string& df, const std::string& extra = "") {
  // An 8x6 array so every layer needs several (partial) folds; finite DRAM bandwidth so stalls
  // appear too (they must not depend on the mode either).
  const std::string base = "--arch configs/arch/systolic-32x32.yaml --workload " + workload +
                           " --set compute.rows=8 --set compute.cols=6 --set compute.dataflow=" + df + " " + extra;
  const nlohmann::json event = run_json(base + " --set sim.mode=event");
  const nlohmann::json cycle = run_json(base + " --set sim.mode=cycle");
  EXPECT_EQ(event["layers"].size(), cycle["layers"].size());
  if (event["layers"].size() != cycle["layers"].size()) return event;
  for (size_t i = 0; i < event["layers"].size(); ++i) {
    const auto& e = event["layers"][i];
    const auto& c = cycle["layers"][i];
    EXPECT_EQ(e["cycles"], c["cycles"]) << df << " layer " << e["name"];
    EXPECT_EQ(e["compute_cycles"], c["compute_cycles"]) << df << " layer " << e["name"];
    EXPECT_EQ(e["stall_cycles"], c["stall_cycles"]) << df << " layer " << e["name"];
  }
  EXPECT_EQ(event["total"]["cycles"], cycle["total"]["cycles"]) << df;
  EXPECT_GT(event["total"]["cycles"].get<uint64_t>(), 0u);
  return event;
}

TEST(SimMode, CycleEqualsEventOnGemmOutputStationary) { expect_modes_agree("gemm:m=20,n=13,k=17", "os"); }
TEST(SimMode, CycleEqualsEventOnGemmWeightStationary) { expect_modes_agree("gemm:m=20,n=13,k=17", "ws"); }
TEST(SimMode, CycleEqualsEventOnGemmInputStationary) { expect_modes_agree("gemm:m=20,n=13,k=17", "is"); }
TEST(SimMode, CycleEqualsEventOnSmallNetworkAllDataflows) {
  for (const char* df : {"os", "ws", "is"}) expect_modes_agree("tests/data/small_net.yaml", df);
}

TEST(SimMode, CycleEqualsEventWithTemporalChunks) {
  // 256 B of ofmap buffer and 1 GB/s: ws partial sums (M x 6 x 4 B = 480 B) and is ones (6 x N x 4 B
  // = 312 B) do not fit, so the layer runs in temporal chunks of two different lengths.
  const std::string sets =
      "--set compute.buffers.ofmap.size_kb=0.25 --set compute.buffers.ofmap.double_buffered=false "
      "--set dram.bandwidth_gb_s=1";
  for (const char* df : {"ws", "is"}) {
    const nlohmann::json event = expect_modes_agree("gemm:m=20,n=13,k=17", df, sets);
    EXPECT_GT(event["layers"][0]["figures"].value("temporal_chunks", 1.0), 1.0) << df;
  }
}

TEST(SimMode, GemmComputeCyclesMatchHandDerivation) {
  // os on 8x6: Sr = M = 20 -> 3 row folds, Sc = N = 13 -> 3 column folds; per fold
  // 8 + 6 + 17 - 2 = 29 cycles; 9 x 29 = 261 compute cycles.
  const nlohmann::json j = run_json("--arch configs/arch/systolic-32x32.yaml --workload gemm:m=20,n=13,k=17 "
                                    "--set compute.rows=8 --set compute.cols=6 --set sim.mode=cycle");
  EXPECT_EQ(j["total"]["compute_cycles"].get<uint64_t>(), 261u);
}

}  // namespace
}  // namespace accsim
