#pragma once
// Runs a suite's cases (each an `accsim run`, simulated in this process) and scores them.
#include <map>
#include <string>
#include <vector>

#include "sim/app/validate/suite.hpp"

namespace accsim::validate {

struct CaseResult {
  Case c;
  double accsim = 0;
  double error = 0;  // |accsim - reference| / reference
  bool pass = false;
};

struct SuiteResult {
  Suite suite;
  std::vector<CaseResult> cases;
  double median_error = 0, worst_error = 0;
  std::string worst_id;
  bool pass = false;
};

// Median of a non-empty list (mean of the middle two for an even count).
double median(std::vector<double> v);

// Runs every case in this process; runs with the same arguments are simulated once. A case whose
// run fails or whose metric is missing is an InputError at its cases.csv line.
SuiteResult run_suite(const Suite& suite, std::map<std::string, double>* cache);

}  // namespace accsim::validate
