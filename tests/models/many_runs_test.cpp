// Many simulations in one process (sim/hw/sim_kernel.hpp): runs of different blocks interleaved
// in one process give exactly what `accsim run` gives in a process of its own, however many runs
// came before (simulated time keeps increasing between runs; every figure is a difference).
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "sim/app/output.hpp"
#include "sim/hw/accelerator.hpp"
#include "sim/workload/trace.hpp"
#include "tests/common/accsim_process.hpp"

namespace accsim {
namespace {

struct Case {
  std::string arch, workload;
};

const std::vector<Case> kCases = {
    {"configs/arch/systolic-32x32.yaml", "workloads/lstm.yaml"},
    {"configs/arch/a100.yaml", "gemm:m=512,n=512,k=512,dtype=fp16,prune=nm:2:4"},
    {"configs/arch/bbs-fpga19.yaml", "workloads/bbs/timit-lstm-frame.yaml"},
    {"configs/arch/bitfusion.yaml", "workloads/bitfusion/lenet5.yaml"},
    // The timing DRAM keeps clocks, refresh deadlines and background periods: they must count
    // from the run's start, not from the kernel's time 0 (validate's dram suite once drifted).
    {"configs/arch/systolic-32x32-timing.yaml", "gemm:m=1,n=2048,k=2048,dtype=int8"},
    {"configs/arch/eyeriss.yaml", "gemm:m=64,n=64,k=64,dtype=int16"},
};

std::string in_process(const Case& c) {
  RunRequest req;
  req.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/" + c.arch;
  const bool inline_spec = c.workload.find(':') != std::string::npos;
  req.workload = load_workload(inline_spec ? c.workload : std::string(ACCSIM_SOURCE_DIR) + "/" + c.workload);
  nlohmann::ordered_json j = summary_json(Simulation::run(req));
  // Paths are spelled differently; every figure must match.
  j["arch"].erase("file");
  j["workload"].erase("source");
  return j.dump(2);
}

std::string own_process(const Case& c) {
  const auto r = test::run_accsim("run --arch " + c.arch + " --workload " + c.workload + " --format json");
  EXPECT_EQ(r.exit_code, 0) << c.arch;
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(r.out);
  j["arch"].erase("file");
  j["workload"].erase("source");
  return j.dump(2);
}

TEST(ManyRuns, InterleavedRunsMatchSeparateProcesses) {
  std::vector<std::string> expected;
  for (const auto& c : kCases) expected.push_back(own_process(c));
  // Twice round, so every case also runs after every other.
  for (int round = 0; round < 2; ++round)
    for (size_t i = 0; i < kCases.size(); ++i) EXPECT_EQ(in_process(kCases[i]), expected[i]) << kCases[i].arch;
}

TEST(ManyRuns, ABadRunLeavesTheKernelUsable) {
  RunRequest bad;
  bad.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/systolic-32x32.yaml";
  bad.overrides = {"compute.rowz=4"};
  bad.workload = load_workload("gemm:m=8,n=8,k=8");
  try {
    simulate(bad);
    FAIL() << "unknown key accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("compute.rowz: unknown key"), std::string::npos) << e.what();
  }
  EXPECT_EQ(in_process(kCases[0]), own_process(kCases[0]));
}

}  // namespace
}  // namespace accsim
