// `accsim sweep`: run a grid (or a seeded sample of it) of design points in parallel, one child
// `accsim run` process per point, appending one result row per point to DIR/results.{jsonl,csv}.
#include "sim/core/parse_number.hpp"
#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <iostream>
#include <thread>

#include <sched.h>
#include <signal.h>

#include "sim/app/cli.hpp"
#include "sim/app/sweep/point_runner.hpp"
#include "sim/app/sweep/progress.hpp"
#include "sim/app/sweep/result_store.hpp"
#include "sim/app/sweep/sweep_spec.hpp"
#include "sim/core/error.hpp"

namespace accsim {

namespace {

using namespace sweep;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

uint64_t parse_count(const std::string& flag, const std::string& text, uint64_t min) {
  const auto v = parse_uint64(text);  // checked: "-1" and 2^64 are errors, not wrapped
  if (v && *v >= min) return *v;
  throw UsageError(flag + " expects an integer >= " + std::to_string(min) + ", got '" + text + "'");
}

// Cores this process may run on (taskset, cgroup cpusets, Slurm allocations), not all of the machine's.
size_t usable_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<size_t>(CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  for (const char* prefix : {"accsim: error: ", "accsim: "})
    if (line.rfind(prefix, 0) == 0) return line.substr(std::string(prefix).size());
  return line;
}

std::string describe(const Point& p) {
  std::string s;
  for (const auto& [k, v] : p.params) s += (s.empty() ? "" : " ") + k + "=" + v;
  return s;
}

Row base_row(const Point& p) {
  Row row;
  row["point"] = p.index;
  row["point_id"] = p.id;
  Row params = Row::object();
  for (const auto& [k, v] : p.params) params[k] = v;
  row["params"] = params;
  return row;
}

// The whole-run figures of one point, from `accsim run --format json`.
Row ok_row(const Point& p, const std::string& json_text) {
  const auto j = nlohmann::ordered_json::parse(json_text);
  const auto& t = j.at("total");
  Row row = base_row(p);
  row["status"] = "ok";
  for (const char* k : {"cycles", "latency_s", "energy_pj", "energy_breakdown_pj", "utilization", "macs", "effectual_macs",
                        "peak_macs_per_cycle", "dram_read_bytes", "dram_write_bytes"})
    row[k] = t.at(k);
  row["clock_hz"] = j.at("arch").at("clock_hz");
  // Models that do not estimate area report 0: leave the cell empty rather than claim zero area.
  const double area = j.at("arch").at("area_um2").get<double>();
  row["area_um2"] = area > 0 ? nlohmann::ordered_json(area) : nlohmann::ordered_json(nullptr);
  row["leakage_uw"] = j.at("arch").at("leakage_uw");
  return row;
}

struct Shared {
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::string fatal;  // first error that stops the sweep
  int fatal_code = 0;
  uint64_t failed = 0;
};

int sweep_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--arch", "--workload", "--grid", "--random", "--seed", "--jobs", "--out", "--shard"},
            {"--resume", "--keep-going", "--quiet"});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  Spec spec;
  if (!args.has("--arch")) throw UsageError("missing --arch");
  if (!args.has("--workload")) throw UsageError("missing --workload");
  // Several --arch files become the first swept dimension; one is a fixed setting.
  const auto& archs = args.all("--arch");
  for (const auto& a : archs) {
    if (!std::filesystem::exists(a)) throw InputError(SourceLocation{a, 0, "--arch"}, "file not found");
    if (std::count(archs.begin(), archs.end(), a) > 1) throw UsageError("--arch " + a + " given twice");
  }
  if (archs.size() == 1)
    spec.arch = archs[0];
  else
    spec.dims.push_back(Dimension{"arch", archs});
  Dimension wl{"workload", {}};
  for (const auto& w : args.all("--workload")) {
    if (std::find(wl.values.begin(), wl.values.end(), w) != wl.values.end())
      throw UsageError("--workload " + w + " given twice");
    wl.values.push_back(w);
  }
  spec.dims.push_back(wl);
  for (const auto& g : args.all("--grid")) {
    Dimension d = parse_grid_option(g);
    for (const auto& e : spec.dims)
      if (e.key == d.key) throw UsageError("--grid " + d.key + " given twice");
    spec.dims.push_back(std::move(d));
  }
  if (args.has("--random")) spec.random = parse_count("--random", args.get("--random"), 1);
  if (args.has("--seed")) {
    if (!args.has("--random")) throw UsageError("--seed only applies with --random N");
    spec.seed = parse_count("--seed", args.get("--seed"), 0);
  }
  if (args.has("--shard")) parse_shard(args.get("--shard"), spec.shard_index, spec.shard_count);
  const size_t jobs = args.has("--jobs") ? parse_count("--jobs", args.get("--jobs"), 1) : usable_cores();
  const std::string out = args.get("--out", "sweep_results");
  validate(spec);

