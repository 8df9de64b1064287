#pragma once
// Checks a sweep before anything runs or is written: every swept configuration value is tried with
// `accsim run --check` (parameters and layers validated, nothing simulated) on every architecture,
// so a typo such as compute.rowz stops the sweep before it creates its output directory.
#include <string>
#include <vector>

#include "sim/app/sweep/sweep_spec.hpp"

namespace accsim::sweep {

struct PreflightProblem {
  std::string what;  // "--grid compute.rowz=4 on configs/arch/x.yaml"
  std::string error;
  int exit_code = 2;
};

// Runs the checks with up to `jobs` children at a time; returns every problem found, in a fixed order.
std::vector<PreflightProblem> preflight(const Spec& spec, const std::string& exe, size_t jobs);

}  // namespace accsim::sweep
