// `accsim sweep`: run a grid (or a seeded sample of it) of design points in parallel, one child
// `accsim run` process per point, appending one result row per point to DIR/results.{jsonl,csv}.
#include "sim/core/parse_number.hpp"
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <iostream>
#include <thread>

#include <sched.h>
#include <signal.h>

#include "sim/app/cli.hpp"
#include "sim/app/sweep/fork_pool.hpp"
#include "sim/app/sweep/point_runner.hpp"
#include "sim/app/sweep/points_file.hpp"
#include "sim/app/sweep/preflight.hpp"
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
  for (const char* k : {"cycles", "compute_cycles", "stall_cycles", "latency_s", "energy_pj", "energy_breakdown_pj", "utilization", "macs", "effectual_macs",
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

// --arch, --workload and --grid options as dimensions: several archs/workloads are swept, one is fixed.
void grid_dimensions(const Args& args, Spec& spec) {
  if (!args.has("--arch")) throw UsageError("missing --arch");
  if (!args.has("--workload")) throw UsageError("missing --workload");
  const auto& archs = args.all("--arch");
  for (const auto& a : archs)
    if (std::count(archs.begin(), archs.end(), a) > 1) throw UsageError("--arch " + a + " given twice");
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
}

// --points FILE: `arch` and `workload` columns, or one --arch / --workload for every point.
void points_dimensions(const Args& args, Spec& spec) {
  if (args.has("--grid")) throw UsageError("--points replaces --grid: put every key in the file");
  const std::string path = args.get("--points");
  PointsFile pf = read_points_file(path);
  spec.points_file = path;
  std::vector<std::string> order;  // arch, workload, then the file's other columns
  for (const char* fixed : {"arch", "workload"}) {
    const bool column = std::find(pf.keys.begin(), pf.keys.end(), fixed) != pf.keys.end();
    const std::string flag = std::string("--") + fixed;
    if (column && args.has(flag)) throw UsageError(flag + " is a column of " + path + "; drop " + flag);
    if (!column && args.all(flag).size() != 1)
      throw UsageError("give one " + flag + " (or an '" + fixed + "' column in " + path + ")");
    if (column) order.push_back(fixed);
  }
  for (const auto& k : pf.keys)
    if (k != "arch" && k != "workload") {
      const Dimension d = parse_grid_option(k + "=x");  // checks the key's form
      (void)d;
      order.push_back(k);
    }
  if (args.has("--arch")) spec.arch = args.get("--arch");
  const bool wl_column = std::find(order.begin(), order.end(), "workload") != order.end();
  if (!wl_column) order.insert(order.begin() + (order.empty() || order[0] != "arch" ? 0 : 1), "workload");
  for (const auto& k : order) spec.dims.push_back(Dimension{k, {}});
  for (const auto& values : pf.points) {
    std::vector<std::string> point;
    for (auto& d : spec.dims) {
      const auto col = std::find(pf.keys.begin(), pf.keys.end(), d.key);
      const std::string v = col == pf.keys.end() ? args.get("--workload") : values[col - pf.keys.begin()];
      if (std::find(d.values.begin(), d.values.end(), v) == d.values.end()) d.values.push_back(v);
      point.push_back(v);
    }
    spec.points.push_back(std::move(point));
  }
}

Spec spec_from_args(const Args& args) {
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  for (const char* once : {"--random", "--seed", "--jobs", "--out", "--shard", "--points"})
    if (args.all(once).size() > 1) throw UsageError(std::string(once) + " given twice");
  Spec spec;
  if (args.has("--points"))
    points_dimensions(args, spec);
  else
    grid_dimensions(args, spec);
  for (const auto& a : spec.arch.empty() ? std::vector<std::string>{} : std::vector<std::string>{spec.arch})
    if (!std::filesystem::exists(a)) throw InputError(SourceLocation{a, 0, "--arch"}, "file not found");
  for (const auto& d : spec.dims)
    if (d.key == "arch")
      for (const auto& a : d.values)
        if (!std::filesystem::exists(a)) throw InputError(SourceLocation{a, 0, "--arch"}, "file not found");
  if (args.has("--random")) spec.random = parse_count("--random", args.get("--random"), 1);
  if (args.has("--seed")) {
    if (!args.has("--random")) throw UsageError("--seed only applies with --random N");
    spec.seed = parse_count("--seed", args.get("--seed"), 0);
  }
  if (args.has("--shard")) parse_shard(args.get("--shard"), spec.shard_index, spec.shard_count);
  validate(spec);
  return spec;
}

// --jobs above the usable cores only adds contention and memory: capped there, with a warning (not an
// error, so one script with --jobs 8 still runs in a smaller allocation). Results do not depend on it.
size_t jobs_from_args(const Args& args) {
  const size_t cores = usable_cores();
  if (!args.has("--jobs")) return cores;
  const size_t jobs = parse_count("--jobs", args.get("--jobs"), 1);
  if (jobs <= cores) return jobs;
  std::cerr << "accsim sweep: warning: --jobs " << jobs << " is more than the " << cores
            << " cores this process may use (taskset/cgroup/Slurm allocation); running " << cores << " at a time\n";
  return cores;
}

// The sweep's checks before anything is written; with --keep-going problems are warnings.
void check_before_running(const Spec& spec, size_t jobs, bool keep_going, bool quiet) {
  const auto problems = preflight(spec, self_executable(), jobs);
  if (problems.empty()) return;
  if (!keep_going) {
    for (size_t i = 1; i < problems.size() && !quiet; ++i)
      std::cerr << "accsim sweep: also: " << problems[i].what << ": " << problems[i].error << "\n";
    throw InputError(problems[0].what + ": " + problems[0].error +
                     (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more above)" : ""));
  }
  for (const auto& p : problems)
    if (!quiet) std::cerr << "accsim sweep: warning: " << p.what << ": " << p.error << " (--keep-going: recorded as errors)\n";
}

void print_dry_run(const Spec& spec, const std::vector<uint64_t>& indices) {
  std::cout << "point,point_id";
  for (const auto& d : spec.dims) std::cout << "," << d.key;
  std::cout << "\n";
  for (uint64_t i : indices) {
    const Point p = make_point(spec, i);
    std::cout << p.index << "," << p.id;
    for (const auto& kv : p.params) std::cout << "," << (kv.second.find(',') != std::string::npos ? "\"" + kv.second + "\"" : kv.second);
    std::cout << "\n";
  }
}

PointOutcome run_point_of_spec(uint64_t index, const void* spec_ptr) {
  const Spec& spec = *static_cast<const Spec*>(spec_ptr);
  return run_point_in_process(index, run_arguments(spec, make_point(spec, index)));
}

// How points run: "fork" (default) = `jobs` forked workers running many points each in-process;
// "process" = one `accsim run` child per point (ACCSIM_SWEEP_MODE=process; slower, kept as a
// cross-check: both give byte-identical results, tests/cli/sweep_speed.sh).
bool use_fork_pool() {
  const char* mode = std::getenv("ACCSIM_SWEEP_MODE");
  if (!mode || std::string(mode) == "fork") return true;
  if (std::string(mode) == "process") return false;
  throw UsageError(std::string("ACCSIM_SWEEP_MODE must be fork or process, not '") + mode + "'");
}

int sweep_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--arch", "--workload", "--grid", "--points", "--random", "--seed", "--jobs", "--out", "--shard"},
            {"--resume", "--keep-going", "--quiet", "--dry-run"}, {"--arch", "--workload", "--grid"});
  const Spec spec = spec_from_args(args);
  const size_t jobs = jobs_from_args(args);
  const std::string out = args.get("--out", "sweep_results");
  check_before_running(spec, jobs, args.has("--keep-going"), args.has("--quiet"));
  if (args.has("--dry-run")) {
    const auto indices = shard_indices(spec);
    print_dry_run(spec, indices);
    std::cerr << "accsim sweep: --dry-run: " << indices.size() << " points, every key and every value they use checked; nothing run or written\n";
    return 0;
  }

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
  // Records one point's outcome (code 0: `text` is the run's JSON; else the one-line error).
  // False when the sweep must stop.
  auto record = [&](const Point& p, int code, const std::string& text) -> bool {
    Row row;
    std::string error = code ? text : "";
    if (code == 0) {
      try {
        row = ok_row(p, text);
      } catch (const std::exception& e) {
        error = std::string("unreadable output of accsim run: ") + e.what();
        code = 1;
      }
    }
    if (code) {
      std::lock_guard<std::mutex> g(shared.mutex);
      if (!keep_going) {
        if (!shared.fatal_code) {
          shared.fatal = "point " + p.id + " (" + describe(p) + "): " + error;
          shared.fatal_code = code;
        }
        return false;
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
      return false;
    }
    progress.point_done();
    return true;
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
      if (r.exit_code == 0) {
        if (!record(p, 0, r.out)) return;
      } else if (!record(p, r.exit_code == 2 ? 2 : 1,
                         r.signal ? "accsim run died from signal " + std::to_string(r.signal) : first_line(r.err))) {
        return;
      }
    }
  };
  if (use_fork_pool() && !todo.empty()) {
    // Outcomes come back through pipes; the main thread records them (rows in completion order; the
    // final files are sorted) and draws progress.
    ForkPool pool(nworkers, todo, run_point_of_spec, &spec);
    std::vector<PointOutcome> got;
    for (bool more = true; more;) {
      got.clear();
      more = pool.poll(got, 100);
      for (const auto& o : got)
        if (!record(make_point(spec, o.index), o.code, o.code ? first_line(o.text) : o.text)) break;
      progress.tick();
      if (g_stop || shared.fatal_code) {
        pool.stop();
        break;
      }
    }
  } else {
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
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (g_stop) {
    progress.finish();
    std::cerr << "accsim sweep: interrupted; " << store.size() << " of " << indices.size()
              << " points recorded in " << out << " (rerun with --resume to finish)\n";
    return 130;
  }
  if (shared.fatal_code) {
    // Nothing recorded in a directory this sweep created: remove it, so the corrected command starts clean.
    if (store.discard_if_empty() && !quiet) std::cerr << "accsim sweep: no point finished; removed " << out << "\n";
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
                     "[--points FILE.csv|FILE.jsonl] [--random N [--seed S]] [--jobs N] [--out DIR] [--resume] [--shard I/N] [--keep-going]\n"
                     "  [--dry-run] [--quiet]\n"
                     "  keys: any config key of `accsim list` (compute.rows=8,16,32); workload.<prune|dtype|wbits|abits|acc|seed|data> for\n"
                     "  any workload, workload.<m|n|k|batch> for inline gemm; integer ranges A..B, A..B+S, A..B*F.\n"
                     "  See docs/sweeps.md.",
                     sweep_command});

}  // namespace
}  // namespace accsim
