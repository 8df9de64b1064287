#pragma once
// Checks every YAML document accsim reads (architectures, traces, energy tables, --set values)
// before any key is looked up: yaml-cpp silently keeps the first of two equal keys and accepts
// non-scalar keys and invalid UTF-8; here each is a located InputError (exit 2).
#include <string>

#include <yaml-cpp/yaml.h>

namespace accsim {

// Throws InputError for a duplicate key (naming both lines), a key that is not a scalar, or a
// scalar that is not valid UTF-8. Walks with an explicit stack: no recursion on input depth.
void check_yaml_document(const YAML::Node& root, const std::string& file);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool valid_utf8(const std::string& text);

}  // namespace accsim
