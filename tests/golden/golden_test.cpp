// Golden whole runs: each case of tests/golden/cases.txt is run through the accsim executable and
// its JSON summary compared field by field with the reviewed output in tests/golden/data/. Any
// change in a model's numbers fails here with the list of fields that moved; if the change is
// intended, regenerate with scripts/update_golden.sh and explain it in the commit.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/common/accsim_process.hpp"

namespace accsim {
namespace {

struct GoldenCase {
  std::string name;
  std::string args;
};

// gtest prints parameters in test names and failures: show the case name, not raw bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::vector<GoldenCase> load_cases() {
  std::vector<GoldenCase> out;
  std::ifstream in(std::string(ACCSIM_SOURCE_DIR) + "/tests/golden/cases.txt");
  for (std::string line; std::getline(in, line);) {
    std::istringstream ss(line);
    GoldenCase c;
    if (!(ss >> c.name) || c.name[0] == '#') continue;
    std::getline(ss >> std::ws, c.args);
    out.push_back(c);
  }
  return out;
}

// Appends "path: expected X, got Y" for every differing leaf. Integers and strings must be equal;
// floating-point values agree to 1e-9 relative (the JSON writer prints them exactly, the margin
// only absorbs a different compiler's last-bit rounding).
void compare(const nlohmann::json& want, const nlohmann::json& got, const std::string& path,
             std::vector<std::string>& diffs) {
  if (want.is_object() && got.is_object()) {
    for (const auto& [k, v] : want.items()) {
      if (!got.contains(k)) diffs.push_back(path + "." + k + ": missing in this run");
      else compare(v, got[k], path + "." + k, diffs);
    }
    for (const auto& [k, v] : got.items())
      if (!want.contains(k)) diffs.push_back(path + "." + k + ": new field (not in the golden file)");
    return;
  }
  if (want.is_array() && got.is_array()) {
    if (want.size() != got.size()) {
      diffs.push_back(path + ": " + std::to_string(want.size()) + " entries expected, got " + std::to_string(got.size()));
      return;
    }
    for (size_t i = 0; i < want.size(); ++i) {
      // Name layers by their name where they have one, so the message points at the layer.
      std::string p = path + "[" + std::to_string(i) + "]";
      if (want[i].is_object() && want[i].contains("name")) p = path + "[" + want[i]["name"].get<std::string>() + "]";
      compare(want[i], got[i], p, diffs);
    }
    return;
  }
  if (want.is_number_float() || got.is_number_float()) {
    if (want.is_number() && got.is_number()) {
      const double a = want.get<double>(), b = got.get<double>();
      if (std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b))) return;
    }
  } else if (want == got) {
    return;
  }
  diffs.push_back(path + ": expected " + want.dump() + ", got " + got.dump());
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, MatchesReviewedOutput) {
  const GoldenCase& c = GetParam();
  const std::string golden_path = std::string(ACCSIM_SOURCE_DIR) + "/tests/golden/data/" + c.name + ".json";
  std::ifstream in(golden_path);
  ASSERT_TRUE(in) << "no golden file " << golden_path << " (create it with scripts/update_golden.sh)";
  const nlohmann::json want = nlohmann::json::parse(in);
  const test::ProcessResult r = test::run_accsim(c.args + " --format json", true);
  ASSERT_EQ(r.exit_code, 0) << "accsim " << c.args << "\n" << r.out;
  const nlohmann::json got = nlohmann::json::parse(r.out);
  std::vector<std::string> diffs;
  compare(want, got, c.name, diffs);
  std::string report;
  for (size_t i = 0; i < diffs.size() && i < 40; ++i) report += "  " + diffs[i] + "\n";
  if (diffs.size() > 40) report += "  ... and " + std::to_string(diffs.size() - 40) + " more\n";
  EXPECT_TRUE(diffs.empty()) << diffs.size() << " field(s) differ from " << golden_path << ":\n" << report
                             << "If the change is intended: scripts/update_golden.sh, then explain it in the commit.";
}

INSTANTIATE_TEST_SUITE_P(WholeRuns, Golden, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) { return info.param.name; });

// The golden files are anchored to hand-derived values where we have them (docs/models/systolic.md §3).
TEST(GoldenAnchors, ScaleSimCasesEqualHandDerivation) {
  auto total = [](const std::string& name) {
    std::ifstream in(std::string(ACCSIM_SOURCE_DIR) + "/tests/golden/data/" + name + ".json");
    return nlohmann::json::parse(in);
  };
  // 379 x 2 folds x (32 + 32 + 147 - 2) = 158422 (SCALE-Sim Total Cycles 158421 + 1).
  EXPECT_EQ(total("scalesim_conv1_os")["total"]["cycles"].get<uint64_t>(), 158422u);
  // 8x8 ws: 16^3 -> 2 x 2 folds x (16 + 8 + 16 - 2) = 152; M10 N5 K7 -> 1 fold x (16 + 8 + 10 - 2) = 32.
  const auto g = total("scalesim_gemm_8x8_ws");
  EXPECT_EQ(g["layers"][0]["cycles"].get<uint64_t>(), 152u);
  EXPECT_EQ(g["layers"][1]["cycles"].get<uint64_t>(), 32u);
  // ResNet-50 MACs, 4,089,184,256 (scripts/gen_workloads.py; published ~4.09e9).
  EXPECT_EQ(total("resnet50_os")["total"]["macs"].get<uint64_t>(), 4089184256u);
}

}  // namespace
}  // namespace accsim
