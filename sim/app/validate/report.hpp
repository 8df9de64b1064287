#pragma once
// The validation results as a console table, CSV and Markdown.
#include <ostream>
#include <string>
#include <vector>

#include "sim/app/validate/runner.hpp"

namespace accsim::validate {

void print_results(std::ostream& os, const std::vector<SuiteResult>& results);
void write_csv(std::ostream& os, const std::vector<SuiteResult>& results);
void write_markdown(std::ostream& os, const std::vector<SuiteResult>& results, const std::string& figure);

}  // namespace accsim::validate
