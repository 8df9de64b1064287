#include "sim/app/sweep/fork_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <map>
#include <new>
#include <stdexcept>

#include "sim/app/cli.hpp"
#include "sim/app/output.hpp"
#include "sim/core/error.hpp"
#include "sim/hw/accelerator.hpp"
#include "sim/hw/energy_stage.hpp"
#include "sim/workload/trace.hpp"
#include "sim/workload/workload_overrides.hpp"

namespace accsim::sweep {

namespace {

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

void write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);  // the parent is gone
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void worker_main(int fd, const std::vector<uint64_t>& todo, std::atomic<uint64_t>* next,
                              std::atomic<uint64_t>* running, PointOutcome (*run)(uint64_t, const void*),
                              const void* ctx) {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  for (;;) {
    const uint64_t pos = next->fetch_add(1);
    if (pos >= todo.size()) break;
    running->store(pos + 1);
    const PointOutcome o = run(todo[pos], ctx);
    write_all(fd, std::to_string(pos) + "\t" + std::to_string(o.index) + "\t" + std::to_string(o.code) + "\t" +
                      one_line(o.text) + "\n");
  }
  running->store(0);
  ::close(fd);
  _exit(0);  // no atexit handlers or static destructors of the parent's state
}

}  // namespace

namespace {

// Keys that change prices only (as `accsim reprice` defines them): a point that differs from an
// already simulated one in these alone is re-priced from that run's action counts, not simulated.
bool energy_only(const std::string& override_kv) {
  const std::string key = override_kv.substr(0, override_kv.find('='));
  return key == "energy_table" || key == "technology_nm" || key == "dram.technology" || key == "dram.pj_per_bit";
}

// The energy stage over a finished run's layers with the point's own configuration: per repeat,
// as during the run (counts are whole numbers, so dividing by the repeat count is exact and the
// result is byte-identical to simulating; tests/cli/sweep_speed.sh checks it).
RunOutput reprice(const RunResult& timed, const RunRequest& req) {
  const auto ctx = elaborate(load_arch_tree(req.arch_path), req.arch_path, req.overrides);
  RunOutput out;
  out.result = timed;
  for (auto& l : out.result.layers) {
    const auto n = static_cast<uint64_t>(l.repeat);
    ActionCounts once = l.actions;
    once.scale(1.0 / static_cast<double>(n));
    l.energy = price_layer(once, l.cycles / n, *ctx->compute, ctx->kind(), *ctx->arch, core_energy_scale(l));
    if (n != 1) l.energy.scale(static_cast<double>(n));
  }
  out.resolved_config = ctx->resolved;
  out.leakage_uw = ctx->compute->leakage_uw();
  out.area_um2 = ctx->compute->area_um2();
  out.result.arch_name = ctx->arch->name;
  return out;
}

// Simulates, or re-prices a run whose timing this worker already has. Bounded: the cache is
// dropped when it holds 4096 timing configurations.
RunOutput simulate_or_reprice(const RunRequest& req, const std::string& workload_key) {
  bool energy = false;
  std::string key = req.arch_path + "\n" + workload_key;
  for (const auto& o : req.overrides) {
    if (energy_only(o)) energy = true;
    else key += "\n" + o;
  }
  if (!energy) return simulate(req);
  static std::map<std::string, RunResult> timed;
  if (const auto it = timed.find(key); it != timed.end()) return reprice(it->second, req);
  RunOutput out = simulate(req);
  if (timed.size() >= 4096) timed.clear();
  timed.emplace(key, out.result);
  return out;
}

}  // namespace

PointOutcome run_point_in_process(uint64_t index, const std::vector<std::string>& run_args) {
  PointOutcome o;
  o.index = index;
  try {
    RunRequest req;
    std::vector<std::string> workload_sets;
    std::string workload;
    for (size_t i = 1; i + 1 < run_args.size(); i += 2) {  // run_args[0] is "run"
      const std::string& flag = run_args[i];
      const std::string& value = run_args[i + 1];
      if (flag == "--arch") req.arch_path = value;
      else if (flag == "--workload") workload = value;
      else if (flag == "--set") req.overrides.push_back(value);
      else if (flag == "--workload-set") workload_sets.push_back(value);
    }
    // A worker runs many points of the same few workloads: parse each once (a trace YAML costs
    // more to read than an event-mode run of it). Overrides apply to a copy.
    static std::map<std::string, Workload> cache;
    auto it = cache.find(workload);
    if (it == cache.end()) it = cache.emplace(workload, load_workload(workload)).first;
    req.workload = it->second;
    apply_workload_overrides(req.workload, workload_sets);
    std::string workload_key = workload;
    for (const auto& w : workload_sets) workload_key += "\n" + w;
    // Only what a sweep row takes (cmd_sweep.cpp ok_row: `total` and `arch`): the per-layer part
    // of the run's JSON was most of the text each point sent and the main process parsed.
    const nlohmann::ordered_json full = summary_json(simulate_or_reprice(req, workload_key));
    nlohmann::ordered_json row_part;
    row_part["total"] = full.at("total");
    row_part["arch"] = full.at("arch");
    o.text = row_part.dump();
  } catch (const UsageError& e) {
    o.code = 2, o.text = e.what();
  } catch (const InputError& e) {
    o.code = 2, o.text = e.what();
  } catch (const std::exception& e) {
    o.code = 1, o.text = std::string("internal error: ") + e.what();
  }
  return o;
}

