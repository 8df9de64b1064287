#pragma once
// Sweep progress on stderr: a redrawn bar with rate and ETA on a terminal, plain lines every
// `interval` seconds otherwise (logs, Slurm output files).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace accsim::sweep {

class Progress {
 public:
  Progress(uint64_t total, uint64_t already_done, bool quiet);
  void point_done();   // thread-safe
  void tick();         // redraw/print if due
  void finish();       // final line

 private:
  void draw(bool final);

  uint64_t total_, done_, start_done_;
  bool tty_, quiet_;
  std::chrono::steady_clock::time_point start_, last_;
  std::mutex mutex_;
};

// "1h02m", "3m07s", "12s".
std::string format_duration(double seconds);

}  // namespace accsim::sweep
