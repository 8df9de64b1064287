#include "sim/app/sweep/preflight.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include "sim/app/sweep/point_runner.hpp"

namespace accsim::sweep {

namespace {

struct Check {
  std::string what;
  std::vector<std::string> args;
};

bool is_config_key(const std::string& key) {
  return key != "arch" && key != "workload" && key.rfind("workload.", 0) != 0;
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  for (const char* prefix : {"accsim: error: ", "accsim run: ", "accsim: "})
    if (line.rfind(prefix, 0) == 0) return line.substr(std::string(prefix).size());
  return line;
}

// One check per architecture alone, then one per (architecture, swept config value), each with the
// sweep's first point's workload, so a failure names exactly one key and value.
std::vector<Check> checks_of(const Spec& spec) {
  const std::vector<std::vector<std::string>> values = used_values(spec);
  std::vector<std::string> archs = spec.arch.empty() ? std::vector<std::string>{} : std::vector<std::string>{spec.arch};
  std::string workload;
  for (size_t di = 0; di < spec.dims.size(); ++di) {
    if (spec.dims[di].key == "arch") archs = values[di];
    if (spec.dims[di].key == "workload") workload = spec.dims[di].values.at(0);
  }
  std::vector<Check> out;
  const std::string from = spec.points_file.empty() ? "--grid " : spec.points_file + ": ";
  for (const auto& a : archs) {
    out.push_back({"--arch " + a, {"run", "--arch", a, "--workload", workload, "--check"}});
    for (size_t di = 0; di < spec.dims.size(); ++di) {
      const Dimension& d = spec.dims[di];
      if (!is_config_key(d.key)) continue;
      for (const auto& v : values[di]) {
        std::vector<std::string> args = {"run", "--arch", a, "--workload", workload};
        if (spec.points_file.empty()) {
          args.insert(args.end(), {"--set", d.key + "=" + v});
        } else {
          // Explicit points may couple values (energy_table with technology_nm): check the value
          // together with the rest of the first point that uses it.
          const auto& point = *std::find_if(spec.points.begin(), spec.points.end(),
                                            [&](const std::vector<std::string>& p) { return p[di] == v; });
          for (size_t k = 0; k < spec.dims.size(); ++k)
            if (is_config_key(spec.dims[k].key)) args.insert(args.end(), {"--set", spec.dims[k].key + "=" + point[k]});
        }
        args.push_back("--check");
        out.push_back({from + d.key + "=" + v + (archs.size() > 1 ? " on " + a : ""), args});
      }
    }
  }
  return out;
}

}  // namespace

std::vector<PreflightProblem> preflight(const Spec& spec, const std::string& exe, size_t jobs) {
  const std::vector<Check> checks = checks_of(spec);
  std::vector<PreflightProblem> found(checks.size());
  std::vector<bool> failed(checks.size(), false);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < checks.size();) {
      pid_t pid = 0;
      const ChildResult r = run_child(exe, checks[i].args, &pid);
      if (r.exit_code != 0) {
        failed[i] = true;
        found[i] = {checks[i].what, r.signal ? "died from signal " + std::to_string(r.signal) : first_line(r.err),
                    r.exit_code == 2 ? 2 : 1};
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 0; t < std::max<size_t>(1, std::min(jobs, checks.size())); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  std::vector<PreflightProblem> out;
  for (size_t i = 0; i < checks.size(); ++i)
    if (failed[i]) out.push_back(found[i]);
  return out;
}

}  // namespace accsim::sweep
