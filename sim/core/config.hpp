#pragma once
// A typed, self-documenting view of one YAML config tree.
//
// Components read their own node through ConfigNode: every read names a unit and a doc string, fills
// in defaults, and is copied into the resolved config. finish() turns any key nobody read into an
// error, so a typo never silently falls back to a default. The same reading code runs in "describe"
// mode (no YAML at all) to produce `accsim list`.
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/core/error.hpp"

namespace accsim {

// Every floating-point config value must be finite and at most this in magnitude (docs/reliability.md).
constexpr double kMaxConfigNumber = 1e15;

struct ParamDoc {
  std::string path;
  std::string type;
  std::string default_text;  // empty when required
  std::string unit;
  std::string doc;
};

struct ConfigTree {
  std::string file;                 // the file the tree was read from
  YAML::Node resolved;              // every parameter read, defaults filled in
  std::set<std::string> overridden; // dotted paths set on the command line
  std::vector<ParamDoc>* describe = nullptr;  // non-null: describe mode, no validation
  // Upper bound of get_positive/require_positive integers (architectures cap hardware sizes).
  int64_t positive_int_max = INT64_MAX;
  std::string positive_int_max_reason;
};

class ConfigNode {
 public:
  ConfigNode(std::shared_ptr<ConfigTree> tree, YAML::Node node, YAML::Node resolved, std::string path);

  // A parameter with a default.
  template <class T>
  T get(const std::string& key, const T& fallback, const std::string& unit, const std::string& doc);
  std::string get(const std::string& key, const char* fallback, const std::string& unit, const std::string& doc) {
    return get<std::string>(key, std::string(fallback), unit, doc);
  }
  // A parameter with no default: missing is an error.
  template <class T>
  T require(const std::string& key, const std::string& unit, const std::string& doc);

  // Integers that size hardware must be positive; these read and check in one step.
  int64_t get_positive(const std::string& key, int64_t fallback, const std::string& unit,
                       const std::string& doc);
  double get_positive(const std::string& key, double fallback, const std::string& unit,
                      const std::string& doc);
  int64_t require_positive(const std::string& key, const std::string& unit, const std::string& doc);
  // A string restricted to a set of choices.
  std::string get_choice(const std::string& key, const std::string& fallback,
                         const std::vector<std::string>& choices, const std::string& doc);

  // A nested map; absent means "all defaults". Present but not a map is an error.
  ConfigNode child(const std::string& key, const std::string& doc);
  bool has(const std::string& key) const;
  // Marks a key as read by code that walks it itself (lists, pairs), so finish() accepts it.
  void consume(const std::string& key) const { consumed_->insert(key); }
  std::vector<std::string> keys() const;  // keys of this map, in file order

  // Errors for any key of this map that no read consumed.
  void finish() const;

  bool describing() const { return tree_->describe != nullptr; }
  const std::string& path() const { return path_; }
  std::string key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  SourceLocation where(const std::string& key = "") const;
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  const std::shared_ptr<ConfigTree>& tree() const { return tree_; }
  const YAML::Node& raw() const { return node_; }

 private:
  template <class T>
  std::optional<T> read(const std::string& key) const;
  void check_cap(const std::string& key, int64_t v) const;
  template <class T>
  void record(const std::string& key, const std::optional<T>& fallback, const std::string& unit,
              const std::string& doc, const T& value);

  std::shared_ptr<ConfigTree> tree_;
  YAML::Node node_;
  YAML::Node resolved_;
  std::string path_;
  std::shared_ptr<std::set<std::string>> consumed_;
};

// Reads a YAML file; syntax errors become InputError with the file and line.
YAML::Node load_yaml_file(const std::string& path);
// Opens a config tree rooted at a YAML node read from `file`, after applying `key.path=value`
// overrides (from --set) to it.
ConfigNode open_config(YAML::Node root, const std::string& file, const std::vector<std::string>& overrides = {});
// A root node for describe mode, writing parameter docs into `sink`.
ConfigNode describe_config(std::vector<ParamDoc>& sink);
// Applies `a.b.c=value` to a YAML tree, creating maps along the path; the value is parsed as YAML.
void apply_override(YAML::Node root, const std::string& assignment, ConfigTree& tree);

template <class T>
std::string type_name();

}  // namespace accsim
