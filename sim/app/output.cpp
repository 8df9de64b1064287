#include "sim/app/output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "sim/core/error.hpp"
#include "sim/core/safe_file.hpp"

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
  if (!l.kernel.empty()) j["kernel"] = l.kernel;
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
                {"actions", "count of the action's unit (action_units)"}, {"average_power_w", "W"}};
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
  // Energy over time: what a power meter on the modelled parts would read on average (W).
  const double seconds = r.latency_s(r.total().cycles);
  total["average_power_w"] = seconds > 0 ? r.total().energy.total_pj() * 1e-12 / seconds : 0.0;
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

namespace {

// Fixed notation with about `significant` digits (12,345.6 never 1.235e+04): tables are read by
// people, who compare columns by their width. Files keep format_number's round-trippable form.
std::string fixed(double v, int significant) {
  if (v == 0 || !std::isfinite(v)) return v == 0 ? "0" : format_number(v);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  const int decimals = std::clamp(significant - 1 - magnitude, 0, 9);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string out = buf;
  if (out.find('.') != std::string::npos) out.erase(out.find_last_not_of('0') + 1);  // 0.464000 -> 0.464
  if (out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

void write_table(std::ostream& os, const RunOutput& run) {
  const RunResult& r = run.result;
  const LayerResult total = r.total();
  const auto comps = energy_components(r);
  // Sparse architectures skip zero weights: util% counts effectual MACs, so show them beside MACs.
  bool sparse = false;
  for (const auto& l : r.layers) sparse = sparse || l.effectual_macs != l.macs;
  os << "accsim run: " << r.arch_name << " (" << r.compute_kind << ", " << fixed(r.clock_hz / 1e6, 6)
     << " MHz) on " << r.workload_name << " (" << r.layers.size() << " layers)\n\n";
  auto comp_width = [](const std::string& c) { return std::max<int>(11, static_cast<int>(c.size()) + 2); };
  std::ostringstream hdr;
  hdr << std::left << std::setw(24) << "layer" << std::right << std::setw(14) << "cycles" << std::setw(12) << "stall"
      << std::setw(12) << "time(us)" << std::setw(15) << "MACs";
  if (sparse) hdr << std::setw(16) << "effectual MACs";
  hdr << std::setw(8) << "util%" << std::setw(13) << "energy(uJ)";
  for (const auto& c : comps) hdr << std::setw(comp_width(c)) << c;
  hdr << std::setw(13) << "DRAM(KiB)";
  os << hdr.str() << "\n" << std::string(hdr.str().size(), '-') << "\n";
  auto row = [&](const LayerResult& l) {
    std::string name = l.name.size() > 23 ? l.name.substr(0, 22) + "~" : l.name;
    os << std::left << std::setw(24) << name << std::right << std::setw(14) << l.cycles << std::setw(12)
       << l.stall_cycles << std::setw(12) << fixed(r.latency_s(l.cycles) * 1e6, 6) << std::setw(15) << l.macs;
    if (sparse) os << std::setw(16) << l.effectual_macs;
    os << std::setw(8) << fixed(100.0 * l.utilization(), 3) << std::setw(13) << fixed(l.energy.total_pj() * 1e-6, 5);
    // Components in uJ, so the row sums to the energy column.
    for (const auto& c : comps) os << std::setw(comp_width(c)) << fixed(component(l, c) * 1e-6, 4);
    os << std::setw(13) << fixed((l.dram_read_bytes + l.dram_write_bytes) / 1024.0, 6) << "\n";
  };
  for (const auto& l : r.layers) row(l);
  os << std::string(hdr.str().size(), '-') << "\n";
  row(total);
  os << "\ntotal: " << total.cycles << " cycles, " << fixed(r.latency_s(total.cycles) * 1e3, 6) << " ms, "
     << fixed(total.energy.total_pj() * 1e-6, 6) << " uJ, " << total.macs << " MACs";
  if (sparse) os << " (" << total.effectual_macs << " effectual)";
  os << ", utilization " << fixed(100.0 * total.utilization(), 4) << " %, DRAM "
     << fixed((total.dram_read_bytes + total.dram_write_bytes) / 1048576.0, 6) << " MiB\n";
  os << "energy components in uJ; stall = cycles waiting on DRAM or dependencies"
     << (sparse ? "; util% = effectual MACs / (cycles x peak MACs per cycle)" : "") << "\n";
}

void check_output_dir(const std::string& dir) {
  std::error_code ec;
  const auto st = std::filesystem::symlink_status(dir, ec);
  if (ec || !std::filesystem::exists(st)) return;  // created later, when the results are ready
  if (!std::filesystem::is_directory(st)) throw InputError(SourceLocation{dir, 0, "--out"}, "exists and is not a directory");
  for (const char* name : {"summary.json", "layers.csv", "resolved_config.yaml"})
    check_output_path((std::filesystem::path(dir) / name).string(), "--out file");
}

void write_output_dir(const std::string& dir, const RunOutput& run) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(SourceLocation{dir, 0, "--out"}, "cannot create directory: " + ec.message());
  // Every destination is checked before the first byte is written, so a refused run leaves nothing.
  for (const char* name : {"summary.json", "layers.csv", "resolved_config.yaml"})
    check_output_path((std::filesystem::path(dir) / name).string(), "--out file");
  auto write = [&](const std::string& name, const std::function<void(std::ostream&)>& body) {
    SafeOutputFile f((std::filesystem::path(dir) / name).string(), "--out file");
    body(f.stream());
    f.commit();  // an exception before this removes the temporary: never half a result
  };
  write("summary.json", [&](std::ostream& os) { os << summary_json(run).dump(2) << "\n"; });
  write("layers.csv", [&](std::ostream& os) { write_layers_csv(os, run); });
  write("resolved_config.yaml", [&](std::ostream& os) {
    os << "# accsim resolved configuration: every parameter, defaults filled in\n" << run.resolved_config << "\n";
  });
}

void emit_run_output(const RunOutput& run, const std::string& format, const std::string& out_dir) {
  if (!out_dir.empty()) write_output_dir(out_dir, run);
  if (format == "json") {
    std::cout << summary_json(run).dump(2) << "\n";
  } else if (format == "csv") {
    write_layers_csv(std::cout, run);
  } else {
    write_table(std::cout, run);
  }
}

}  // namespace accsim
