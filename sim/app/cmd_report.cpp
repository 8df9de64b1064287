// `accsim report DIR [DIR ...] [--out REPORT_DIR]`: Markdown + HTML report with PNG/SVG figures from
// run and sweep output directories, drawn by scripts/report.py (Debian's python3-matplotlib).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "sim/app/cli.hpp"
#include "sim/app/sweep/point_runner.hpp"
#include "sim/core/error.hpp"

extern char** environ;

namespace accsim {

namespace {

namespace fs = std::filesystem;

// The script ships in the source tree next to the build directory; ACCSIM_REPORT_SCRIPT overrides.
std::string find_script() {
  if (const char* env = std::getenv("ACCSIM_REPORT_SCRIPT")) return env;
  const fs::path exe_dir = fs::path(sweep::self_executable()).parent_path();
  for (const fs::path& p : {exe_dir / ".." / "scripts" / "report.py", exe_dir / ".." / "share" / "accsim" / "report.py",
                            fs::path("scripts") / "report.py"})
    if (fs::exists(p)) return fs::weakly_canonical(p).string();
  throw InputError("cannot find scripts/report.py next to the accsim binary; set ACCSIM_REPORT_SCRIPT");
}

// Debian's interpreter first: matplotlib comes from python3-matplotlib, which a PATH python
// (pyenv, venv) may not see. ACCSIM_PYTHON overrides.
std::string find_python() {
  if (const char* env = std::getenv("ACCSIM_PYTHON")) return env;
  return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

int report_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--out", "--baseline", "--epsilon"}, {});
  const auto& dirs = args.positionals();
  if (dirs.empty()) throw UsageError("give at least one run or sweep output directory");
  for (const auto& d : dirs)
    if (!fs::is_directory(d)) throw InputError(SourceLocation{d, 0, ""}, "no such directory");
  const std::string out = args.get("--out", (fs::path(dirs[0]) / "report").string());
  std::vector<std::string> cmd = {find_python(), find_script()};
  cmd.insert(cmd.end(), dirs.begin(), dirs.end());
  cmd.push_back("--out");
  cmd.push_back(out);
  for (const char* flag : {"--baseline", "--epsilon"})
    if (args.has(flag)) {
      cmd.push_back(flag);
      cmd.push_back(args.get(flag));
    }
  std::vector<char*> cargv;
  for (auto& s : cmd) cargv.push_back(s.data());
  cargv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, cmd[0].c_str(), nullptr, nullptr, cargv.data(), environ);
  if (rc != 0) throw InputError("cannot start " + cmd[0] + ": " + std::strerror(rc) + " (install python3)");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

const CommandRegistrar report_registrar(
    "report", Command{"write a Markdown/HTML report with figures from run and sweep output directories",
                      "accsim report DIR [DIR ...] [--out REPORT_DIR] [--baseline KEY=VALUE] [--epsilon FRACTION]\n"
                      "  DIR: accsim run/sweep/merge --out directories\n"
                      "  --out REPORT_DIR      where report.md, report.html, figures/ and tables/ go (default DIR/report)\n"
                      "  --baseline KEY=VALUE  grouped bars and a table of speedup/energy relative to this swept value\n"
                      "                        (e.g. arch=fixed16-iso-area); bit-width figures use it as reference\n"
                      "  --epsilon FRACTION    Pareto fronts drop points within this relative margin (default 0.01)",
                      report_command});

}  // namespace
}  // namespace accsim
