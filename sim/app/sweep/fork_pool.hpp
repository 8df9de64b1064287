#pragma once
// Many sweep points per process: `jobs` worker processes forked from the already-initialized sweep
// process, each running its share of the points in-process (one SystemC kernel per process, kept
// alive across runs: sim/hw/sim_kernel.hpp), and streaming one line per point back through a pipe.
// Forking instead of threads: the SystemC kernel is one per process, and a crash or runaway point
// takes down one worker, not the sweep.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace accsim::sweep {

struct PointOutcome {
  uint64_t index = 0;  // the point's index in the grid
  int code = 0;        // 0: ok (text = `accsim run --format json` output on one line); 2: bad input; 1: other
  std::string text;    // JSON, or the one-line error message
};

// Runs `accsim run ARGS` (ARGS as sweep::run_arguments gives them) in this process.
PointOutcome run_point_in_process(uint64_t index, const std::vector<std::string>& run_args);

class ForkPool {
 public:
  // Forks `workers` processes; worker w runs todo[w], todo[w + workers], ... through `run`.
  ForkPool(size_t workers, const std::vector<uint64_t>& todo, PointOutcome (*run)(uint64_t index, const void* ctx),
           const void* ctx);
  ~ForkPool();
  ForkPool(const ForkPool&) = delete;
  ForkPool& operator=(const ForkPool&) = delete;

  // Waits up to `timeout_ms` for outcomes; appends those that arrived. False once every worker has
  // finished and every outcome was returned.
  bool poll(std::vector<PointOutcome>& out, int timeout_ms);
  void stop();  // SIGTERM to every worker still running

 private:
  struct Worker {
    pid_t pid = -1;
    int fd = -1;
    std::string buffer;
    size_t next = 0;  // position in its stride of the next point it will report
  };
  void reap(Worker& w, std::vector<PointOutcome>& out);
  std::vector<Worker> workers_;
  std::vector<uint64_t> todo_;
};

}  // namespace accsim::sweep
