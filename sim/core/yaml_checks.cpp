#include "sim/core/yaml_checks.hpp"

#include <unordered_map>
#include <vector>

#include "sim/core/error.hpp"

namespace accsim {

bool valid_utf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned c = s[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t j = 1; j < len; ++j) {
      if ((s[i + j] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    static const uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

namespace {

int line_of(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }

void check_scalar(const YAML::Node& n, const std::string& file) {
  if (!valid_utf8(n.Scalar()))
    throw InputError(SourceLocation{file, line_of(n), ""}, "text is not valid UTF-8");
}

}  // namespace

void check_yaml_document(const YAML::Node& root, const std::string& file) {
  std::vector<YAML::Node> stack{root};
  while (!stack.empty()) {
    const YAML::Node node = stack.back();
    stack.pop_back();
    if (node.IsScalar()) {
      check_scalar(node, file);
    } else if (node.IsSequence()) {
      for (const auto& item : node) stack.push_back(item);
    } else if (node.IsMap()) {
      std::unordered_map<std::string, YAML::Mark> seen;
      for (const auto& kv : node) {
        const YAML::Node& key = kv.first;
        if (!key.IsScalar())
          throw InputError(SourceLocation{file, line_of(key), ""},
                           "a map key must be a plain name, not a " +
                               std::string(key.IsMap() ? "map" : key.IsSequence() ? "list" : "null"));
        check_scalar(key, file);
        const auto [it, fresh] = seen.emplace(key.Scalar(), key.Mark());
        if (!fresh) {
          const YAML::Mark& first = it->second;
          const bool same_line = first.line == key.Mark().line;
          throw InputError(SourceLocation{file, line_of(key), key.Scalar()},
                           "key given twice (first at line " + std::to_string(first.line + 1) +
                               (same_line ? ", column " + std::to_string(first.column + 1) +
                                                "; again at column " + std::to_string(key.Mark().column + 1)
                                          : std::string()) + ")");
        }
        stack.push_back(kv.second);
      }
    }
  }
}

}  // namespace accsim
