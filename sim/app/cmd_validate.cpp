// `accsim validate [--suite NAME ...] [--out DIR]`: runs the validation suites shipped in
// validation/<suite>/ (published measurements, each with the accsim run it corresponds to) and
// reports per case and per suite how far accsim is from them. Exit 1 when a suite misses its
// tolerance, 2 for a bad suite file or a case whose run fails.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "sim/app/cli.hpp"
#include "sim/app/sweep/point_runner.hpp"
#include "sim/app/validate/report.hpp"
#include "sim/app/validate/runner.hpp"
#include "sim/app/validate/suite.hpp"
#include "sim/core/error.hpp"

namespace accsim {

namespace {

namespace fs = std::filesystem;

// Suites name paths relative to the repository root: the working directory when it holds
// validation/, else the source tree the binary sits in (build/accsim -> ..).
fs::path find_root() {
  if (fs::is_directory("validation")) return fs::current_path();
  const fs::path up = fs::path(sweep::self_executable()).parent_path().parent_path();
  if (fs::is_directory(up / "validation")) return up;
  throw InputError("no validation/ directory here or next to the accsim binary (run from the repository root)");
}

void write_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw InputError(SourceLocation{path.string(), 0, ""}, "cannot write");
  }
  fs::rename(tmp, path);
}

// The figure is drawn by scripts/validate_plot.py with Debian's python3-matplotlib.
void draw_figure(const fs::path& root, const fs::path& out) {
  const std::string python = std::getenv("ACCSIM_PYTHON") ? std::getenv("ACCSIM_PYTHON")
                             : fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  std::vector<std::string> args = {(root / "scripts" / "validate_plot.py").string(), (out / "validation.csv").string(),
                                   (out / "validation.png").string()};
  std::string exe = python;
  if (exe.find('/') == std::string::npos) {  // a bare name: let env search PATH
    args.insert(args.begin(), exe);
    exe = "/usr/bin/env";
  }
  const sweep::ChildResult r = sweep::run_child(exe, args, nullptr);
  if (r.exit_code != 0) throw InputError("drawing the figure failed: " + r.err.substr(0, r.err.find('\n')) + " (install python3-matplotlib)");
}

int validate_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--suite", "--out"}, {}, {"--suite"});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  fs::path out;
  if (args.has("--out")) {
    out = fs::absolute(args.get("--out"));
    // Checked before any simulation: a run of minutes must not end in an unwritable folder.
    if (fs::exists(out) && !fs::is_directory(out))
      throw InputError(SourceLocation{args.get("--out"), 0, "--out"}, "exists and is not a directory");
  }
  const fs::path root = find_root();
  fs::current_path(root);
  std::vector<std::string> names = args.all("--suite");
  if (names.empty()) names = validate::list_suites(".");
  if (names.empty()) throw InputError("no suites under " + (root / "validation").string());
  std::vector<validate::Suite> suites;  // read them all first: a bad file fails before any run
  for (const auto& n : names) suites.push_back(validate::read_suite(".", n));
  std::vector<validate::SuiteResult> results;
  std::map<std::string, double> cache;
  for (const auto& s : suites) {
    std::cerr << "validate: suite " << s.name << " (" << s.cases.size() << " cases)\n";
    results.push_back(validate::run_suite(s, &cache));
  }
  validate::print_results(std::cout, results);
  if (!out.empty()) {
    fs::create_directories(out);
    std::ostringstream csv, md;
    validate::write_csv(csv, results);
    write_file(out / "validation.csv", csv.str());
    validate::write_markdown(md, results, "validation.png");
    write_file(out / "validation.md", md.str());
    draw_figure(root, out);
  }
  bool pass = true;
  for (const auto& r : results) pass = pass && r.pass;
  return pass ? 0 : 1;
}

const CommandRegistrar validate_registrar(
    "validate", Command{"compare accsim with published measurements (validation/<suite>/cases.csv)",
                        "accsim validate [--suite NAME ...] [--out DIR]   (exit 1: a suite misses its tolerance)",
                        validate_command});

}  // namespace
}  // namespace accsim
