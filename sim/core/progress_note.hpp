#pragma once
// Progress on stderr for long commands (issue #16): silent for the first 3 seconds, so quick runs
// and the tests see no extra lines, then one line at most every 5 seconds:
//   accsim trace: 40/96 layers (encoder.3.fc1), 12 s
// Never on stdout, so results stay byte-identical. ACCSIM_PROGRESS=0 turns it off; ACCSIM_PROGRESS=all
// prints every step at once (for tests, and to see where a slow command is).
#include <chrono>
#include <cstddef>
#include <string>

namespace accsim {

class ProgressNote {
 public:
  ProgressNote(std::string command, std::string unit);
  void step(size_t done, size_t total, const std::string& current = "");

 private:
  std::string command_, unit_;
  std::chrono::steady_clock::time_point start_, last_;
  bool enabled_, every_step_;
};

}  // namespace accsim
