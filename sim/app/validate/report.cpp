#include "sim/app/validate/report.hpp"

#include <iomanip>
#include <sstream>

#include "sim/app/output.hpp"

namespace accsim::validate {

namespace {

std::string pct(double e) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(e < 0.1 ? 2 : 1) << 100.0 * e << "%";
  return s.str();
}

std::string num(double v) { return format_number(v, 6); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string verdict(const SuiteResult& r) {
  return "median error " + pct(r.median_error) + " (tolerance " + pct(r.suite.median_tolerance) + "), worst " +
         pct(r.worst_error) + " (" + r.worst_id + "): " + (r.pass ? "PASS" : "FAIL");
}

}  // namespace

void print_results(std::ostream& os, const std::vector<SuiteResult>& results) {
  for (const SuiteResult& r : results) {
    os << "suite " << r.suite.name << ": " << r.suite.description << "\n";
    os << "  " << std::left << std::setw(34) << "case" << std::right << std::setw(14) << "reference" << std::setw(14)
       << "accsim" << "  " << std::left << std::setw(10) << "unit" << std::right << std::setw(9) << "error" << std::setw(9)
       << "tol" << "  status\n";
    for (const CaseResult& c : r.cases)
      os << "  " << std::left << std::setw(34) << c.c.id << std::right << std::setw(14) << num(c.c.reference)
         << std::setw(14) << num(c.accsim) << "  " << std::left << std::setw(10) << c.c.unit << std::right << std::setw(9)
         << pct(c.error) << std::setw(9) << pct(c.c.tolerance) << "  " << (c.pass ? "ok" : "MISS") << "\n";
    os << "  " << verdict(r) << "\n\n";
  }
}

void write_csv(std::ostream& os, const std::vector<SuiteResult>& results) {
  os << "suite,id,reference,accsim,unit,metric,relative_error,tolerance,pass,command,baseline_command,source\n";
  for (const SuiteResult& r : results)
    for (const CaseResult& c : r.cases)
      os << csv_field(r.suite.name) << "," << csv_field(c.c.id) << "," << num(c.c.reference) << "," << num(c.accsim) << ","
         << csv_field(c.c.unit) << "," << csv_field(c.c.metric) << "," << format_number(c.error, 6) << ","
         << num(c.c.tolerance) << "," << (c.pass ? 1 : 0) << "," << csv_field(c.c.command) << ","
         << csv_field(c.c.baseline_command) << "," << csv_field(c.c.source) << "\n";
}

void write_markdown(std::ostream& os, const std::vector<SuiteResult>& results, const std::string& figure) {
  os << "| suite | cases | median error | tolerance | worst error (case) | result |\n|---|---:|---:|---:|---|---|\n";
  for (const SuiteResult& r : results)
    os << "| " << r.suite.name << " | " << r.cases.size() << " | " << pct(r.median_error) << " | "
       << pct(r.suite.median_tolerance) << " | " << pct(r.worst_error) << " (" << md_cell(r.worst_id) << ") | "
       << (r.pass ? "pass" : "**fail**") << " |\n";
  if (!figure.empty()) os << "\n![accsim vs reference, log-log, with y = x](" << figure << ")\n";
  for (const SuiteResult& r : results) {
    os << "\n### " << r.suite.name << "\n\n" << md_cell(r.suite.description) << "\n\n";
    os << "| case | reference | accsim | unit | error | tolerance | source |\n|---|---:|---:|---|---:|---:|---|\n";
    for (const CaseResult& c : r.cases)
      os << "| " << md_cell(c.c.id) << " | " << num(c.c.reference) << " | " << num(c.accsim) << " | " << md_cell(c.c.unit)
         << " | " << pct(c.error) << (c.pass ? "" : " **miss**") << " | " << pct(c.c.tolerance) << " | "
         << md_cell(c.c.source) << " |\n";
  }
}

}  // namespace accsim::validate
