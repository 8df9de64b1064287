#include "sim/app/sweep/sweep_spec.hpp"

#include <algorithm>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include "sim/app/cli.hpp"
#include "sim/core/config.hpp"
#include "sim/core/parse_number.hpp"
#include "sim/workload/trace.hpp"
#include "sim/workload/workload_overrides.hpp"

namespace accsim::sweep {

namespace {

// Keys of the inline gemm spec (sim/workload/inline_spec.cpp) a sweep may vary.
const std::vector<std::string> kWorkloadParams = {"m", "n", "k", "batch", "dtype", "wbits", "abits", "acc", "seed", "prune"};
const std::string kWorkloadPrefix = "workload.";

bool is_workload_param(const std::string& key) { return key.rfind(kWorkloadPrefix, 0) == 0; }

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::stringstream ss(s);
  while (std::getline(ss, part, sep)) out.push_back(part);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

// Integer ranges: A..B (step 1), A..B+S (arithmetic), A..B*F (geometric); B is inclusive.
// Parsed by hand (std::regex recursed per character and overflowed the stack on ~40k-char values);
// bounds are checked 64-bit integers and the loop never steps past INT64_MAX.
constexpr uint64_t kMaxRangeValues = 1000000;

bool expand_range(const std::string& token, std::vector<std::string>& out, const std::string& key) {
  const auto dots = token.find("..");
  if (dots == std::string::npos) return false;
  const std::string first = token.substr(0, dots), rest = token.substr(dots + 2);
  const auto op_at = rest.find_first_of("+*");
  const std::string second = rest.substr(0, op_at);
  const std::string step_text = op_at == std::string::npos ? "" : rest.substr(op_at + 1);
  auto integer = [](const std::string& t, bool sign) {
    const size_t digits_from = sign && !t.empty() && t[0] == '-' ? 1 : 0;
    return t.size() > digits_from && t.find_first_not_of("0123456789", digits_from) == std::string::npos;
  };
  if (!integer(first, true) || !integer(second, true) || (op_at != std::string::npos && !integer(step_text, false)))
    return false;
  const auto lo_v = parse_int64(first), hi_v = parse_int64(second);
  const auto step_v = op_at == std::string::npos ? std::optional<int64_t>(1) : parse_int64(step_text);
  if (!lo_v || !hi_v || !step_v)
    throw UsageError("--grid " + key + ": a range bound or step in '" + token.substr(0, 80) + "' does not fit a 64-bit integer");
  const int64_t lo = *lo_v, hi = *hi_v, step = *step_v;
  const char op = op_at == std::string::npos ? '+' : rest[op_at];
  if (hi < lo) throw UsageError("--grid " + key + ": range " + token + " is empty (end below start)");
  if (op == '+' && step < 1) throw UsageError("--grid " + key + ": range step must be >= 1 in " + token);
  if (op == '*' && (step < 2 || lo < 1))
    throw UsageError("--grid " + key + ": geometric range needs start >= 1 and factor >= 2 in " + token);
  // Counted before expanding: building a million strings first took seconds (a fuzz timeout).
  uint64_t count = 1;
  if (op == '+') {
    count += (static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo)) / static_cast<uint64_t>(step);
  } else {
    for (int64_t v = lo, next; !__builtin_mul_overflow(v, step, &next) && next <= hi; v = next) ++count;
  }
  if (count > kMaxRangeValues || out.size() + count > kMaxRangeValues)
    throw UsageError("--grid " + key + ": range " + token.substr(0, 80) + " has too many values (" +
                     std::to_string(count) + "; at most 1000000 per key)");
  out.reserve(out.size() + count);
  for (int64_t v = lo;;) {
    out.push_back(std::to_string(v));
    int64_t next;
    if (op == '+' ? __builtin_add_overflow(v, step, &next) : __builtin_mul_overflow(v, step, &next)) break;
    if (next > hi) break;
    v = next;
  }
  return true;
}

// A dotted path of identifiers, [A-Za-z_][A-Za-z0-9_]* separated by single dots.
bool dotted_key(const std::string& key) {
  bool at_start = true;
  for (const char c : key) {
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (c == '.') {
      if (at_start) return false;
      at_start = true;
    } else if (alpha || (!at_start && c >= '0' && c <= '9')) {
      at_start = false;
    } else {
      return false;
    }
  }
  return !at_start;
}

// splitmix64 (Steele, Lea & Flood, OOPSLA 2014): a fixed, portable generator, so a seed selects the
// same sample on every platform (std:: distributions are implementation-defined).
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n] by rejection, without modulo bias.
  uint64_t upto(uint64_t n) {
    if (n == std::numeric_limits<uint64_t>::max()) return next();
    const uint64_t range = n + 1;
    const uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % range;
    for (;;) {
      const uint64_t x = next();
      if (x < limit) return x % range;
    }
  }
};

