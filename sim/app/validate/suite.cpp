#include "sim/app/validate/suite.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "sim/core/error.hpp"

namespace accsim::validate {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kHeader = {"id",      "reference",        "unit",      "metric",
                                          "command", "baseline_command", "tolerance", "source"};

std::string read_text(const std::string& path) {
  if (!fs::is_regular_file(path)) throw InputError(SourceLocation{path, 0, ""}, "missing (a suite needs suite.yaml and cases.csv)");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double parse_number(const std::string& text, const SourceLocation& where, bool positive) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || !std::isfinite(v))
    throw InputError(where, "'" + text + "' is not a finite number");
  if (positive ? v <= 0 : v < 0) throw InputError(where, "must be " + std::string(positive ? "> 0" : ">= 0") + ", got " + text);
  return v;
}

void read_suite_yaml(Suite& s, const std::string& path) {
  YAML::Node n;
  try {
    n = YAML::Load(read_text(path));
  } catch (const YAML::Exception& e) {
    throw InputError(SourceLocation{path, e.mark.line + 1, ""}, "not valid YAML: " + e.msg);
  }
  if (!n.IsMap()) throw InputError(SourceLocation{path, 1, ""}, "must be a map with description and median_tolerance");
  for (const auto& kv : n) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    const SourceLocation where{path, kv.first.Mark().line + 1, key};
    if (!kv.second.IsScalar()) throw InputError(where, "must be a scalar");
    if (key == "description") {
      s.description = kv.second.Scalar();
    } else if (key == "median_tolerance") {
      s.median_tolerance = parse_number(kv.second.Scalar(), where, false);
    } else {
      throw InputError(where, "unknown key (known: description, median_tolerance)");
    }
  }
  if (!n["description"]) throw InputError(SourceLocation{path, 1, "description"}, "missing");
  if (!n["median_tolerance"]) throw InputError(SourceLocation{path, 1, "median_tolerance"}, "missing");
}

Case read_case(const CsvRecord& r, const std::string& path) {
  auto where = [&](size_t col) { return SourceLocation{path, r.line, kHeader[col]}; };
  if (r.fields.size() != kHeader.size())
    throw InputError(SourceLocation{path, r.line, ""}, "has " + std::to_string(r.fields.size()) + " fields, the header " +
                                                            std::to_string(kHeader.size()) + " (quote fields holding commas)");
  Case c;
  c.line = r.line;
  c.id = r.fields[0];
  c.reference = parse_number(r.fields[1], where(1), true);
  c.unit = r.fields[2];
  c.metric = r.fields[3];
  c.command = r.fields[4];
  c.baseline_command = r.fields[5];
  c.tolerance = parse_number(r.fields[6], where(6), false);
  c.source = r.fields[7];
  for (size_t col : {0, 2, 3, 4, 7})
    if (r.fields[col].empty()) throw InputError(where(col), "must not be empty");
  if (std::count(c.metric.begin(), c.metric.end(), '/') > 1) throw InputError(where(3), "at most one '/' (a ratio of two paths)");
  if (split_command(c.command).empty()) throw InputError(where(4), "no arguments");
  return c;
}

}  // namespace

std::vector<CsvRecord> parse_csv(const std::string& text, const std::string& file) {
  std::vector<CsvRecord> out;
  CsvRecord rec;
  std::string field;
  int line = 1;
  bool quoted = false, any = false;
  rec.line = 1;
  auto end_record = [&]() {
    if (any || !field.empty() || !rec.fields.empty()) {
      rec.fields.push_back(field);
      out.push_back(rec);
    }
    rec = CsvRecord{};
    field.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    if (ch == '"' && field.empty()) {
      quoted = any = true;
    } else if (ch == '"') {
      throw InputError(SourceLocation{file, line, ""}, "a quote inside an unquoted field (RFC 4180: quote the whole field)");
    } else if (ch == ',') {
      rec.fields.push_back(field);
      field.clear();
      any = true;
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      rec.line = ++line;
    } else {
      field += ch;
    }
  }
  if (quoted) throw InputError(SourceLocation{file, rec.line, ""}, "unterminated quoted field");
  end_record();
  return out;
}

std::vector<std::string> split_command(const std::string& command) {
  std::vector<std::string> out;
  std::string cur;
  bool in_arg = false;
  char quote = 0;
  for (char ch : command) {
    if (quote) {
      if (ch == quote) quote = 0; else cur += ch;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      in_arg = true;
    } else if (ch == ' ' || ch == '\t') {
      if (in_arg) out.push_back(cur);
      cur.clear();
      in_arg = false;
    } else {
      cur += ch;
      in_arg = true;
    }
  }
  if (quote) throw InputError("unterminated quote in command '" + command + "'");
  if (in_arg) out.push_back(cur);
  return out;
}

Suite read_suite(const std::string& root, const std::string& name) {
  Suite s;
  s.name = name;
  const fs::path dir = fs::path(root) / "validation" / name;
  s.dir = (fs::path("validation") / name).string();
  if (name.empty() || name.find('/') != std::string::npos || !fs::is_directory(dir))
  {
    std::string known;
    for (const auto& n : list_suites(root)) known += (known.empty() ? "" : ", ") + n;
    throw InputError("no validation suite '" + name + "' (known: " + (known.empty() ? "none" : known) + ")");
  }
  read_suite_yaml(s, (fs::path(s.dir) / "suite.yaml").string());
  const std::string csv = (fs::path(s.dir) / "cases.csv").string();
  const auto records = parse_csv(read_text(csv), csv);
  if (records.empty() || records[0].fields != kHeader) {
    std::string want;
    for (const auto& h : kHeader) want += (want.empty() ? "" : ",") + h;
    throw InputError(SourceLocation{csv, 1, ""}, "header must be exactly " + want);
  }
  std::set<std::string> ids;
  for (size_t i = 1; i < records.size(); ++i) {
    Case c = read_case(records[i], csv);
    if (!ids.insert(c.id).second) throw InputError(SourceLocation{csv, c.line, "id"}, "duplicate id '" + c.id + "'");
    s.cases.push_back(std::move(c));
  }
  if (s.cases.empty()) throw InputError(SourceLocation{csv, 1, ""}, "no cases");
  return s;
}

std::vector<std::string> list_suites(const std::string& root) {
  std::vector<std::string> names;
  const fs::path dir = fs::path(root) / "validation";
  if (!fs::is_directory(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && fs::exists(e.path() / "suite.yaml")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace accsim::validate