  const std::vector<uint64_t> indices = shard_indices(spec);
  std::vector<std::string> keys;
  for (const auto& d : spec.dims) keys.push_back(d.key);
  ResultStore store(out, spec_json(spec, true), args.has("--resume"), keys);
  // Indices only: points are rebuilt when run, so huge sweeps do not hold every point's strings.
  std::vector<uint64_t> todo;
  for (uint64_t i : indices)
    if (!store.has(make_point(spec, i).id)) todo.push_back(i);
  const bool quiet = args.has("--quiet");
  const bool keep_going = args.has("--keep-going");
  if (!quiet)
    std::cerr << "accsim sweep: " << indices.size() << " points" << (spec.shard_count > 1 ? " in shard " + args.get("--shard") : "")
              << ", " << todo.size() << " to run, " << std::min(jobs, std::max<size_t>(todo.size(), 1)) << " jobs -> "
              << out << "\n";

  const std::string exe = self_executable();
  Progress progress(indices.size(), indices.size() - todo.size(), quiet);
  Shared shared;
  const size_t nworkers = std::min(jobs, std::max<size_t>(todo.size(), 1));
  std::vector<pid_t> running(nworkers, 0);
  g_stop = 0;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  auto fail = [&](const std::string& what) {
    std::lock_guard<std::mutex> g(shared.mutex);
    if (!shared.fatal_code) shared.fatal = what, shared.fatal_code = 1;
  };
  auto worker = [&](size_t w) {
    for (;;) {
      if (g_stop) return;
      {
        std::lock_guard<std::mutex> g(shared.mutex);
        if (shared.fatal_code) return;
      }
      const size_t i = shared.next.fetch_add(1);
      if (i >= todo.size()) return;
      const Point p = make_point(spec, todo[i]);
      ChildResult r;
      try {
        r = run_child(exe, run_arguments(spec, p), &running[w]);
      } catch (const std::exception& e) {
        fail(e.what());
        return;
      }
      if (g_stop) return;  // killed or cut short by the interrupt: not a result
      Row row;
      std::string error;
      int code = 0;
      if (r.exit_code == 0) {
        try {
          row = ok_row(p, r.out);
        } catch (const std::exception& e) {
          error = std::string("unreadable output of accsim run: ") + e.what();
          code = 1;
        }
      } else {
        error = r.signal ? "accsim run died from signal " + std::to_string(r.signal) : first_line(r.err);
        code = r.exit_code == 2 ? 2 : 1;
      }
      if (code) {
        std::lock_guard<std::mutex> g(shared.mutex);
        if (!keep_going) {
          if (!shared.fatal_code) {
            shared.fatal = "point " + p.id + " (" + describe(p) + "): " + error;
            shared.fatal_code = code;
          }
          return;
        }
        ++shared.failed;
        row = base_row(p);
        row["status"] = "error";
        row["error"] = error;
      }
      try {
        store.append(row);
      } catch (const std::exception& e) {  // e.g. a full disk: stop, keeping what is written
        fail(e.what());
        return;
      }
      progress.point_done();
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 0; w < nworkers; ++w) threads.emplace_back(worker, w);
  // The main thread draws progress and, on an interrupt, stops exactly the children it started.
  for (;;) {
    bool all_done = shared.next.load() >= todo.size() + nworkers;
    progress.tick();
    if (g_stop) {
      for (auto& pid : running) {
        const pid_t p = __atomic_load_n(&pid, __ATOMIC_SEQ_CST);
        if (p > 0) ::kill(p, SIGTERM);
      }
    }
    if (all_done || g_stop || shared.fatal_code) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& t : threads) t.join();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (g_stop) {
    progress.finish();
    std::cerr << "accsim sweep: interrupted; " << store.size() << " of " << indices.size()
              << " points recorded in " << out << " (rerun with --resume to finish)\n";
    return 130;
  }
  if (shared.fatal_code) {
    std::cerr << "accsim sweep: error: " << shared.fatal << "\n";
    if (shared.fatal_code == 2) std::cerr << "accsim sweep: (--keep-going records failing points as status=error rows instead)\n";
    return shared.fatal_code;
  }
  store.finalize();
  progress.finish();
  if (!quiet) {
    std::cerr << "accsim sweep: " << store.size() << " rows in " << out << "/results.csv and results.jsonl";
    if (shared.failed) std::cerr << "; " << shared.failed << " points failed (status=error)";
    std::cerr << "\n";
  }
  return 0;
}

const CommandRegistrar sweep_registrar(
    "sweep", Command{"run a design-space sweep in parallel (grid or seeded random sample), resumable and shardable",
                     "accsim sweep --arch ARCH [--arch ARCH2 ...] --workload W [--workload W2 ...] [--grid key=v1,v2,... ...] "
                     "[--random N [--seed S]] [--jobs N] [--out DIR] [--resume] [--shard I/N] [--keep-going] [--quiet]\n"
                     "  keys: any --set config path (compute.rows=8,16,32); workload.<prune|dtype|wbits|abits|acc|seed> for\n"
                     "  any workload, workload.<m|n|k|batch> for inline gemm; integer ranges A..B, A..B+S, A..B*F.\n"
                     "  See docs/sweeps.md.",
                     sweep_command});

}  // namespace
}  // namespace accsim
