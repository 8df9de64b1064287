// ConfigNode: typed reads, defaults, and one-line errors naming file, line and key path.
#include <gtest/gtest.h>

#include "sim/core/config.hpp"
#include "tests/unit/test_support.hpp"

namespace accsim {
namespace {

using test::input_error;
using test::write_temp;

const char* kArch =
    "clock_mhz: 1000\n"           // line 1
    "compute:\n"                  // line 2
    "  rows: 16\n"                // line 3
    "  buffers:\n"                // line 4
    "    ifmap: {size_kb: 32}\n"; // line 5

// Reads the tree the way a component factory does: compute.rows, compute.cols and the ifmap buffer.
struct Read {
  double clock = 0;
  int64_t rows = 0, cols = 0;
  double ifmap_kb = 0;
};

Read read_arch(const std::string& path, const std::vector<std::string>& overrides = {}) {
  ConfigNode top = open_config(load_yaml_file(path), path, overrides);
  Read r;
  r.clock = top.get_positive("clock_mhz", 500.0, "MHz", "clock");
  ConfigNode compute = top.child("compute", "compute block");
  r.rows = compute.get_positive("rows", int64_t{32}, "PEs", "array height");
  r.cols = compute.get_positive("cols", int64_t{32}, "PEs", "array width");
  ConfigNode buffers = compute.child("buffers", "buffers");
  ConfigNode ifmap = buffers.child("ifmap", "ifmap buffer");
  r.ifmap_kb = ifmap.get_positive("size_kb", 64.0, "KiB", "capacity");
  ifmap.finish();
  buffers.finish();
  compute.finish();
  top.finish();
  return r;
}

TEST(Config, ReadsValuesAndFillsDefaults) {
  const std::string path = write_temp("arch.yaml", kArch);
  const Read r = read_arch(path);
  EXPECT_EQ(r.clock, 1000.0);
  EXPECT_EQ(r.rows, 16);
  EXPECT_EQ(r.cols, 32);  // default
  EXPECT_EQ(r.ifmap_kb, 32.0);
}

TEST(Config, ResolvedTreeHoldsEveryParameter) {
  const std::string path = write_temp("arch.yaml", kArch);
  ConfigNode top = open_config(load_yaml_file(path), path);
  ConfigNode compute = top.child("compute", "compute block");
  compute.get_positive("cols", int64_t{32}, "PEs", "array width");
  compute.get_positive("rows", int64_t{32}, "PEs", "array height");
  const YAML::Node resolved = top.tree()->resolved;
  EXPECT_EQ(resolved["compute"]["cols"].as<int64_t>(), 32);  // absent in the file: the default
  EXPECT_EQ(resolved["compute"]["rows"].as<int64_t>(), 16);
}

TEST(Config, SetOverridesAValue) {
  const std::string path = write_temp("arch.yaml", kArch);
  const Read r = read_arch(path, {"compute.rows=64", "compute.buffers.ifmap.size_kb=128"});
  EXPECT_EQ(r.rows, 64);
  EXPECT_EQ(r.ifmap_kb, 128.0);
}

TEST(Config, SetCreatesMissingMaps) {
  const std::string path = write_temp("arch.yaml", "clock_mhz: 1000\n");
  const Read r = read_arch(path, {"compute.cols=8"});
  EXPECT_EQ(r.cols, 8);
}

TEST(Config, UnknownTopLevelKeyNamesFileLineAndKey) {
  const std::string path = write_temp("arch.yaml", std::string(kArch) + "colour: blue\n");
  const std::string msg = input_error([&] { read_arch(path); });
  EXPECT_ERROR_HAS(msg, path + ":6: colour: unknown key");
}

TEST(Config, UnknownNestedKeyNamesFullPath) {
  const std::string path = write_temp("arch.yaml", "compute:\n  buffers:\n    ifmap: {sizekb: 32}\n");
  const std::string msg = input_error([&] { read_arch(path); });
  EXPECT_ERROR_HAS(msg, path + ":3: compute.buffers.ifmap.sizekb: unknown key");
}

TEST(Config, UnknownKeyViaSetNamesTheOverride) {
  const std::string path = write_temp("arch.yaml", kArch);
  const std::string msg = input_error([&] { read_arch(path, {"compute.rowz=3"}); });
  EXPECT_EQ(msg, "--set: compute.rowz: unknown key (see `accsim list` for the parameters of each component)");
}

TEST(Config, WrongTypeNamesValue) {
  const std::string path = write_temp("arch.yaml", "compute:\n  rows: sixteen\n");
  EXPECT_EQ(input_error([&] { read_arch(path); }), path + ":2: compute.rows: expected an integer, got 'sixteen'");
  const std::string list = write_temp("list.yaml", "compute:\n  rows: [1, 2]\n");
  EXPECT_ERROR_HAS(input_error([&] { read_arch(list); }), "compute.rows: expected an integer, got a list");
  const std::string frac = write_temp("frac.yaml", "compute:\n  rows: 3.5\n");
  EXPECT_ERROR_HAS(input_error([&] { read_arch(frac); }), "compute.rows: expected an integer, got '3.5'");
  const std::string map = write_temp("map.yaml", "compute: 4\n");
  EXPECT_ERROR_HAS(input_error([&] { read_arch(map); }), ":1: compute: expected a map");
}

TEST(Config, ZeroAndNegativeSizesAreErrors) {
  const std::string zero = write_temp("zero.yaml", "compute:\n  rows: 0\n");
  EXPECT_EQ(input_error([&] { read_arch(zero); }), zero + ":2: compute.rows: must be > 0 (got 0)");
  const std::string neg = write_temp("neg.yaml", "compute:\n  buffers:\n    ifmap: {size_kb: -4}\n");
  EXPECT_ERROR_HAS(input_error([&] { read_arch(neg); }), neg + ":3: compute.buffers.ifmap.size_kb: must be > 0");
  const std::string path = write_temp("arch.yaml", kArch);
  EXPECT_EQ(input_error([&] { read_arch(path, {"compute.cols=-3"}); }), "--set: compute.cols: must be > 0 (got -3)");
}

TEST(Config, MalformedYamlNamesLine) {
  // A tab where indentation is expected: yaml-cpp stops on line 3.
  const std::string path = write_temp("bad.yaml", "clock_mhz: 1000\ncompute:\n\trows: 4\n");
  const std::string msg = input_error([&] { load_yaml_file(path); });
  EXPECT_ERROR_HAS(msg, path + ":3: malformed YAML");
}

TEST(Config, MissingFileIsAnInputError) {
  EXPECT_EQ(input_error([] { load_yaml_file("/nonexistent/arch.yaml"); }), "/nonexistent/arch.yaml: cannot open file");
}

TEST(Config, TopLevelMustBeAMap) {
  const std::string path = write_temp("list.yaml", "- a\n- b\n");
  EXPECT_ERROR_HAS(input_error([&] { read_arch(path); }), path + ":1: expected a YAML map at the top level");
}

TEST(Config, RequiredAndChoice) {
  const std::string path = write_temp("arch.yaml", "mode: fast\n");
  ConfigNode top = open_config(load_yaml_file(path), path);
  EXPECT_EQ(input_error([&] { top.require<std::string>("name", "", "design name"); }),
            path + ":1: name: required key is missing (design name)");
  EXPECT_EQ(input_error([&] { top.get_choice("mode", "event", {"event", "cycle"}, "sim mode"); }),
            path + ":1: mode: must be one of event|cycle (got 'fast')");
}

TEST(Config, MalformedOverrides) {
  const std::string path = write_temp("arch.yaml", kArch);
  EXPECT_ERROR_HAS(input_error([&] { read_arch(path, {"compute.rows"}); }), "expected key.path=value");
  EXPECT_ERROR_HAS(input_error([&] { read_arch(path, {"compute..rows=3"}); }), "empty segment in key path");
  EXPECT_ERROR_HAS(input_error([&] { read_arch(path, {"compute.rows=[1"}); }), "malformed value '[1'");
  EXPECT_ERROR_HAS(input_error([&] { read_arch(path, {"compute.rows.x=1"}); }), "'rows' is not a map");
}

TEST(Config, DescribeModeDocumentsParameters) {
  std::vector<ParamDoc> docs;
  ConfigNode top = describe_config(docs);
  ConfigNode compute = top.child("compute", "compute block");
  compute.get_positive("rows", int64_t{32}, "PEs", "array height");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[1].path, "compute.rows");
  EXPECT_EQ(docs[1].default_text, "32");
  EXPECT_EQ(docs[1].unit, "PEs");
}

}  // namespace
}  // namespace accsim
