#pragma once
// Validation suites (validation/<suite>/suite.yaml + cases.csv): published or measured numbers,
// each with the accsim run it corresponds to and a tolerance. Plain C++; read once, validated.
#include <string>
#include <vector>

namespace accsim::validate {

struct Case {
  std::string id;
  double reference = 0;
  std::string unit;
  std::string metric;            // dotted JSON path, or PATH/PATH (a ratio)
  std::string command;           // arguments after `accsim run`
  std::string baseline_command;  // empty, or a second run: value = metric(baseline) / metric(command)
  double tolerance = 0;          // allowed |accsim - reference| / reference
  std::string source;
  int line = 0;                  // line of the row in cases.csv (for errors)
};

struct Suite {
  std::string name;
  std::string dir;               // validation/<name>
  std::string description;
  double median_tolerance = 0;
  std::vector<Case> cases;
};

// Reads validation/<name>/ under `root`. Any defect is an InputError naming file, line and column/key.
Suite read_suite(const std::string& root, const std::string& name);
// Names of every suite under root/validation (directories holding a suite.yaml), sorted.
std::vector<std::string> list_suites(const std::string& root);

// RFC 4180 record splitting; exposed for tests. Returns records with the line each starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};
std::vector<CsvRecord> parse_csv(const std::string& text, const std::string& file);
// Splits a command field into arguments: whitespace separates, '...' and "..." quote.
std::vector<std::string> split_command(const std::string& command);

}  // namespace accsim::validate
