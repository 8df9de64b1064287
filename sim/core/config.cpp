#include "sim/core/config.hpp"
#include "sim/core/suggest.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/parse_number.hpp"
#include "sim/core/yaml_checks.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace accsim {

template <> std::string type_name<int64_t>() { return "integer"; }
// "a number", "an integer": the article that reads right before a type name.
static std::string with_article(const std::string& type) {
  return (type.find_first_of("aeiou") == 0 ? "an " : "a ") + type;
}
template <> std::string type_name<double>() { return "number"; }
template <> std::string type_name<bool>() { return "bool"; }
template <> std::string type_name<std::string>() { return "string"; }

namespace {

std::string scalar_text(const YAML::Node& n) {
  if (n.IsScalar()) return n.Scalar();
  std::stringstream ss;
  ss << n;
  return ss.str();
}

template <class T>
std::string value_text(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_same_v<T, double>) {
    std::ostringstream ss;
    ss.precision(12);
    ss << v;
    return ss.str();
  } else {
    return std::to_string(v);
  }
}

}  // namespace

ConfigNode::ConfigNode(std::shared_ptr<ConfigTree> tree, YAML::Node node, YAML::Node resolved,
                       std::string path)
    : tree_(std::move(tree)),
      node_(node),
      resolved_(resolved),
      path_(std::move(path)),
      consumed_(std::make_shared<std::set<std::string>>()) {}

SourceLocation ConfigNode::where(const std::string& key) const {
  SourceLocation loc;
  loc.file = tree_->file;
  loc.key_path = key.empty() ? path_ : key_path(key);
  if (tree_->overridden.count(loc.key_path)) {
    loc.file = "--set";
    return loc;
  }
  const YAML::Node& self = node_;
  YAML::Mark mark = self.IsDefined() && !self.IsNull() ? self.Mark() : YAML::Mark::null_mark();
  if (!key.empty() && self.IsMap()) {
    const YAML::Node v = self[key];
    if (v.IsDefined()) mark = v.Mark();
  }
  if (!mark.is_null()) loc.line = mark.line + 1;
  return loc;
}

void ConfigNode::fail(const std::string& key, const std::string& message) const {
  throw InputError(where(key), message);
}

bool ConfigNode::has(const std::string& key) const {
  const YAML::Node& self = node_;
  return self.IsMap() && self[key].IsDefined() && !self[key].IsNull();
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> out;
  if (!node_.IsMap()) return out;
  for (const auto& kv : node_) out.push_back(kv.first.as<std::string>());
  return out;
}

template <class T>
std::optional<T> ConfigNode::read(const std::string& key) const {
  consumed_->insert(key);
  if (describing() || !has(key)) return std::nullopt;
  const YAML::Node v = static_cast<const YAML::Node&>(node_)[key];
  if (!v.IsScalar()) fail(key, "expected " + with_article(type_name<T>()) + ", got a " + (v.IsMap() ? "map" : "list"));
  try {
    if constexpr (std::is_same_v<T, int64_t>) {
      // Decimal (or 0x hex) integers only; a value past 64 bits is named, never wrapped.
      const std::string s = v.Scalar();
      std::optional<int64_t> parsed;
      if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        int64_t h = 0;
        const auto [end, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), h, 16);
        if (ec == std::errc() && end == s.data() + s.size() && s[2] != '-') parsed = h;
      } else {
        parsed = parse_int64(s);
      }
      if (!parsed) {
        const bool digits = s.find_first_not_of("+-0123456789") == std::string::npos && !s.empty();
        fail(key, "expected an integer, got '" + scalar_text(v) + "'" +
                      (digits ? " (does not fit a 64-bit integer)" : ""));
      }
      return *parsed;
    } else if constexpr (std::is_same_v<T, double>) {
      // Finite numbers only: inf, nan and values like 1e400 are errors, never silent infinities.
      const std::string s = v.Scalar();
      const auto parsed = parse_finite_double(s);
      if (!parsed) {
        if (s == ".inf" || s == "inf" || s == "+.inf" || s == "-.inf" || s == "-inf" || s == ".nan" || s == "nan")
          fail(key, "must be a finite number, got '" + s + "'");
        throw std::invalid_argument(s);
      }
      if (std::fabs(*parsed) > kMaxConfigNumber)
        fail(key, "must be at most 1e15 in magnitude, got '" + s + "'");
      return *parsed;
    } else {
      return v.as<T>();
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception&) {
    fail(key, "expected " + with_article(type_name<T>()) + ", got '" + scalar_text(v) + "'");
  }
}

