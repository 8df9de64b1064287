// `accsim reprice RESULT_DIR [--set key=value ...] [--out DIR] [--format table|json|csv]`:
// recomputes the energy of a finished run (RESULT_DIR/summary.json + resolved_config.yaml) with
// another energy table, node or DRAM energy, from its action counts, without simulating.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim/app/cli.hpp"
#include "sim/app/output.hpp"
#include "sim/core/search_path.hpp"
#include "sim/hw/energy_stage.hpp"

namespace accsim {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keeps summary.json's key order (energy components, actions)

// Keys that change only prices. Anything else (array shape, clock, buffers, MAC kind) changes
// timing and needs `accsim run`.
bool energy_only(const std::string& key) {
  return key == "energy_table" || key == "technology_nm" || key == "dram.technology" || key == "dram.pj_per_bit";
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(SourceLocation{path.string(), 0, ""}, "cannot read file (is this an accsim --out folder?)");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw InputError(SourceLocation{path.string(), 0, ""}, std::string("not valid JSON: ") + e.what());
  }
}

LayerResult layer_from_json(const json& j) {
  LayerResult l;
  l.name = j.at("name").get<std::string>();
  l.op = j.at("op").get<std::string>();
  l.repeat = j.at("repeat").get<int64_t>();
  l.cycles = j.at("cycles").get<uint64_t>();
  l.compute_cycles = j.at("compute_cycles").get<uint64_t>();
  l.stall_cycles = j.at("stall_cycles").get<uint64_t>();
  l.macs = j.at("macs").get<uint64_t>();
  l.effectual_macs = j.at("effectual_macs").get<uint64_t>();
  l.peak_macs_per_cycle = j.at("peak_macs_per_cycle").get<double>();
  l.dram_read_bytes = j.at("dram_read_bytes").get<uint64_t>();
  l.dram_write_bytes = j.at("dram_write_bytes").get<uint64_t>();
  for (const auto& [k, v] : j.at("counters").items()) l.counters[k] = v.get<double>();
  for (const auto& [k, v] : j.at("figures").items()) l.figures[k] = v.get<double>();
  for (const auto& [k, v] : j.at("actions").items()) l.actions.add(k, v.get<double>());
  if (j.contains("kernel")) l.kernel = j.at("kernel").get<std::string>();  // GPU kernel choice (stc)
  return l;
}

RunResult result_from_json(const json& j) {
  RunResult r;
  r.arch_name = j.at("arch").at("name").get<std::string>();
  r.arch_file = j.at("arch").at("file").get<std::string>();
  r.compute_kind = j.at("arch").at("compute_kind").get<std::string>();
  r.clock_hz = j.at("arch").at("clock_hz").get<double>();
  r.workload_name = j.at("workload").at("name").get<std::string>();
  r.workload_source = j.at("workload").at("source").get<std::string>();
  for (const auto& l : j.at("layers")) r.layers.push_back(layer_from_json(l));
  return r;
}

// A new table for another node implies that node, unless the user sets technology_nm too.
std::vector<std::string> with_node_of_table(std::vector<std::string> overrides, const fs::path& dir) {
  std::string table;
  for (const auto& o : overrides) {
    const std::string key = o.substr(0, o.find('='));
    if (!energy_only(key))
      throw UsageError("--set " + key + ": reprice changes energy only (energy_table, technology_nm, dram.technology, "
                       "dram.pj_per_bit); '" + key + "' changes timing: use accsim run");
    if (key == "technology_nm") return overrides;
    if (key == "energy_table") table = o.substr(o.find('=') + 1);
  }
  if (table.empty()) return overrides;
  ResolvedTable resolved;
  try {
    resolved = resolve_energy_table(table, dir.string());
  } catch (const InputError& e) {
    throw InputError(SourceLocation{"--set", 0, "energy_table"}, e.what());
  }
  overrides.push_back("technology_nm=" + std::to_string(EnergyTable::load(resolved.path).technology_nm()));
  return overrides;
}

int reprice_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--set", "--out", "--format"}, {});
  if (args.positionals().size() != 1) throw UsageError("needs exactly one RESULT_DIR (an accsim run --out folder)");
  const std::string format = args.get("--format", "table");
  if (format != "table" && format != "json" && format != "csv") throw UsageError("--format must be table, json or csv");
  const fs::path dir = args.positionals()[0];
  const json summary = read_json(dir / "summary.json");
  const fs::path config = dir / "resolved_config.yaml";
  const auto ctx = elaborate(load_yaml_file(config.string()), config.string(), with_node_of_table(args.all("--set"), dir));

  RunOutput out;
  try {
    out.result = result_from_json(summary);
  } catch (const json::exception& e) {
    throw InputError(SourceLocation{(dir / "summary.json").string(), 0, ""}, std::string("not an accsim summary: ") + e.what());
  }
  if (out.result.compute_kind != ctx->compute->kind())
    throw InputError(SourceLocation{config.string(), 0, "compute.kind"}, "does not match summary.json");
  for (auto& l : out.result.layers) {
    // The energy stage prices one repeat, as during the run; counts in summary.json include repeats.
    const double n = static_cast<double>(l.repeat);
    ActionCounts once = l.actions;
    once.scale(1.0 / n);
    l.energy = price_layer(once, l.cycles / static_cast<uint64_t>(l.repeat), *ctx->compute, ctx->kind(), *ctx->arch,
                           core_energy_scale(l));
    l.energy.scale(n);
  }
  declare_action_units(out, ctx->kind());
  out.resolved_config = ctx->resolved;
  out.leakage_uw = ctx->compute->leakage_uw();
  out.area_um2 = ctx->compute->area_um2();
  emit_run_output(out, format, args.get("--out"));
  return 0;
}

const CommandRegistrar reprice_registrar(
    "reprice", Command{"recompute a finished run's energy for another energy table, without simulating",
                       "accsim reprice RESULT_DIR [--set energy_table=NAME|technology_nm=N|dram.technology=T|"
                       "dram.pj_per_bit=X ...] [--out DIR] [--format table|json|csv]",
                       reprice_command});

}  // namespace
}  // namespace accsim
