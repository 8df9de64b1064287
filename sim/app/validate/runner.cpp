#include "sim/app/validate/runner.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>

#include "sim/app/sweep/point_runner.hpp"
#include "sim/app/validate/metric.hpp"
#include "sim/core/error.hpp"

namespace accsim::validate {

namespace {

std::string first_line(const std::string& s) {
  const auto nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}

// One `accsim run` of the case's arguments; the metric's value from its JSON.
double run_metric(const Case& c, const std::string& args_text, const std::string& column, const std::string& csv,
                  const std::string& exe, std::map<std::string, double>* cache) {
  const SourceLocation where{csv, c.line, column};
  const std::string key = args_text + "\n" + c.metric;
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  std::vector<std::string> args = {"run"};
  for (auto& a : split_command(args_text)) args.push_back(a);
  args.push_back("--format");
  args.push_back("json");
  const sweep::ChildResult r = sweep::run_child(exe, args, nullptr);
  if (r.exit_code != 0)
    throw InputError(where, "accsim run " + args_text + " failed (exit " + std::to_string(r.exit_code) + "): " +
                                first_line(r.err));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.out);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(where, std::string("accsim run gave no JSON: ") + e.what());
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

SuiteResult run_suite(const Suite& suite, const std::string& exe, std::map<std::string, double>* cache) {
  SuiteResult res;
  res.suite = suite;
  const std::string csv = suite.dir + "/cases.csv";
  std::vector<double> errors;
  res.pass = true;
  for (const Case& c : suite.cases) {
    CaseResult cr;
    cr.c = c;
    const double value = run_metric(c, c.command, "command", csv, exe, cache);
    if (c.baseline_command.empty()) {
      cr.accsim = value;
    } else {
      const double base = run_metric(c, c.baseline_command, "baseline_command", csv, exe, cache);
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
