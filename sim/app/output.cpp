#include "sim/app/output.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "sim/core/error.hpp"

namespace accsim {

namespace {

const char* kVersion = "0.1.0";

nlohmann::ordered_json layer_json(const LayerResult& l, const RunResult& r) {
  nlohmann::ordered_json j;
  j["name"] = l.name;
  j["op"] = l.op;
  j["repeat"] = l.repeat;
  j["cycles"] = l.cycles;
  j["compute_cycles"] = l.compute_cycles;
  j["stall_cycles"] = l.stall_cycles;
  j["latency_s"] = r.latency_s(l.cycles);
  j["macs"] = l.macs;
  j["effectual_macs"] = l.effectual_macs;
  j["peak_macs_per_cycle"] = l.peak_macs_per_cycle;
  j["utilization"] = l.utilization();
  j["energy_pj"] = l.energy.total_pj();
  nlohmann::ordered_json e;
  for (const auto& [k, v] : l.energy.items()) e[k] = v;
  j["energy_breakdown_pj"] = e;
  j["dram_read_bytes"] = l.dram_read_bytes;
  j["dram_write_bytes"] = l.dram_write_bytes;
  nlohmann::ordered_json c = nlohmann::ordered_json::object();
  for (const auto& [k, v] : l.counters) c[k] = v;
  j["counters"] = c;
  nlohmann::ordered_json f = nlohmann::ordered_json::object();
  for (const auto& [k, v] : l.figures) f[k] = v;
  j["figures"] = f;
  nlohmann::ordered_json a = nlohmann::ordered_json::object();
  for (const auto& [k, v] : l.actions.items()) a[k] = v;
  j["actions"] = a;
  return j;
}

// Energy components present in any layer, in first-seen order (for the CSV header and table).
std::vector<std::string> energy_components(const RunResult& r) {
  std::vector<std::string> out;
  for (const auto& l : r.layers)
    for (const auto& [k, v] : l.energy.items())
      if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  return out;
}

// RFC 4180 quoting for a free-text field (layer names come from user traces).
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

double component(const LayerResult& l, const std::string& name) {
  for (const auto& [k, v] : l.energy.items())
    if (k == name) return v;
  return 0.0;
}

}  // namespace

std::string format_number(double v, int significant) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", significant, v);
  return buf;
}

nlohmann::ordered_json summary_json(const RunOutput& run) {
  const RunResult& r = run.result;
  nlohmann::ordered_json j;
  j["accsim_version"] = kVersion;
  j["units"] = {{"cycles", "clock cycles"},  {"latency_s", "s"},        {"energy_pj", "pJ"},
                {"utilization", "fraction"}, {"dram_bytes", "bytes"},   {"clock_hz", "Hz"},
                {"area_um2", "um^2"},        {"leakage_uw", "uW"},      {"macs", "multiply-accumulates"},
                {"actions", "count of the action's unit (action_units)"}};
  nlohmann::ordered_json action_units = nlohmann::ordered_json::object();
  for (const auto& [name, unit] : run.action_units) action_units[name] = unit;
  j["action_units"] = action_units;
  j["arch"] = {{"name", r.arch_name},         {"file", r.arch_file},          {"compute_kind", r.compute_kind},
               {"clock_hz", r.clock_hz},      {"area_um2", run.area_um2},     {"leakage_uw", run.leakage_uw}};
  j["workload"] = {{"name", r.workload_name}, {"source", r.workload_source}, {"layers", r.layers.size()}};
  nlohmann::ordered_json total = layer_json(r.total(), r);
  total.erase("name");
  total.erase("op");
  total.erase("repeat");
  j["total"] = total;
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& l : r.layers) layers.push_back(layer_json(l, r));
  j["layers"] = layers;
  return j;
}

