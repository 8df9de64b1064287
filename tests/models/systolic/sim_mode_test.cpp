// sim.mode=cycle (fold time stepped on the PE grid, fills issued in demand order with stall-on-
// miss) and sim.mode=event (fold time from the equations, each fold waiting for its whole fill)
// must give identical compute cycles for every dataflow; cycle mode's stalls can only be fewer
// (a fold starts before its fill is complete), and with unlimited bandwidth there are none in
// either, so the whole runs are identical.
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

// Returns the event-mode run. `equal`: the stalls must be equal too (unlimited bandwidth).
nlohmann::json expect_modes_agree(const std::string& workload, const std::string& df, const std::string& extra = "",
                                  bool equal = false) {
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
    EXPECT_EQ(e["compute_cycles"], c["compute_cycles"]) << df << " layer " << e["name"];
    EXPECT_LE(c["stall_cycles"].get<uint64_t>(), e["stall_cycles"].get<uint64_t>()) << df << " layer " << e["name"];
    if (equal) EXPECT_EQ(e["cycles"], c["cycles"]) << df << " layer " << e["name"];
  }
  if (equal) EXPECT_EQ(event["total"]["cycles"], cycle["total"]["cycles"]) << df;
  EXPECT_GT(cycle["total"]["counters"].value("demand_ordered_requests", 0.0), 0.0) << df;
  EXPECT_GT(event["total"]["cycles"].get<uint64_t>(), 0u);
  return event;
}

TEST(SimMode, CycleEqualsEventOnGemmOutputStationary) { expect_modes_agree("gemm:m=20,n=13,k=17", "os"); }
TEST(SimMode, CycleEqualsEventOnGemmWeightStationary) { expect_modes_agree("gemm:m=20,n=13,k=17", "ws"); }
TEST(SimMode, CycleEqualsEventOnGemmInputStationary) { expect_modes_agree("gemm:m=20,n=13,k=17", "is"); }
TEST(SimMode, CycleEqualsEventOnSmallNetworkAllDataflows) {
  for (const char* df : {"os", "ws", "is"}) expect_modes_agree("tests/data/small_net.yaml", df);
}

TEST(SimMode, UnlimitedBandwidthCycleEqualsEvent) {
  // No bandwidth limit: every request is there when issued, nothing stalls in either mode.
  for (const char* df : {"os", "ws", "is"}) {
    const nlohmann::json event = expect_modes_agree("tests/data/small_net.yaml", df, "--set dram.bandwidth_gb_s=0", true);
    EXPECT_EQ(event["total"]["stall_cycles"].get<uint64_t>(), 0u) << df;
  }
}

TEST(SimMode, DemandFillsStallLessThanWholeFills) {
  // 25.6 GB/s at 1 GHz: the small network's fills are exposed; cycle mode starts each fold on
  // its first bursts, so on some layer it must stall strictly less (and nowhere more).
  const std::string base = "--arch configs/arch/systolic-32x32.yaml --workload tests/data/small_net.yaml "
                           "--set compute.rows=8 --set compute.cols=6";
  const nlohmann::json event = run_json(base + " --set sim.mode=event");
  const nlohmann::json cycle = run_json(base + " --set sim.mode=cycle");
  EXPECT_EQ(event["total"]["compute_cycles"], cycle["total"]["compute_cycles"]);
  EXPECT_LT(cycle["total"]["stall_cycles"].get<uint64_t>(), event["total"]["stall_cycles"].get<uint64_t>());
}

TEST(SimMode, TimingDramDemandFillsStallNoMore) {
  // dram.kind=timing (LPDDR4-3200): each burst's own data clock from the FR-FCFS engine; the fold
  // waits only for the bursts it needs. Measured: os 1394 -> 175 stall cycles, ws 1183 -> 859.
  // Not asserted for is (867 -> 883): the controller serves the demand-ordered stream in another
  // order than the whole fill (the timing model is not monotone in the request order), which
  // there costs more than starting early saves (docs/models/dram.md).
  for (const char* df : {"os", "ws"}) {
    const std::string base = "--arch configs/arch/systolic-32x32-timing.yaml --workload gemm:m=64,n=48,k=200 "
                             "--set compute.rows=8 --set compute.cols=8 --set compute.dataflow=" + std::string(df);
    const nlohmann::json event = run_json(base + " --set sim.mode=event");
    const nlohmann::json cycle = run_json(base + " --set sim.mode=cycle");
    EXPECT_EQ(event["total"]["compute_cycles"], cycle["total"]["compute_cycles"]) << df;
    EXPECT_LT(cycle["total"]["stall_cycles"].get<uint64_t>(), event["total"]["stall_cycles"].get<uint64_t>()) << df;
    EXPECT_GT(event["total"]["stall_cycles"].get<uint64_t>(), 0u) << df;
  }
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
