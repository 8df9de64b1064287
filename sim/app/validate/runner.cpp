#include "sim/app/validate/runner.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>

#include "sim/app/cli.hpp"
#include "sim/app/output.hpp"
#include "sim/hw/accelerator.hpp"
#include "sim/workload/trace.hpp"
#include "sim/workload/workload_overrides.hpp"
#include "sim/app/validate/metric.hpp"
#include "sim/core/error.hpp"

namespace accsim::validate {

namespace {

// The arguments of one `accsim run` (the case's command field), simulated in this process
// (arch10's many-simulations-per-process kernel); returns summary.json as `accsim run` prints it.
nlohmann::json run_in_process(const std::vector<std::string>& argv) {
  Args args(argv, {"--arch", "--workload", "--set", "--workload-set"}, {}, {"--set", "--workload-set"});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  RunRequest req;
  req.arch_path = args.require("--arch");
  req.overrides = args.all("--set");
  req.workload = load_workload(args.require("--workload"));
  apply_workload_overrides(req.workload, args.all("--workload-set"));
  return nlohmann::json::parse(summary_json(Simulation::run(req)).dump());
}

double run_metric(const Case& c, const std::string& args_text, const std::string& column, const std::string& csv,
                  std::map<std::string, double>* cache) {
  const SourceLocation where{csv, c.line, column};
  const std::string key = args_text + "\n" + c.metric;
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  nlohmann::json j;
  try {
    j = run_in_process(split_command(args_text));
  } catch (const UsageError& e) {
    throw InputError(where, std::string("not arguments of accsim run: ") + e.what());
  } catch (const InputError& e) {
    throw InputError(where, "accsim run " + args_text + " failed: " + e.what());
  }
  std::string why;
  const auto v = metric_value(j, c.metric, &why);
  if (!v) throw InputError(SourceLocation{csv, c.line, "metric"}, why);
  cache->emplace(key, *v);
  return *v;
}

}  // namespace

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

SuiteResult run_suite(const Suite& suite, std::map<std::string, double>* cache) {
  SuiteResult res;
  res.suite = suite;
  const std::string csv = suite.dir + "/cases.csv";
  std::vector<double> errors;
  res.pass = true;
  for (const Case& c : suite.cases) {
    CaseResult cr;
    cr.c = c;
    const double value = run_metric(c, c.command, "command", csv, cache);
    if (c.baseline_command.empty()) {
      cr.accsim = value;
    } else {
      const double base = run_metric(c, c.baseline_command, "baseline_command", csv, cache);
      if (value == 0) throw InputError(SourceLocation{csv, c.line, "metric"}, "is 0 for the command: no ratio");
      cr.accsim = base / value;
    }
    cr.error = std::fabs(cr.accsim - c.reference) / c.reference;
    cr.pass = cr.error <= c.tolerance;
    res.pass = res.pass && cr.pass;
    if (cr.error >= res.worst_error) {
      res.worst_error = cr.error;
      res.worst_id = c.id;
    }
    errors.push_back(cr.error);
    res.cases.push_back(std::move(cr));
  }
  res.median_error = median(errors);
  res.pass = res.pass && res.median_error <= suite.median_tolerance;
  return res;
}

}  // namespace accsim::validate
