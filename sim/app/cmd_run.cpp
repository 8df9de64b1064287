// `accsim run --arch ARCH --workload WORKLOAD [--set k=v ...] [--out DIR] [--format table|json|csv]`
#include <iostream>

#include "sim/app/cli.hpp"
#include "sim/app/output.hpp"
#include "sim/workload/trace.hpp"
#include "sim/workload/workload_overrides.hpp"

namespace accsim {

namespace {

int run_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--arch", "--workload", "--set", "--workload-set", "--out", "--format"}, {"--check"},
            {"--set", "--workload-set"});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  const std::string format = args.get("--format", "table");
  if (format != "table" && format != "json" && format != "csv")
    throw UsageError("--format must be table, json or csv");
  RunRequest req;
  req.arch_path = args.require("--arch");
  if (args.has("--out")) check_output_dir(args.get("--out"));
  req.overrides = args.all("--set");
  req.workload = load_workload(args.require("--workload"));
  apply_workload_overrides(req.workload, args.all("--workload-set"));
  req.check_only = args.has("--check");
  if (req.check_only) {
    if (args.has("--out")) throw UsageError("--check writes nothing; drop --out");
    simulate(req);
    std::cerr << "accsim run: configuration and workload are valid (--check: nothing simulated)\n";
    return 0;
  }
  const RunOutput out = simulate(req);
  emit_run_output(out, format, args.get("--out"));
  return 0;
}

const CommandRegistrar run_registrar(
    "run", Command{"simulate a workload on an architecture",
                   "accsim run --arch ARCH.yaml|ARCH.cfg --workload TRACE.yaml|TOPOLOGY.csv|gemm:m=..,n=..,k=.. "
                   "[--set key.path=value ...] [--workload-set prune|dtype|wbits|abits|acc|seed|data=VALUE ...] [--out DIR] "
                   "[--format table|json|csv]",
                   run_command});

}  // namespace
}  // namespace accsim