std::string with_workload_params(const std::string& base, const std::vector<std::pair<std::string, std::string>>& kv) {
  const auto colon = base.find(':');
  std::vector<std::pair<std::string, std::string>> items;
  for (const auto& item : split(base.substr(colon + 1), ',')) {
    const auto eq = item.find('=');
    items.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
  }
  for (const auto& [key, value] : kv) {
    const std::string& k = key;  // clang 14 cannot capture a structured binding in a lambda
    auto it = std::find_if(items.begin(), items.end(), [&](const auto& p) { return p.first == k; });
    if (it != items.end())
      it->second = value;
    else
      items.emplace_back(key, value);
  }
  std::string out = base.substr(0, colon + 1);
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i].first + "=" + items[i].second;
  return out;
}

}  // namespace

std::string fnv1a_hex(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64-bit offset basis and prime (Fowler/Noll/Vo)
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

uint64_t Spec::grid_size() const {
  if (!points_file.empty()) return points.size();
  uint64_t n = 1;
  for (const auto& d : dims) {
    if (d.values.empty()) return 0;
    if (n > std::numeric_limits<uint64_t>::max() / d.values.size())
      throw UsageError("the grid has more than 2^64 points; use fewer values");
    n *= d.values.size();
  }
  return n;
}

Dimension parse_grid_option(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw UsageError("--grid expects key=v1,v2,... got '" + text + "'");
  Dimension d;
  d.key = text.substr(0, eq);
  if (!dotted_key(d.key))
    throw UsageError("--grid " + d.key.substr(0, 80) + ": a key is a dotted path like compute.rows or workload.prune");
  if (d.key == "workload" || d.key == "arch")
    throw UsageError("--grid " + d.key + ": give these with --" + d.key + " (repeatable)");
  if (is_workload_param(d.key)) {
    const std::string p = d.key.substr(kWorkloadPrefix.size());
    if (std::find(kWorkloadParams.begin(), kWorkloadParams.end(), p) == kWorkloadParams.end())
      throw UsageError("--grid " + d.key + ": unknown workload parameter '" + p +
                       "' (known: m, n, k, batch, dtype, wbits, abits, acc, seed, prune)");
  }
  for (const auto& token : split(text.substr(eq + 1), ',')) {
    if (token.empty()) throw UsageError("--grid " + d.key + ": empty value in '" + text.substr(eq + 1) + "'");
    if (!expand_range(token, d.values, d.key)) d.values.push_back(token);
  }
  std::set<std::string> seen;
  for (const auto& v : d.values)
    if (!seen.insert(v).second) throw UsageError("--grid " + d.key + ": value '" + v + "' given twice");
  return d;
}

void parse_shard(const std::string& text, int& index, int& count) {
  static const std::regex re(R"((\d{1,6})/(\d{1,6}))");
  std::smatch m;
  if (!std::regex_match(text, m, re)) throw UsageError("--shard expects I/N (0 <= I < N), got '" + text + "'");
  index = std::stoi(m[1]);
  count = std::stoi(m[2]);
  if (count < 1 || index >= count) throw UsageError("--shard expects I/N with 0 <= I < N, got '" + text + "'");
}

std::vector<uint64_t> selected_indices(const Spec& spec) {
  const uint64_t total = spec.grid_size();
  std::vector<uint64_t> out;
  if (spec.random == 0 || spec.random >= total) {
    if (total > 10000000) throw UsageError("the grid has " + std::to_string(total) + " points; sample it with --random N");
    out.resize(total);
    for (uint64_t i = 0; i < total; ++i) out[i] = i;
    return out;
  }
  // Floyd's algorithm: `random` distinct indices, each subset equally likely, O(random) memory.
  SplitMix64 rng{spec.seed};
  std::set<uint64_t> chosen;
  for (uint64_t j = total - spec.random; j < total; ++j) {
    const uint64_t t = rng.upto(j);
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  return {chosen.begin(), chosen.end()};
}

std::vector<uint64_t> shard_indices(const Spec& spec) {
  const auto all = selected_indices(spec);
  if (spec.shard_count == 1) return all;
  // Round robin rather than contiguous slices: neighbouring grid points cost about the same, so
  // striding spreads the expensive corners of the grid over all shards.
  std::vector<uint64_t> out;
  for (size_t p = static_cast<size_t>(spec.shard_index); p < all.size(); p += static_cast<size_t>(spec.shard_count))
    out.push_back(all[p]);
  return out;
}

Point make_point(const Spec& spec, uint64_t index) {
  Point p;
  p.index = index;
  p.params.resize(spec.dims.size());
  uint64_t rest = index;
  for (size_t d = spec.dims.size(); !spec.points_file.empty() && d-- > 0;)
    p.params[d] = {spec.dims[d].key, spec.points.at(index)[d]};
  for (size_t d = spec.dims.size(); spec.points_file.empty() && d-- > 0;) {
    const auto& dim = spec.dims[d];
    p.params[d] = {dim.key, dim.values[rest % dim.values.size()]};
    rest /= dim.values.size();
  }
  auto sorted = p.params;
  std::sort(sorted.begin(), sorted.end());
  // The architecture leads, whether fixed or swept, so a point's id is the same in both kinds of sweep.
  std::string canonical = "arch=" + point_arch(spec, p) + "\n";
  for (const auto& [k, v] : sorted)
    if (k != "arch") canonical += k + "=" + v + "\n";
  p.id = fnv1a_hex(canonical);
  return p;
}

std::string point_arch(const Spec& spec, const Point& point) {
  for (const auto& [k, v] : point.params)
    if (k == "arch") return v;
  return spec.arch;
}

bool is_inline(const std::string& workload) { return workload.rfind("gemm:", 0) == 0; }

// Inline specs take workload.<p> values into the spec itself (the row then names a plain, runnable
// workload); trace and CSV workloads get them as `accsim run --workload-set p=value`.
std::string point_workload(const Point& point) {
  std::string base;
  std::vector<std::pair<std::string, std::string>> wl;
  for (const auto& [k, v] : point.params) {
    if (k == "workload") base = v;
    else if (is_workload_param(k)) wl.emplace_back(k.substr(kWorkloadPrefix.size()), v);
  }
  return wl.empty() || !is_inline(base) ? base : with_workload_params(base, wl);
}

std::vector<std::string> run_arguments(const Spec& spec, const Point& point) {
  const std::string workload = point_workload(point);
  std::vector<std::string> args = {"run", "--arch", point_arch(spec, point), "--workload", workload};
  for (const auto& [k, v] : point.params) {
    if (k == "arch" || k == "workload") continue;
    if (is_workload_param(k)) {
      if (is_inline(workload)) continue;
      args.push_back("--workload-set");
      args.push_back(k.substr(kWorkloadPrefix.size()) + "=" + v);
    } else {
      args.push_back("--set");
      args.push_back(k + "=" + v);
    }
  }
  args.push_back("--format");
  args.push_back("json");
  return args;
}

nlohmann::ordered_json spec_json(const Spec& spec, bool with_shard) {
  nlohmann::ordered_json j;
  j["accsim_sweep"] = 1;
  j["arch"] = spec.arch.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(spec.arch);  // null: swept
  nlohmann::ordered_json dims = nlohmann::ordered_json::array();
  for (const auto& d : spec.dims) dims.push_back({{"key", d.key}, {"values", d.values}});
  j["dimensions"] = dims;
  j["grid_points"] = spec.grid_size();
  j["random"] = spec.random;
  j["seed"] = spec.seed;
  j["selected_points"] = selected_indices(spec).size();
  if (!spec.points_file.empty()) {  // the points themselves: a resumed sweep must run the same ones
    j["points_file"] = spec.points_file;
    j["points"] = spec.points;
  }
  if (with_shard) j["shard"] = std::to_string(spec.shard_index) + "/" + std::to_string(spec.shard_count);
  return j;
}

std::vector<std::vector<std::string>> used_values(const Spec& spec) {
  std::vector<std::vector<std::string>> out;
  if (spec.random == 0 || spec.random >= spec.grid_size() || !spec.points_file.empty()) {
    for (const auto& d : spec.dims) out.push_back(d.values);
    return out;
  }
  std::vector<std::vector<bool>> used;
  for (const auto& d : spec.dims) used.emplace_back(d.values.size(), false);
  for (uint64_t rest : selected_indices(spec)) {
    for (size_t d = spec.dims.size(); d-- > 0;) {
      used[d][rest % spec.dims[d].values.size()] = true;
      rest /= spec.dims[d].values.size();
    }
  }
  for (size_t d = 0; d < spec.dims.size(); ++d) {
    out.emplace_back();
    for (size_t v = 0; v < used[d].size(); ++v)
      if (used[d][v]) out.back().push_back(spec.dims[d].values[v]);
  }
  return out;
}

void validate(const Spec& spec) {
  const auto wl = std::find_if(spec.dims.begin(), spec.dims.end(), [](const Dimension& d) { return d.key == "workload"; });
  if (wl == spec.dims.end() || wl->values.empty()) throw UsageError("missing --workload");
  spec.grid_size();
  // Config values must at least parse as YAML; whether the key exists is checked by the first run.
  // Only the values the selected points use are checked (a sample of a huge range runs a few).
  const std::vector<std::vector<std::string>> used = used_values(spec);
  for (size_t di = 0; di < spec.dims.size(); ++di) {
    const Dimension& d = spec.dims[di];
    if (d.key == "arch" || d.key == "workload" || is_workload_param(d.key)) continue;
    for (const auto& v : used[di]) {
      ConfigTree tree;
      apply_override(YAML::Node(YAML::NodeType::Map), d.key + "=" + v, tree);
    }
  }
  // Each workload must load, and each workload.<param> value must make a valid inline spec with it.
  for (const auto& w : used[static_cast<size_t>(wl - spec.dims.begin())]) {
    const Workload loaded = load_workload(w);
    for (size_t di = 0; di < spec.dims.size(); ++di) {
      const Dimension& d = spec.dims[di];
      if (!is_workload_param(d.key)) continue;
      const std::string p = d.key.substr(kWorkloadPrefix.size());
      const auto& settable = workload_override_keys();
      if (!is_inline(w) && std::find(settable.begin(), settable.end(), p) == settable.end())
        throw UsageError("--grid " + d.key + ": shapes (m, n, k, batch) can be swept for inline gemm:... workloads "
                         "only, not '" + w + "'");
      for (const auto& v : used[di]) {
        try {
          if (is_inline(w)) {
            load_workload(with_workload_params(w, {{p, v}}));
          } else {
            Workload copy = loaded;
            apply_workload_overrides(copy, {p + "=" + v});
          }
        } catch (const InputError& e) {
          throw UsageError("--grid " + d.key + "=" + v + ": " + e.what());
        }
      }
    }
  }
}

}  // namespace accsim::sweep