template <class T>
void ConfigNode::record(const std::string& key, const std::optional<T>& fallback, const std::string& unit,
                        const std::string& doc, const T& value) {
  if (describing()) {
    tree_->describe->push_back(
        {key_path(key), type_name<T>(), fallback ? (value_text(*fallback).empty() ? "\"\"" : value_text(*fallback)) : std::string(), unit, doc});
    return;
  }
  // Doubles as 12 significant digits, so the resolved config shows 25.6 rather than 25.600000000000001.
  if constexpr (std::is_same_v<T, double>) {
    resolved_[key] = value_text(value);
  } else {
    resolved_[key] = value;
  }
}

template <class T>
T ConfigNode::get(const std::string& key, const T& fallback, const std::string& unit, const std::string& doc) {
  std::optional<T> v = read<T>(key);
  T value = v ? *v : fallback;
  record<T>(key, fallback, unit, doc, value);
  return value;
}

template <class T>
T ConfigNode::require(const std::string& key, const std::string& unit, const std::string& doc) {
  std::optional<T> v = read<T>(key);
  record<T>(key, std::nullopt, unit, doc, v ? *v : T{});
  if (describing()) return T{};
  if (!v) fail(key, "required key is missing (" + doc + ")");
  return *v;
}

int64_t ConfigNode::get_positive(const std::string& key, int64_t fallback, const std::string& unit,
                                 const std::string& doc) {
  int64_t v = get<int64_t>(key, fallback, unit, doc);
  if (!describing() && v <= 0) fail(key, "must be > 0 (got " + std::to_string(v) + ")");
  check_cap(key, v);
  return v;
}

double ConfigNode::get_positive(const std::string& key, double fallback, const std::string& unit,
                                const std::string& doc) {
  double v = get<double>(key, fallback, unit, doc);
  if (!describing() && !(v > 0)) fail(key, "must be > 0 (got " + value_text(v) + ")");
  return v;
}

int64_t ConfigNode::require_positive(const std::string& key, const std::string& unit, const std::string& doc) {
  int64_t v = require<int64_t>(key, unit, doc);
  if (!describing() && v <= 0) fail(key, "must be > 0 (got " + std::to_string(v) + ")");
  check_cap(key, v);
  return v;
}

void ConfigNode::check_cap(const std::string& key, int64_t v) const {
  if (!describing() && v > tree_->positive_int_max)
    fail(key, "must be <= " + std::to_string(tree_->positive_int_max) + " (got " + std::to_string(v) + "); " +
                  tree_->positive_int_max_reason);
}

std::string ConfigNode::get_choice(const std::string& key, const std::string& fallback,
                                   const std::vector<std::string>& choices, const std::string& doc) {
  std::string joined;
  for (const auto& c : choices) joined += (joined.empty() ? "" : "|") + c;
  std::string v = get<std::string>(key, fallback, joined, doc);
  if (describing()) return v;
  for (const auto& c : choices)
    if (c == v) return v;
  fail(key, "must be one of " + joined + " (got '" + v + "')");
}

