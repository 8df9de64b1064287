#include "sim/hw/energy_stage.hpp"

#include <algorithm>
#include <stdexcept>

namespace accsim {

std::vector<ActionDecl> accelerator_actions() {
  return {{"dram.read_bytes", "byte", "dram", "byte read from DRAM: 8 x dram.pj_per_bit (energy table dram.<technology>)"},
          {"dram.write_bytes", "byte", "dram", "byte written to DRAM: 8 x dram.pj_per_bit (energy table dram.<technology>)"},
          // dram.kind=timing prices these instead of the bytes: the preset's IDD decomposition
          // (Micron TN-40-07 / DRAMPower) or its published per-action energies (dram_presets.cpp).
          {"dram.activates", "ACT", "dram", "ACT-PRE pair: VDD (IDD0 tRC - IDD3N tRAS - IDD2N (tRC - tRAS)) x devices, or the preset's pJ per ACT"},
          {"dram.read_bursts", "burst", "dram", "read burst: VDD (IDD4R - IDD3N) tBURST x devices, or the preset's pJ per burst"},
          {"dram.write_bursts", "burst", "dram", "write burst: VDD (IDD4W - IDD3N) tBURST x devices, or the preset's pJ per burst"},
          {"dram.refreshes", "REF", "dram", "all-bank refresh of a rank: VDD (IDD5 - IDD3N) tRFC x devices"},
          {"dram.background_rank_ns", "rank-ns", "dram", "standby: VDD IDD3N (open page) or IDD2N (closed) x devices"}};
}

namespace {

bool matches(const ActionDecl& d, const std::string& action) {
  if (!d.name.empty() && d.name.back() == '*') return action.rfind(d.name.substr(0, d.name.size() - 1), 0) == 0;
  return d.name == action;
}

// `core_energy_scale` applies to the block's own actions only: DRAM has its own supply.
double unit_price(const std::string& action, const ComputeBlock& block, const ArchContext& arch, double core_energy_scale) {
  // A byte is 8 bits; DRAM energy is quoted per bit.
  const bool idd = arch.dram.kind == "timing" && arch.dram.timing.prices_actions();
  if (action == "dram.read_bytes" || action == "dram.write_bytes") return idd ? 0.0 : 8.0 * arch.dram.pj_per_bit;
  if (action.rfind("dram.", 0) == 0) {
    if (!idd) return 0.0;
    const DramTimingSpec& t = arch.dram.timing;
    if (action == "dram.activates") return t.act_pj();
    if (action == "dram.read_bursts") return t.read_pj();
    if (action == "dram.write_bursts") return t.write_pj();
    if (action == "dram.refreshes") return t.refresh_pj();
    if (action == "dram.background_rank_ns") return t.background_mw();  // mW x ns = pJ
  }
  return block.unit_price_pj(action) * core_energy_scale;
}

}  // namespace

const ActionDecl& action_decl(const KindInfo& kind, const std::string& action) {
  for (const auto& d : kind.actions)
    if (matches(d, action)) return d;
  static const std::vector<ActionDecl> common = accelerator_actions();
  for (const auto& d : common)
    if (matches(d, action)) return d;
  throw std::logic_error("compute kind '" + kind.name + "' reported undeclared action '" + action + "'");
}

double core_energy_scale(const LayerResult& r) {
  const auto it = r.figures.find("core_energy_scale");
  return it == r.figures.end() ? 1.0 : it->second;
}

EnergyBreakdown price_layer(const ActionCounts& per_repeat, uint64_t cycles_per_repeat, const ComputeBlock& block,
                            const KindInfo& kind, const ArchContext& arch, double core_energy_scale) {
  // component -> (count sum, unit price) while every action of it has one price; otherwise the
  // component is summed action by action.
  struct Group {
    std::string component;
    double count = 0, price = 0, energy = 0;
    bool mixed = false;
  };
  std::vector<Group> groups;
  for (const auto& [action, count] : per_repeat.items()) {
    const std::string& component = action_decl(kind, action).prices;
    const double price = unit_price(action, block, arch, core_energy_scale);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.component == component; });
    if (it == groups.end()) {
      groups.push_back({component, count, price, count * price, false});
      continue;
    }
    it->mixed = it->mixed || price != it->price;
    it->count += count;
    it->energy += count * price;
  }
  EnergyBreakdown e;
  for (const auto& g : groups) e.add(g.component, g.mixed ? g.energy : g.count * g.price);
  // uW x s = 1e-6 J = 1e6 pJ.
  e.add("static", block.leakage_uw() * (static_cast<double>(cycles_per_repeat) / arch.clock_hz) * 1e6);
  return e;
}

}  // namespace accsim
