// Sweep result files: torn-row recovery, CSV quoting, canonical ordering (sim/app/sweep/result_store).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "sim/app/sweep/result_store.hpp"
#include "sim/core/error.hpp"

using namespace accsim;
using namespace accsim::sweep;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("accsim_store_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

Row row(uint64_t point, const std::string& id, const std::string& workload) {
  Row r;
  r["point"] = point;
  r["point_id"] = id;
  r["params"] = {{"workload", workload}};
  r["status"] = "ok";
  r["cycles"] = 100 + point;
  r["energy_pj"] = 1.5;
  r["energy_breakdown_pj"] = {{"mac", 1.0}, {"dram", 0.5}};
  return r;
}

}  // namespace

TEST(SweepStore, TornLastLineIsDroppedOtherDamageIsAnError) {
  const fs::path d = temp_dir("torn");
  {
    std::ofstream f(d / "results.jsonl");
    f << row(0, "a", "w").dump() << "\n" << row(1, "b", "w").dump() << "\n" << "{\"point\":2,\"poi";
  }
  int torn = 0;
  const auto rows = read_rows(d.string(), &torn);
  EXPECT_EQ(rows.size(), 2u);
  EXPECT_EQ(torn, 1);
  {
    std::ofstream f(d / "results.jsonl");
    f << row(0, "a", "w").dump() << "\n" << "garbage\n" << row(1, "b", "w").dump() << "\n";
  }
  EXPECT_THROW(read_rows(d.string()), InputError);
  fs::remove_all(d);
}

TEST(SweepStore, ResumeDropsTornRowAndKnowsFinishedPoints) {
  const fs::path d = temp_dir("resume");
  const nlohmann::ordered_json spec = {{"accsim_sweep", 1}, {"arch", "x.yaml"}};
  {
    ResultStore s(d.string(), spec, false, {"workload"});
    s.append(row(3, "c", "w"));
    s.append(row(1, "a", "w"));
  }
  { std::ofstream(d / "results.jsonl", std::ios::app) << "{\"point\":9"; }
  EXPECT_THROW(ResultStore(d.string(), spec, false, {"workload"}), InputError);  // needs --resume
  const nlohmann::ordered_json other = {{"accsim_sweep", 1}, {"arch", "y.yaml"}};
  EXPECT_THROW(ResultStore(d.string(), other, true, {"workload"}), InputError);  // a different sweep
  {
    ResultStore s(d.string(), spec, true, {"workload"});
    EXPECT_TRUE(s.has("a"));
    EXPECT_TRUE(s.has("c"));
    EXPECT_FALSE(s.has("z"));
    EXPECT_EQ(s.size(), 2u);
    s.append(row(2, "b", "w"));
    s.finalize();
  }
  int torn = 0;
  const auto rows = read_rows(d.string(), &torn);
  EXPECT_EQ(torn, 0);
  ASSERT_EQ(rows.size(), 3u);
  // Canonical order is by point index, not by completion order.
  EXPECT_EQ(rows[0]["point"], 1);
  EXPECT_EQ(rows[1]["point"], 2);
  EXPECT_EQ(rows[2]["point"], 3);
  fs::remove_all(d);
}

TEST(SweepStore, CsvQuotesFieldsWithCommasAndQuotes) {
  Row bad = row(1, "b", "w");
  bad["status"] = "error";
  bad["error"] = "value \"x\", bad";
  const std::string csv = csv_text({row(0, "a", "gemm:m=1,n=2,k=3"), bad}, {"workload"});
  const std::string want =
      "point,point_id,workload,status,cycles,latency_s,energy_pj,energy_mac_pj,energy_dram_pj,utilization,macs,"
      "effectual_macs,peak_macs_per_cycle,dram_read_bytes,dram_write_bytes,clock_hz,area_um2,leakage_uw,error\n"
      "0,a,\"gemm:m=1,n=2,k=3\",ok,100,,1.5,1.0,0.5,,,,,,,,,,\n"
      "1,b,w,error,101,,1.5,1.0,0.5,,,,,,,,,,\"value \"\"x\"\", bad\"\n";
  EXPECT_EQ(csv, want);
}

TEST(SweepStore, ConcurrentAppendsNeverTearOrInterleaveRows) {
  const fs::path d = temp_dir("concurrent");
  const nlohmann::ordered_json spec = {{"accsim_sweep", 1}};
  constexpr int kThreads = 8, kRows = 200;
  {
    ResultStore s(d.string(), spec, false, {"workload"});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&s, t] {
        for (int i = 0; i < kRows; ++i) {
          // Long rows (several KB) make a torn or interleaved write visible if it happened.
          Row r = row(static_cast<uint64_t>(t * kRows + i), std::to_string(t) + "_" + std::to_string(i),
                      std::string(4000, static_cast<char>('a' + t)));
          s.append(r);
        }
      });
    for (auto& th : threads) th.join();
  }
  int torn = 0;
  const auto rows = read_rows(d.string(), &torn);  // throws on any malformed line
  EXPECT_EQ(torn, 0);
  EXPECT_EQ(rows.size(), static_cast<size_t>(kThreads * kRows));
  // The CSV (appended in the same critical section) has a header plus one line per row.
  std::ifstream csv(d / "results.csv");
  size_t lines = 0;
  for (std::string l; std::getline(csv, l);) ++lines;
  EXPECT_EQ(lines, static_cast<size_t>(kThreads * kRows) + 1);
  fs::remove_all(d);
}

TEST(SweepStore, SecondWriterOfADirectoryIsRefused) {
  const fs::path d = temp_dir("lock");
  const int held = lock_directory(d.string());
  EXPECT_THROW(lock_directory(d.string()), InputError);
  ::close(held);
  EXPECT_NO_THROW(::close(lock_directory(d.string())));
  fs::remove_all(d);
}