ConfigNode ConfigNode::child(const std::string& key, const std::string& doc) {
  consumed_->insert(key);
  if (describing()) {
    tree_->describe->push_back({key_path(key), "map", "", "", doc});
    return ConfigNode(tree_, YAML::Node(), YAML::Node(), key_path(key));
  }
  YAML::Node sub;
  if (has(key)) {
    sub = static_cast<const YAML::Node&>(node_)[key];
    if (!sub.IsMap()) fail(key, "expected a map (" + doc + ")");
  }
  YAML::Node resolved_child(YAML::NodeType::Map);
  resolved_[key] = resolved_child;
  return ConfigNode(tree_, sub, resolved_[key], key_path(key));
}

void ConfigNode::finish() const {
  if (describing() || !node_.IsMap()) return;
  for (const auto& kv : node_) {
    const std::string k = kv.first.as<std::string>();
    if (!consumed_->count(k)) {
      SourceLocation loc = where(k);
      if (!tree_->overridden.count(loc.key_path)) loc.line = kv.first.Mark().line + 1;
      const std::vector<std::string> known(consumed_->begin(), consumed_->end());
      const std::string hint = did_you_mean(k, known);
      throw InputError(loc, "unknown key" + (hint.empty() ? " (see `accsim list` for the parameters of each component)" : hint));
    }
  }
}

YAML::Node load_yaml_file(const std::string& path) {
  const std::string text = read_input_text(path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(SourceLocation{path, e.mark.line + 1, ""}, "malformed YAML: " + e.msg);
  }
  check_yaml_document(root, path);
  return root;
}

ConfigNode open_config(YAML::Node root, const std::string& file, const std::vector<std::string>& overrides) {
  auto tree = std::make_shared<ConfigTree>();
  tree->file = file;
  tree->resolved = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw InputError(SourceLocation{file, 1, ""}, "expected a YAML map at the top level");
  for (const auto& assignment : overrides) apply_override(root, assignment, *tree);
  return ConfigNode(tree, root, tree->resolved, "");
}

ConfigNode describe_config(std::vector<ParamDoc>& sink) {
  auto tree = std::make_shared<ConfigTree>();
  tree->describe = &sink;
  return ConfigNode(tree, YAML::Node(), YAML::Node(), "");
}

void apply_override(YAML::Node root, const std::string& assignment, ConfigTree& tree) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(SourceLocation{"--set", 0, assignment}, "expected key.path=value");
  const std::string path = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string part; std::getline(ss, part, '.');) {
    if (part.empty()) throw InputError(SourceLocation{"--set", 0, path}, "empty segment in key path");
    parts.push_back(part);
  }
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw InputError(SourceLocation{"--set", 0, path}, "malformed value '" + value + "'");
  }
  check_yaml_document(parsed, "--set " + path);
  // yaml-cpp nodes are handles: walking with operator[] on copies edits the tree in place.
  std::vector<YAML::Node> chain{root};
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node next = chain.back()[parts[i]];
    if (!next.IsDefined() || next.IsNull()) {
      chain.back()[parts[i]] = YAML::Node(YAML::NodeType::Map);
      next = chain.back()[parts[i]];
    } else if (!next.IsMap()) {
      throw InputError(SourceLocation{"--set", 0, path}, "'" + parts[i] + "' is not a map");
    }
    chain.push_back(next);
  }
  chain.back()[parts.back()] = parsed;
  tree.overridden.insert(path);
}

template int64_t ConfigNode::get<int64_t>(const std::string&, const int64_t&, const std::string&, const std::string&);
template double ConfigNode::get<double>(const std::string&, const double&, const std::string&, const std::string&);
template bool ConfigNode::get<bool>(const std::string&, const bool&, const std::string&, const std::string&);
template std::string ConfigNode::get<std::string>(const std::string&, const std::string&, const std::string&,
                                                  const std::string&);
template int64_t ConfigNode::require<int64_t>(const std::string&, const std::string&, const std::string&);
template double ConfigNode::require<double>(const std::string&, const std::string&, const std::string&);
template std::string ConfigNode::require<std::string>(const std::string&, const std::string&, const std::string&);

}  // namespace accsim
