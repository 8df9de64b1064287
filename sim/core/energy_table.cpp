#include "sim/core/energy_table.hpp"

#include <cmath>
#include <filesystem>

#include "sim/core/config.hpp"
#include "sim/core/input_file.hpp"

namespace accsim {

namespace {

std::map<std::string, double> read_map(ConfigNode parent, const std::string& key, const std::string& unit,
                                       bool required) {
  std::map<std::string, double> out;
  if (!parent.has(key)) {
    if (required) parent.fail(key, "required section is missing");
    parent.consume(key);
    return out;
  }
  ConfigNode node = parent.child(key, unit);
  for (const auto& k : node.keys()) {
    const double v = node.get<double>(k, 0.0, unit, "");
    if (v < 0) node.fail(k, "must be >= 0");
    out[k] = v;
  }
  node.finish();
  return out;
}

void scale_all(std::map<std::string, double>& m, double f) {
  for (auto& kv : m) kv.second *= f;
}

}  // namespace

EnergyTable EnergyTable::load(const std::string& path) {
  // Keyed by path and the file's text, so a changed file is parsed again (and reports its own
  // errors); only tables that parsed cleanly are kept.
  static std::map<std::string, EnergyTable> memo;
  std::string key = path + '\n' + read_input_text(path);
  if (const auto it = memo.find(key); it != memo.end()) return it->second;
  bool derived = false;
  EnergyTable t = parse(path, derived);
  if (!derived) memo.emplace(std::move(key), t);
  return t;
}

EnergyTable EnergyTable::parse(const std::string& path, bool& derived) {
  YAML::Node root = load_yaml_file(path);
  ConfigNode top = open_config(root, path);
  EnergyTable t;
  t.file_ = path;
  t.technology_nm_ = static_cast<int>(top.require_positive("technology_nm", "nm", "technology node"));
  t.voltage_v_ = top.get_positive("voltage_v", 0.9, "V", "supply voltage");
  top.get("source", "", "", "where the numbers come from");
  if (top.has("base")) {
    derived = true;
    // A derived node: the base table's on-chip energies times a published scaling factor.
    const std::string base_rel = top.get<std::string>("base", "", "path", "table this one scales");
    const double scale = top.get_positive("scale", 1.0, "x", "energy factor relative to the base node");
    const std::string base_path = (std::filesystem::path(path).parent_path() / base_rel).string();
    if (base_path == path) top.fail("base", "a table cannot scale itself");
    EnergyTable base = load(base_path);
    const int nm = t.technology_nm_;
    const double v = t.voltage_v_;
    t = base;
    t.file_ = path;
    t.technology_nm_ = nm;
    t.voltage_v_ = v;
    scale_all(t.multiply_pj_, scale);
    scale_all(t.add_pj_, scale);
    scale_all(t.extra_pj_, scale);
    t.rf_pj_per_byte_ *= scale;
    t.sram_reference_pj_per_byte_ *= scale;
    t.leakage_uw_per_um2_ *= scale;
    t.sram_leakage_uw_per_kb_ *= scale;
    // Off-chip DRAM energy does not follow the logic node; area scales with the square of feature size.
    const double area_scale = std::pow(static_cast<double>(nm) / base.technology_nm_, 2.0);
    scale_all(t.mac_area_um2_, area_scale);
    t.sram_area_um2_per_kb_ *= area_scale;
    // Compensate so leakage power follows the energy factor, not the area factor.
    t.leakage_uw_per_um2_ /= area_scale;
    // Entries a derived table states itself are already at its node: added unscaled, replacing
    // the base's (e.g. GPU instruction and SM-activity energies, docs/models/energy.md).
    for (const auto& [key, pj] : read_map(top, "extra_pj", "pJ", false)) t.extra_pj_[key] = pj;
    top.finish();
    return t;
  }
  t.multiply_pj_ = read_map(top, "multiply_pj", "pJ", true);
  t.add_pj_ = read_map(top, "add_pj", "pJ", true);
  t.mac_area_um2_ = read_map(top, "mac_area_um2", "um^2", true);
  t.dram_pj_per_bit_ = read_map(top, "dram_pj_per_bit", "pJ/bit", true);
  t.extra_pj_ = read_map(top, "extra_pj", "pJ", false);
  ConfigNode rf = top.child("register_file", "PE-local registers");
  t.rf_pj_per_byte_ = rf.require<double>("pj_per_byte", "pJ/byte", "register access energy");
  rf.finish();
  ConfigNode sram = top.child("sram", "on-chip SRAM buffers");
  t.sram_reference_kb_ = sram.get_positive("reference_kb", 8.0, "KiB", "bank size of the reference access");
  t.sram_reference_pj_per_byte_ = sram.require<double>("reference_pj_per_byte", "pJ/byte", "access energy of the reference bank");
  t.sram_size_exponent_ = sram.get<double>("size_exponent", 0.5, "", "energy ~ (bank size)^exponent");
  t.sram_leakage_uw_per_kb_ = sram.require<double>("leakage_uw_per_kb", "uW/KiB", "SRAM leakage power");
  t.sram_area_um2_per_kb_ = sram.require<double>("area_um2_per_kb", "um^2/KiB", "SRAM macro area per KiB");
  sram.finish();
  t.leakage_uw_per_um2_ = top.require<double>("logic_leakage_uw_per_um2", "uW/um^2", "logic leakage density");
  top.finish();
  return t;
}

double EnergyTable::lookup(const std::map<std::string, double>& table, const std::string& section,
                           const std::string& key) const {
  auto it = table.find(key);
  if (it == table.end())
    throw InputError(SourceLocation{file_, 0, section + "." + key},
                     "missing energy table entry (add it, with its source, to the table)");
  return it->second;
}

double EnergyTable::multiply_pj(const DType& w, const DType& a) const {
  if (w.is_float() || a.is_float()) {
    if (!(w == a))
      throw InputError(SourceLocation{file_, 0, "multiply_pj"},
                       "mixed float formats " + w.name + " x " + a.name + " have no table entry");
    return lookup(multiply_pj_, "multiply_pj", w.name);
  }
  const std::string wk = "int" + std::to_string(w.bits), ak = "int" + std::to_string(a.bits);
  return std::sqrt(lookup(multiply_pj_, "multiply_pj", wk) * lookup(multiply_pj_, "multiply_pj", ak));
}

double EnergyTable::add_pj(const DType& acc) const {
  const std::string key = acc.is_float() ? acc.name : "int" + std::to_string(acc.bits);
  return lookup(add_pj_, "add_pj", key);
}

double EnergyTable::sram_pj_per_byte(double bank_kb) const {
  return sram_reference_pj_per_byte_ * std::pow(bank_kb / sram_reference_kb_, sram_size_exponent_);
}

double EnergyTable::dram_pj_per_bit(const std::string& technology) const {
  return lookup(dram_pj_per_bit_, "dram_pj_per_bit", technology);
}

double EnergyTable::mac_area_um2(const DType& operand) const {
  const std::string key = operand.is_float() ? operand.name : "int" + std::to_string(operand.bits);
  return lookup(mac_area_um2_, "mac_area_um2", key);
}

double EnergyTable::extra_pj(const std::string& key) const { return lookup(extra_pj_, "extra_pj", key); }

}  // namespace accsim
