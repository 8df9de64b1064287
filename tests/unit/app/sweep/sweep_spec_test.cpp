// Sweep grid expansion, point identity, random sampling and shard partitioning (sim/app/sweep/).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "sim/app/cli.hpp"
#include "sim/app/sweep/sweep_spec.hpp"

using namespace accsim;
using namespace accsim::sweep;

namespace {

Spec grid_spec(std::vector<std::string> grids) {
  Spec s;
  s.arch = "configs/arch/systolic-32x32.yaml";
  s.dims.push_back({"workload", {"gemm:m=8,n=8,k=8", "gemm:m=4,n=4,k=4,prune=nm:2:4"}});
  for (const auto& g : grids) s.dims.push_back(parse_grid_option(g));
  return s;
}

}  // namespace

TEST(SweepSpec, Fnv1aMatchesPublishedVectors) {
  // FNV-1a 64-bit test vectors from Fowler/Noll/Vo's reference test suite (isthe.com/chongo/tech/comp/fnv).
  EXPECT_EQ(fnv1a_hex(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a_hex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(fnv1a_hex("foobar"), "85944171f73967e8");
}

TEST(SweepSpec, RangesAndLists) {
  EXPECT_EQ(parse_grid_option("compute.rows=8..64*2").values, (std::vector<std::string>{"8", "16", "32", "64"}));
  EXPECT_EQ(parse_grid_option("a.b=1..10+3").values, (std::vector<std::string>{"1", "4", "7", "10"}));
  EXPECT_EQ(parse_grid_option("a=3..5").values, (std::vector<std::string>{"3", "4", "5"}));
  // Prune specs contain ':' and stay literal; ranges mix with literals.
  EXPECT_EQ(parse_grid_option("workload.prune=nm:2:4,unstructured:0.5,dense").values,
            (std::vector<std::string>{"nm:2:4", "unstructured:0.5", "dense"}));
  EXPECT_EQ(parse_grid_option("x=1,4..5,ws").values, (std::vector<std::string>{"1", "4", "5", "ws"}));
  EXPECT_THROW(parse_grid_option("x=5..4"), UsageError);
  EXPECT_THROW(parse_grid_option("x=0..8*2"), UsageError);
  EXPECT_THROW(parse_grid_option("x=1,,2"), UsageError);
  EXPECT_THROW(parse_grid_option("x=1,1"), UsageError);
  EXPECT_THROW(parse_grid_option("x="), UsageError);
  EXPECT_THROW(parse_grid_option("=1"), UsageError);
  EXPECT_THROW(parse_grid_option("a..b=1"), UsageError);
  EXPECT_THROW(parse_grid_option("workload.bogus=1"), UsageError);
  EXPECT_THROW(parse_grid_option("workload=gemm:m=1,n=1,k=1"), UsageError);
}

TEST(SweepSpec, PointsAreRowMajorLastKeyFastest) {
  const Spec s = grid_spec({"compute.rows=4,8,16", "compute.dataflow=os,ws"});
  ASSERT_EQ(s.grid_size(), 12u);  // 2 workloads x 3 x 2
  // index 9 = workload 1, rows index 1, dataflow index 1: 1*6 + 1*2 + 1.
  const Point p = make_point(s, 9);
  ASSERT_EQ(p.params.size(), 3u);
  EXPECT_EQ(p.params[0].second, "gemm:m=4,n=4,k=4,prune=nm:2:4");
  EXPECT_EQ(p.params[1], (std::pair<std::string, std::string>{"compute.rows", "8"}));
  EXPECT_EQ(p.params[2], (std::pair<std::string, std::string>{"compute.dataflow", "ws"}));
  std::set<std::string> ids;
  for (uint64_t i = 0; i < s.grid_size(); ++i) ids.insert(make_point(s, i).id);
  EXPECT_EQ(ids.size(), 12u);
}

TEST(SweepSpec, PointIdIgnoresKeyOrderButNotArch) {
  const Spec a = grid_spec({"compute.rows=4,8", "compute.dataflow=os,ws"});
  const Spec b = grid_spec({"compute.dataflow=os,ws", "compute.rows=4,8"});
  // a: index 1 = rows 4, ws. b: rows fastest, so rows 4, ws is index 2.
  EXPECT_EQ(make_point(a, 1).id, make_point(b, 2).id);
  Spec c = a;
  c.arch = "other.yaml";
  EXPECT_NE(make_point(a, 1).id, make_point(c, 1).id);
}

TEST(SweepSpec, RunArgumentsSubstituteWorkloadParameters) {
  const Spec s = grid_spec({"workload.prune=unstructured:0.5", "compute.rows=16", "workload.wbits=4"});
  const auto args = run_arguments(s, make_point(s, 1));
  // The inline spec's own prune= is replaced, wbits= appended; config keys become --set.
  const std::vector<std::string> want = {"run", "--arch", s.arch, "--workload",
                                         "gemm:m=4,n=4,k=4,prune=unstructured:0.5,wbits=4",
                                         "--set", "compute.rows=16", "--format", "json"};
  EXPECT_EQ(args, want);
}

TEST(SweepSpec, ShardsPartitionTheSelection) {
  Spec s = grid_spec({"compute.rows=1..25", "compute.cols=1,2,3"});  // 150 points
  const auto all = selected_indices(s);
  ASSERT_EQ(all.size(), 150u);
  for (int n = 1; n <= 7; ++n) {
    std::vector<uint64_t> joined;
    size_t smallest = all.size(), largest = 0;
    for (int i = 0; i < n; ++i) {
      s.shard_index = i;
      s.shard_count = n;
      const auto part = shard_indices(s);
      smallest = std::min(smallest, part.size());
      largest = std::max(largest, part.size());
      joined.insert(joined.end(), part.begin(), part.end());
    }
    std::sort(joined.begin(), joined.end());
    EXPECT_EQ(joined, all) << "shards of " << n << " are not a partition";
    EXPECT_LE(largest - smallest, 1u) << "unbalanced shards of " << n;
  }
}

TEST(SweepSpec, RandomSampleIsSeededDistinctAndInRange) {
  Spec s = grid_spec({"compute.rows=1..100", "compute.cols=1..100"});  // 20000 points
  s.random = 50;
  s.seed = 7;
  const auto a = selected_indices(s);
  ASSERT_EQ(a.size(), 50u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::set<uint64_t>(a.begin(), a.end()).size(), 50u);
  EXPECT_LT(a.back(), 20000u);
  EXPECT_EQ(selected_indices(s), a);  // same seed, same sample
  s.seed = 8;
  EXPECT_NE(selected_indices(s), a);
  s.random = 20000;  // asking for the whole grid gives the whole grid
  EXPECT_EQ(selected_indices(s).size(), 20000u);
}

TEST(SweepSpec, ShardOption) {
  int i = 0, n = 0;
  parse_shard("3/8", i, n);
  EXPECT_EQ(i, 3);
  EXPECT_EQ(n, 8);
  EXPECT_THROW(parse_shard("8/8", i, n), UsageError);
  EXPECT_THROW(parse_shard("1/0", i, n), UsageError);
  EXPECT_THROW(parse_shard("-1/4", i, n), UsageError);
  EXPECT_THROW(parse_shard("1-4", i, n), UsageError);
}

TEST(SweepSpec, SweptArchitecturesKeepTheIdsOfSingleArchitectureSweeps) {
  Spec one = grid_spec({"compute.rows=4,8"});
  Spec many = one;
  many.arch.clear();
  many.dims.insert(many.dims.begin(), Dimension{"arch", {"other.yaml", one.arch}});
  // many: index = arch * 4 + workload * 2 + rows; arch 1 is one.arch.
  for (uint64_t i = 0; i < 4; ++i) {
    const Point a = make_point(one, i), b = make_point(many, 4 + i);
    EXPECT_EQ(a.id, b.id) << "point " << i;
    EXPECT_EQ(run_arguments(one, a), run_arguments(many, b));
  }
  EXPECT_EQ(point_arch(many, make_point(many, 0)), "other.yaml");
}

TEST(SweepSpec, TraceWorkloadsGetWorkloadParametersAsWorkloadSet) {
  Spec s;
  s.arch = "a.yaml";
  s.dims = {{"workload", {"workloads/bert-base-encoder-layer.yaml"}},
            parse_grid_option("workload.prune=nm:2:4"), parse_grid_option("compute.rows=8")};
  const std::vector<std::string> want = {"run", "--arch", "a.yaml", "--workload", "workloads/bert-base-encoder-layer.yaml",
                                         "--workload-set", "prune=nm:2:4", "--set", "compute.rows=8",
                                         "--format", "json"};
  EXPECT_EQ(run_arguments(s, make_point(s, 0)), want);
  validate(s);  // prune is settable on a trace
  s.dims[1] = parse_grid_option("workload.m=4");
  EXPECT_THROW(validate(s), UsageError);  // shapes are not
}