ForkPool::ForkPool(size_t workers, const std::vector<uint64_t>& todo, PointOutcome (*run)(uint64_t, const void*),
                   const void* ctx)
    : todo_(todo) {
  static_assert(std::atomic<uint64_t>::is_always_lock_free, "the claim counter is shared between processes");
  shared_bytes_ = (workers + 1) * sizeof(std::atomic<uint64_t>);
  void* mem = ::mmap(nullptr, shared_bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) throw std::runtime_error(std::string("mmap: ") + std::strerror(errno));
  shared_ = static_cast<std::atomic<uint64_t>*>(mem);
  for (size_t i = 0; i <= workers; ++i) new (&shared_[i]) std::atomic<uint64_t>(0);
  std::cout.flush();
  std::cerr.flush();
  for (size_t w = 0; w < workers; ++w) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      ::close(fds[0]);
      for (const auto& other : workers_) ::close(other.fd);
      worker_main(fds[1], todo_, &shared_[0], &shared_[1 + w], run, ctx);
    }
    ::close(fds[1]);
    Worker wk;
    wk.pid = pid;
    wk.fd = fds[0];
    workers_.push_back(std::move(wk));
  }
}

ForkPool::~ForkPool() {
  stop();
  for (auto& w : workers_) {
    if (w.fd >= 0) ::close(w.fd);
    if (w.pid > 0) {
      int status = 0;
      while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  if (shared_) ::munmap(shared_, shared_bytes_);
}

void ForkPool::stop() {
  for (auto& w : workers_)
    if (w.pid > 0 && w.fd >= 0) ::kill(w.pid, SIGTERM);
}

// EOF on a worker's pipe: collect its exit status; a point it was running and never reported
// becomes an error (the other workers go on with the rest).
void ForkPool::reap(size_t index, std::vector<PointOutcome>& out) {
  Worker& w = workers_[index];
  ::close(w.fd);
  w.fd = -1;
  int status = 0;
  while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
  }
  w.pid = -1;
  const uint64_t running = shared_[1 + index].load();
  if (running != 0 && running - 1 != w.last_reported) {
    const std::string why = WIFSIGNALED(status) ? "died from signal " + std::to_string(WTERMSIG(status))
                                                : "exited with status " + std::to_string(WEXITSTATUS(status));
    out.push_back({todo_[running - 1], 1, "sweep worker " + why + " while running this point"});
  }
}

bool ForkPool::poll(std::vector<PointOutcome>& out, int timeout_ms) {
  std::vector<pollfd> fds;
  std::vector<size_t> owners;
  for (size_t w = 0; w < workers_.size(); ++w)
    if (workers_[w].fd >= 0) fds.push_back({workers_[w].fd, POLLIN, 0}), owners.push_back(w);
  if (fds.empty()) return false;
  const int n = ::poll(fds.data(), fds.size(), timeout_ms);
  if (n <= 0) return true;  // timeout or EINTR (a signal): the caller checks its stop flag
  for (size_t i = 0; i < fds.size(); ++i) {
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    Worker& w = workers_[owners[i]];
    char buf[65536];
    const ssize_t got = ::read(w.fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      reap(owners[i], out);
      continue;
    }
    w.buffer.append(buf, static_cast<size_t>(got));
    for (size_t nl; (nl = w.buffer.find('\n')) != std::string::npos;) {
      const std::string line = w.buffer.substr(0, nl);
      w.buffer.erase(0, nl + 1);
      // position \t index \t code \t text
      const size_t t0 = line.find('\t'), t1 = line.find('\t', t0 + 1), t2 = line.find('\t', t1 + 1);
      PointOutcome o;
      w.last_reported = std::stoull(line.substr(0, t0));
      o.index = std::stoull(line.substr(t0 + 1, t1 - t0 - 1));
      o.code = std::stoi(line.substr(t1 + 1, t2 - t1 - 1));
      o.text = line.substr(t2 + 1);
      out.push_back(std::move(o));
    }
  }
  return true;
}

}  // namespace accsim::sweep
