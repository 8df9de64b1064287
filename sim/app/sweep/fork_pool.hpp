#pragma once
// Many sweep points per process: `jobs` worker processes forked from the already-initialized sweep
// process, each running points in-process (one SystemC kernel per process, kept alive across runs:
// sim/hw/sim_kernel.hpp), and streaming one line per point back through a pipe. A worker takes the
// next point from a counter in shared memory when it is free, so an expensive point does not
// hold up a fixed share of the others behind it.
// Forking instead of threads: the SystemC kernel is one per process, and a crash or runaway point
// takes down one worker, not the sweep.
#include <sys/types.h>

#include <atomic>
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
  // Forks `workers` processes; each runs the next unclaimed todo[i] through `run` until none is left.
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
    uint64_t last_reported = UINT64_MAX;  // position in todo of the last point it reported
  };
  void reap(size_t w, std::vector<PointOutcome>& out);
  std::vector<Worker> workers_;
  std::vector<uint64_t> todo_;
  // Shared with the workers (MAP_SHARED): [0] the next unclaimed position in todo; [1 + w] 1 + the
  // position worker w is running (0: none), so a worker's death is charged to its point.
  std::atomic<uint64_t>* shared_ = nullptr;
  size_t shared_bytes_ = 0;
};

}  // namespace accsim::sweep
