#include "sim/workload/workload_overrides.hpp"

#include <algorithm>
#include <map>

#include "sim/core/parse_number.hpp"
#include "sim/workload/trace.hpp"

namespace accsim {

const std::vector<std::string>& workload_override_keys() {
  static const std::vector<std::string> keys = {"dtype", "wbits", "abits", "acc", "prune", "seed", "data"};
  return keys;
}

namespace {

int parse_bits(const std::string& text, const SourceLocation& where) {
  return static_cast<int>(parse_int_in(text, 1, 32, where, "bit width"));
}

}  // namespace

void apply_workload_overrides(Workload& workload, const std::vector<std::string>& settings) {
  std::map<std::string, std::string> kv;
  for (const auto& s : settings) {
    const auto eq = s.find('=');
    const std::string key = s.substr(0, eq);
    const SourceLocation where{"--workload-set", 0, key};
    if (eq == std::string::npos || eq == 0 || eq + 1 == s.size())
      throw InputError(SourceLocation{"--workload-set", 0, s}, "expected key=value");
    const auto& known = workload_override_keys();
    if (std::find(known.begin(), known.end(), key) == known.end())
      throw InputError(where, "unknown key (known: dtype, wbits, abits, acc, prune, seed, data)");
    if (kv.count(key)) throw InputError(where, "given twice");
    kv[key] = s.substr(eq + 1);
  }
  for (const auto& key : workload_override_keys()) {
    if (!kv.count(key)) continue;
    const std::string& value = kv[key];
    const SourceLocation where{"--workload-set", 0, key};
    if (key == "dtype") {
      DType t;
      if (!parse_dtype(value, t)) throw InputError(where, "unknown dtype '" + value + "'");
      for (auto& l : workload.layers) {
        l.weights.dtype = l.activations.dtype = l.outputs.dtype = t;
        l.accumulators.dtype = default_accumulator(t);
      }
    } else if (key == "wbits") {
      const DType t = int_dtype(parse_bits(value, where));
      for (auto& l : workload.layers)
        if (has_weights(l)) l.weights.dtype = t;
    } else if (key == "abits") {
      const DType t = int_dtype(parse_bits(value, where));
      for (auto& l : workload.layers) l.activations.dtype = l.outputs.dtype = t;
    } else if (key == "acc") {
      DType t;
      if (!parse_dtype(value, t)) throw InputError(where, "unknown dtype '" + value + "'");
      for (auto& l : workload.layers) l.accumulators.dtype = t;
    } else if (key == "prune") {
      const Compression c = parse_prune_spec(value, where);
      for (auto& l : workload.layers) {
        if (!has_weights(l)) continue;
        const uint64_t seed = l.weights.compression.seed;  // keep the trace's synthetic-weight seed
        l.weights.compression = c;
        l.weights.compression.seed = seed;
      }
    } else if (key == "data") {
      const ValueDist d = read_value_dist(value, where);
      for (auto& l : workload.layers) l.weights.values = l.activations.values = d;
    } else if (key == "seed") {
      const auto s = parse_uint64(value);
      if (!s) throw InputError(where, "must be a non-negative 64-bit integer, got '" + value + "'");
      for (auto& l : workload.layers)
        if (has_weights(l)) l.weights.compression.seed = *s;
    }
  }
}

}  // namespace accsim