void write_layers_csv(std::ostream& os, const RunOutput& run) {
  const RunResult& r = run.result;
  const auto comps = energy_components(r);
  os << "layer,op,repeat,cycles,compute_cycles,stall_cycles,latency_s,macs,effectual_macs,utilization,energy_pj";
  for (const auto& c : comps) os << ",energy_" << c << "_pj";
  os << ",dram_read_bytes,dram_write_bytes\n";
  for (const auto& l : r.layers) {
    os << csv_field(l.name) << "," << l.op << "," << l.repeat << "," << l.cycles << "," << l.compute_cycles << ","
       << l.stall_cycles << "," << format_number(r.latency_s(l.cycles)) << "," << l.macs << "," << l.effectual_macs
       << "," << format_number(l.utilization()) << "," << format_number(l.energy.total_pj());
    for (const auto& c : comps) os << "," << format_number(component(l, c));
    os << "," << l.dram_read_bytes << "," << l.dram_write_bytes << "\n";
  }
}

void write_table(std::ostream& os, const RunOutput& run) {
  const RunResult& r = run.result;
  const LayerResult total = r.total();
  const auto comps = energy_components(r);
  os << "accsim run: " << r.arch_name << " (" << r.compute_kind << ", " << format_number(r.clock_hz / 1e6, 6)
     << " MHz) on " << r.workload_name << " (" << r.layers.size() << " layers)\n\n";
  std::ostringstream hdr;
  hdr << std::left << std::setw(24) << "layer" << std::right << std::setw(14) << "cycles" << std::setw(12) << "stall"
      << std::setw(12) << "time(us)" << std::setw(15) << "MACs" << std::setw(8) << "util%" << std::setw(13)
      << "energy(uJ)";
  for (const auto& c : comps) hdr << std::setw(std::max<int>(11, static_cast<int>(c.size()) + 2)) << c;
  hdr << std::setw(13) << "DRAM(KiB)";
  os << hdr.str() << "\n" << std::string(hdr.str().size(), '-') << "\n";
  auto row = [&](const LayerResult& l) {
    std::string name = l.name.size() > 23 ? l.name.substr(0, 22) + "~" : l.name;
    os << std::left << std::setw(24) << name << std::right << std::setw(14) << l.cycles << std::setw(12)
       << l.stall_cycles << std::setw(12) << format_number(r.latency_s(l.cycles) * 1e6, 6) << std::setw(15) << l.macs
       << std::setw(8) << format_number(100.0 * l.utilization(), 3) << std::setw(13)
       << format_number(l.energy.total_pj() * 1e-6, 5);
    // Components in uJ, so the row sums to the energy column.
    for (const auto& c : comps)
      os << std::setw(std::max<int>(11, static_cast<int>(c.size()) + 2)) << format_number(component(l, c) * 1e-6, 4);
    os << std::setw(13) << format_number((l.dram_read_bytes + l.dram_write_bytes) / 1024.0, 6) << "\n";
  };
  for (const auto& l : r.layers) row(l);
  os << std::string(hdr.str().size(), '-') << "\n";
  row(total);
  os << "\ntotal: " << total.cycles << " cycles, " << format_number(r.latency_s(total.cycles) * 1e3, 6) << " ms, "
     << format_number(total.energy.total_pj() * 1e-6, 6) << " uJ, " << total.macs << " MACs, utilization "
     << format_number(100.0 * total.utilization(), 4) << " %, DRAM "
     << format_number((total.dram_read_bytes + total.dram_write_bytes) / 1048576.0, 6) << " MiB\n";
  os << "energy components in uJ; stall = cycles waiting on DRAM or dependencies\n";
}

void write_output_dir(const std::string& dir, const RunOutput& run) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(SourceLocation{dir, 0, "--out"}, "cannot create directory: " + ec.message());
  auto write = [&](const std::string& name, const std::function<void(std::ostream&)>& body) {
    const std::filesystem::path path = std::filesystem::path(dir) / name;
    const std::filesystem::path tmp = path.string() + ".tmp";
    {
      std::ofstream f(tmp);
      if (!f) throw InputError(SourceLocation{tmp.string(), 0, "--out"}, "cannot write file");
      body(f);
    }
    std::filesystem::rename(tmp, path);  // never leave a half-written result behind
  };
  write("summary.json", [&](std::ostream& os) { os << summary_json(run).dump(2) << "\n"; });
  write("layers.csv", [&](std::ostream& os) { write_layers_csv(os, run); });
  write("resolved_config.yaml", [&](std::ostream& os) {
    os << "# accsim resolved configuration: every parameter, defaults filled in\n" << run.resolved_config << "\n";
  });
}

}  // namespace accsim
