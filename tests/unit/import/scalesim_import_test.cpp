// SCALE-Sim inputs: .cfg architecture files and topology CSVs (docs/scalesim.md).
#include <gtest/gtest.h>

#include "sim/import/scalesim_cfg.hpp"
#include "sim/hw/systolic/fold_model.hpp"
#include "sim/workload/trace.hpp"
#include "tests/unit/test_support.hpp"

namespace accsim {
namespace {

using test::input_error;
using test::write_temp;

const std::string kData = std::string(ACCSIM_SOURCE_DIR) + "/tests/data/";

std::string cfg_with(const std::string& arch_lines, const std::string& run_presets = "InterfaceBandwidth: CALC\n") {
  return "[general]\nrun_name = t\n\n[architecture_presets]\n" + arch_lines + "\n[run_presets]\n" + run_presets;
}

const std::string kArchLines =
    "ArrayHeight: 8\nArrayWidth: 16\nIfmapSramSzkB: 32\nFilterSramSzkB: 64\nOfmapSramSzkB: 16\n"
    "IfmapOffset: 0\nFilterOffset: 10000000\nOfmapOffset: 20000000\nDataflow : ws\nBandwidth : 10\nMemoryBanks: 1\n";

TEST(ScaleSimCfg, FixtureMapsOntoTheArchitectureTree) {
  const YAML::Node a = scalesim_cfg_to_arch(kData + "scalesim_32x32_os.cfg");
  EXPECT_EQ(a["name"].as<std::string>(), "scalesim_32x32_os");
  EXPECT_EQ(a["compute"]["kind"].as<std::string>(), "systolic");
  EXPECT_EQ(a["compute"]["rows"].as<int64_t>(), 32);
  EXPECT_EQ(a["compute"]["cols"].as<int64_t>(), 32);
  EXPECT_EQ(a["compute"]["dataflow"].as<std::string>(), "os");
  EXPECT_EQ(a["compute"]["buffers"]["ifmap"]["size_kb"].as<double>(), 64.0);
  EXPECT_EQ(a["dram"]["bandwidth_gb_s"].as<double>(), 0.0);  // CALC: unlimited
  EXPECT_EQ(a["mac"]["format"].as<std::string>(), "int8");
}

TEST(ScaleSimCfg, KeysAreCaseInsensitiveAndUserBandwidthIsRead) {
  const std::string path = write_temp("u.cfg", cfg_with(kArchLines, "interfacebandwidth = USER\n"));
  const YAML::Node a = scalesim_cfg_to_arch(path);
  EXPECT_EQ(a["compute"]["rows"].as<int64_t>(), 8);
  EXPECT_EQ(a["compute"]["cols"].as<int64_t>(), 16);
  EXPECT_EQ(a["compute"]["dataflow"].as<std::string>(), "ws");
  EXPECT_EQ(a["compute"]["buffers"]["filter"]["size_kb"].as<double>(), 64.0);
  // 10 one-byte words per cycle at the import's 1 GHz clock = 10 GB/s.
  EXPECT_EQ(a["dram"]["bandwidth_gb_s"].as<double>(), 10.0);
}

TEST(ScaleSimCfg, NewerLayoutKeysAreAccepted) {
  const std::string path = write_temp("n.cfg", cfg_with(kArchLines + "OnChipMemoryBanks: 1\n",
                                                        "InterfaceBandwidth: CALC\nUseRamulatorTrace: False\n") +
                                                   "ReadRequestBuffer: 32\n\n[sparsity]\nSparsitySupport: false\n");
  EXPECT_EQ(scalesim_cfg_to_arch(path)["compute"]["rows"].as<int64_t>(), 8);
}

TEST(ScaleSimCfgErrors, UnknownKeyNamesLineAndSection) {
  const std::string path = write_temp("e.cfg", cfg_with(kArchLines + "ArrayDepth: 4\n"));
  // [general] 2 lines + blank + header = 4, then 11 preset lines: ArrayDepth is line 16.
  EXPECT_EQ(input_error([&] { scalesim_cfg_to_arch(path); }),
            path + ":16: architecture_presets.arraydepth: unknown SCALE-Sim key");
}

TEST(ScaleSimCfgErrors, BadValues) {
  auto err = [](const std::string& name, const std::string& text) {
    const std::string path = write_temp(name, text);
    return input_error([&] { scalesim_cfg_to_arch(path); });
  };
  std::string lines = kArchLines;
  EXPECT_ERROR_HAS(err("df.cfg", cfg_with(std::string(lines).replace(lines.find("ws"), 2, "xs"))),
                   "df.cfg:13: dataflow: must be os, ws or is");
  EXPECT_ERROR_HAS(err("h0.cfg", cfg_with(std::string(lines).replace(lines.find("ArrayHeight: 8"), 14, "ArrayHeight: 0"))),
                   "h0.cfg:5: arrayheight: expected a positive number, got '0'");
  EXPECT_ERROR_HAS(err("hf.cfg", cfg_with(std::string(lines).replace(lines.find("ArrayHeight: 8"), 14, "ArrayHeight: 8.5"))),
                   "hf.cfg:5: arrayheight: expected a whole number, got '8.5'");
  EXPECT_ERROR_HAS(err("miss.cfg", cfg_with(std::string(lines).replace(lines.find("ArrayWidth: 16\n"), 15, ""))),
                   "miss.cfg: arraywidth: required SCALE-Sim key is missing");
  EXPECT_ERROR_HAS(err("mode.cfg", cfg_with(lines, "InterfaceBandwidth: FAST\n")), "interfacebandwidth: must be USER or CALC");
  EXPECT_ERROR_HAS(err("sec.cfg", "[general\nrun_name = x\n"), "sec.cfg:1: malformed section header");
  EXPECT_ERROR_HAS(err("kv.cfg", "[general]\nrun_name\n"), "kv.cfg:2: expected 'key: value'");
  EXPECT_EQ(input_error([] { scalesim_cfg_to_arch("/nonexistent/x.cfg"); }), "/nonexistent/x.cfg: cannot open file");
}

TEST(ScaleSimTopology, ConvRowReproducesScaleSimOutputSize) {
  // Conv1 of SCALE-Sim's Resnet50.csv: 224x224x3, 7x7, 64 filters, stride 2, no padding field.
  // SCALE-Sim: ofmap = ceil((224 - 7 + 2) / 2) = 110, so M = 12100, K = 7*7*3 = 147, N = 64.
  const Workload w = load_workload(kData + "resnet50_conv1.csv");
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].name, "Conv1");
  const GemmShape g = lower_to_gemm(w.layers[0]);
  EXPECT_EQ(g.m, 12100);
  EXPECT_EQ(g.n, 64);
  EXPECT_EQ(g.k, 147);
  EXPECT_EQ(w.layers[0].weights.dtype.name, "int8");
}

