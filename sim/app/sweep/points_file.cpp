#include "sim/app/sweep/points_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/core/error.hpp"

namespace accsim::sweep {

namespace {

constexpr size_t kMaxPoints = 10000000;  // as for grids: more is not a sweep one machine finishes

[[noreturn]] void fail(const std::string& path, int line, const std::string& what) {
  throw InputError(SourceLocation{path, line, ""}, what);
}

// One RFC 4180 record from `line` (no embedded newlines: a point is one line).
std::vector<std::string> csv_record(const std::string& line, const std::string& path, int no) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"' && out.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  if (quoted) fail(path, no, "unterminated quoted field");
  return out;
}

std::string json_value(const nlohmann::ordered_json& v, const std::string& key, const std::string& path, int no) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_number_unsigned() || v.is_number_float()) return v.dump();
  fail(path, no, "'" + key + "' must be a string or a number, not " + std::string(v.type_name()));
}

void add_point(PointsFile& pf, std::vector<std::string> values, std::set<std::vector<std::string>>& seen,
               std::map<std::vector<std::string>, int>& first_line, const std::string& path, int no) {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i].empty()) fail(path, no, "empty value for '" + pf.keys[i] + "'");
  if (!seen.insert(values).second)
    fail(path, no, "the same point as line " + std::to_string(first_line[values]));
  first_line[values] = no;
  pf.points.push_back(std::move(values));
  if (pf.points.size() > kMaxPoints) fail(path, no, "more than 10,000,000 points");
}

}  // namespace

PointsFile read_points_file(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext != ".csv" && ext != ".jsonl")
    throw InputError(SourceLocation{path, 0, "--points"}, "expected a .csv or .jsonl file");
  if (std::filesystem::is_directory(path)) throw InputError(SourceLocation{path, 0, "--points"}, "is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(SourceLocation{path, 0, "--points"}, "cannot read the file");
  PointsFile pf;
  std::set<std::vector<std::string>> seen;
  std::map<std::vector<std::string>, int> first_line;
  std::string line;
  int no = 0;
  while (std::getline(f, line)) {
    ++no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (ext == ".csv") {
      auto rec = csv_record(line, path, no);
      if (pf.keys.empty()) {
        std::set<std::string> uniq;
        for (const auto& k : rec) {
          if (k.empty()) fail(path, no, "an empty column name in the header");
          if (!uniq.insert(k).second) fail(path, no, "column '" + k + "' given twice");
        }
        pf.keys = rec;
        continue;
      }
      if (rec.size() != pf.keys.size())
        fail(path, no, std::to_string(rec.size()) + " fields, the header has " + std::to_string(pf.keys.size()));
      add_point(pf, std::move(rec), seen, first_line, path, no);
      continue;
    }
    nlohmann::ordered_json j;
    try {
      j = nlohmann::ordered_json::parse(line);
    } catch (const std::exception&) {
      fail(path, no, "malformed JSON");
    }
    if (!j.is_object() || j.empty()) fail(path, no, "a point must be a non-empty JSON object of key: value");
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    if (pf.keys.empty()) pf.keys = keys;
    std::vector<std::string> values;
    for (const auto& k : pf.keys) {
      if (!j.contains(k)) fail(path, no, "missing '" + k + "' (every point needs the keys of the first)");
      values.push_back(json_value(j[k], k, path, no));
    }
    if (j.size() != pf.keys.size()) {
      for (const auto& k : keys)
        if (std::find(pf.keys.begin(), pf.keys.end(), k) == pf.keys.end())
          fail(path, no, "key '" + k + "' is not in the first point");
    }
    add_point(pf, std::move(values), seen, first_line, path, no);
  }
  if (pf.points.empty()) throw InputError(SourceLocation{path, no, "--points"}, "no points in the file");
  return pf;
}

}  // namespace accsim::sweep
