#include "sim/app/validate/metric.hpp"

#include <vector>

#include "sim/core/parse_number.hpp"

namespace accsim::validate {

namespace {

std::vector<std::string> split_dots(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == '.') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

std::string join(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string s;
  for (size_t i = from; i < to; ++i) s += (i == from ? "" : ".") + parts[i];
  return s;
}

const nlohmann::json* child(const nlohmann::json& node, const std::string& key) {
  if (node.is_object()) {
    auto it = node.find(key);
    if (it != node.end()) return &*it;
    // The summary names the energy breakdown energy_breakdown_pj; suites say total.energy.<c>.
    if (key == "energy" && node.contains("energy_breakdown_pj")) return &node["energy_breakdown_pj"];
    return nullptr;
  }
  if (node.is_array()) {
    for (const auto& e : node)
      if (e.is_object() && e.contains("name") && e["name"].is_string() && e["name"].get<std::string>() == key) return &e;
  }
  return nullptr;
}

// Depth-first: at each level try the longest run of segments that names a key.
const nlohmann::json* walk(const nlohmann::json& node, const std::vector<std::string>& parts, size_t at) {
  if (at == parts.size()) return &node;
  for (size_t to = parts.size(); to > at; --to) {
    const nlohmann::json* c = child(node, join(parts, at, to));
    if (!c) continue;
    if (const nlohmann::json* found = walk(*c, parts, to)) return found;
  }
  return nullptr;
}

std::optional<double> single(const nlohmann::json& run, const std::string& path, std::string* why) {
  const nlohmann::json* v = walk(run, split_dots(path), 0);
  if (!v) {
    if (why) *why = "no '" + path + "' in the run's JSON output";
    return std::nullopt;
  }
  if (!v->is_number()) {
    if (why) *why = "'" + path + "' is not a number";
    return std::nullopt;
  }
  return v->get<double>();
}

}  // namespace

// A trailing "*FACTOR" converts units (e.g. pJ/s * 1e-9 = mW) so a row can state its figure in the
// unit its source uses.
std::optional<double> metric_value(const nlohmann::json& run, const std::string& path, std::string* why) {
  const size_t star = path.rfind('*');
  if (star != std::string::npos) {
    const auto factor = parse_finite_double(path.substr(star + 1));
    if (!factor) {
      if (why) *why = "'" + path.substr(star + 1) + "' after '*' is not a finite number";
      return std::nullopt;
    }
    const auto v = metric_value(run, path.substr(0, star), why);
    return v ? std::optional<double>(*v * *factor) : std::nullopt;
  }
  const size_t slash = path.find('/');
  if (slash == std::string::npos) return single(run, path, why);
  const auto num = single(run, path.substr(0, slash), why);
  const auto den = single(run, path.substr(slash + 1), why);
  if (!num || !den) return std::nullopt;
  if (*den == 0) {
    if (why) *why = "'" + path.substr(slash + 1) + "' is 0";
    return std::nullopt;
  }
  return *num / *den;
}

}  // namespace accsim::validate