TEST(ScaleSimTopology, OutputSizeForEveryStrideRemainder) {
  // ceil((H - F + S) / S) for cases where (H - F) mod S is 0, 1, 2 and 3; the last needs padding
  // 1 < S: H=6, F=1, S=4 -> ceil(9/4) = 3.
  struct Case { int h, f, s, out; };
  for (const Case c : {Case{227, 11, 4, 55}, Case{8, 3, 2, 4}, Case{7, 3, 2, 3}, Case{6, 1, 4, 3}, Case{9, 2, 4, 3}}) {
    const std::string csv = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
                            "L," + std::to_string(c.h) + "," + std::to_string(c.h) + "," + std::to_string(c.f) + "," +
                            std::to_string(c.f) + ",1,1," + std::to_string(c.s) + ",\n";
    const Layer l = load_workload(write_temp("s.csv", csv)).layers[0];
    EXPECT_EQ(l.out_h(), c.out) << "H=" << c.h << " F=" << c.f << " S=" << c.s;
    EXPECT_EQ(l.out_w(), c.out);
  }
}

TEST(ScaleSimTopology, ScaleSimsOwnFileLayoutAndDepthwise) {
  // SCALE-Sim's shipped Resnet50.csv has an all-empty second row and extra columns.
  const std::string csv =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,,,Eh,Ew,e2\n"
      ",,,,,,,,,,,,\n"
      "Conv1,224,224,7,7,3,64,2,,,110,110,12100\n"
      "DP1,112,112,3,3,32,1,1,\n";
  const Workload w = load_workload(write_temp("r.csv", csv));
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(lower_to_gemm(w.layers[0]).m, 12100);
  // A 'DP' row: SCALE-Sim runs 32 one-channel convs of 1 filter; accsim: groups = 32.
  const GemmShape dp = lower_to_gemm(w.layers[1]);
  EXPECT_EQ(dp.instances, 32);
  EXPECT_EQ(dp.k, 9);
  EXPECT_EQ(dp.n, 1);
  EXPECT_EQ(dp.m, 110 * 110);  // ceil((112 - 3 + 1) / 1) = 110
}

TEST(ScaleSimTopology, GemmForm) {
  const Workload w = load_workload(kData + "gemm_mnk.csv");
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(w.layers[1].name, "g10");
  EXPECT_EQ(w.layers[1].m, 10);
  EXPECT_EQ(w.layers[1].n, 5);
  EXPECT_EQ(w.layers[1].k, 7);
}

TEST(ScaleSimTopologyErrors, CellsNameLineAndColumn) {
  const std::string head = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
  auto err = [](const std::string& text) { return input_error([&] { load_workload(write_temp("e.csv", text)); }); };
  EXPECT_ERROR_HAS(err(head + "A,8,8,3,3,1,1,1,\nB,8,8,3,3,1,x,1,\n"), "e.csv:3: Num Filter: expected a positive integer, got 'x'");
  EXPECT_ERROR_HAS(err(head + "A,8,8,3,3,1,1,0,\n"), "e.csv:2: Strides: expected a positive integer, got '0'");
  EXPECT_ERROR_HAS(err(head + "A,8,8,3,3,\n"), "e.csv:2: expected 8 columns");
  EXPECT_ERROR_HAS(err(head + "A,2,2,3,3,1,1,1,\n"), "e.csv:2: filter larger than the IFMAP");
  EXPECT_ERROR_HAS(err(head), "e.csv: no layers in topology file");
  EXPECT_ERROR_HAS(err("Layer, M, N, K,\nq,4,4,\n"), "e.csv:2: expected Layer, M, N, K");
  EXPECT_ERROR_HAS(err("Layer, M, N, K,\nq,4,-4,4,\n"), "e.csv:2: N: expected a positive integer, got '-4'");
  EXPECT_EQ(input_error([] { load_workload("/nonexistent/t.csv"); }), "/nonexistent/t.csv: cannot open file");
}

}  // namespace
}  // namespace accsim
