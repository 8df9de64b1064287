#pragma once
// Runs one design point as a child `accsim run` process: SystemC elaborates one design per process,
// so every point gets a fresh one.
#include <string>
#include <sys/types.h>
#include <vector>

namespace accsim::sweep {

struct ChildResult {
  int exit_code = -1;  // exit status, or -1 when killed by a signal
  int signal = 0;
  std::string out, err;
};

// The path of the running accsim binary (/proc/self/exe), resolved once at startup.
std::string self_executable();

// Spawns `exe args...` with stdin from /dev/null, collects stdout and stderr, waits for it.
// `running_pid` holds the child's pid while it runs, so an interrupted sweep can stop exactly its own children.
ChildResult run_child(const std::string& exe, const std::vector<std::string>& args, pid_t* running_pid);

}  // namespace accsim::sweep
