#pragma once
// Runs the accsim executable as a subprocess (whole-run tests: each run needs a fresh SystemC kernel).
#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace accsim::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;  // stdout (stderr too when merged)
};

// `args` is appended to the accsim path as given (callers quote what needs quoting). Runs from the
// source tree so relative paths in arguments resolve the same everywhere.
inline ProcessResult run_accsim(const std::string& args, bool merge_stderr = false) {
  // Progress notes go to stderr after 3 s (sim/core/progress_note.hpp): a slow machine or a
  // sanitizer build would put them into merged output that a test parses, so they are off here.
  const std::string cmd = std::string("cd '") + ACCSIM_SOURCE_DIR + "' && ACCSIM_PROGRESS=0 '" + ACCSIM_BINARY + "' " + args +
                          (merge_stderr ? " 2>&1" : " 2>/dev/null");
  ProcessResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace accsim::test
