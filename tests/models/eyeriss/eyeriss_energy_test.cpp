// Energy accounting of the Eyeriss block (docs/models/eyeriss.md, "Energy"): zero gating, the
// supply voltage and the clock network, on one small conv layer of configs/arch/eyeriss.yaml.
// Expected values are derived beside each test from the arch file and the 65 nm table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "sim/hw/accelerator.hpp"
#include "sim/workload/trace.hpp"

namespace accsim {
namespace {

// 16 -> 32 channels, 3x3, 13x13 with pad 1, batch 2: 2 x 13 x 13 x 32 x 16 x 9 = 1,557,504 MACs.
std::string conv_trace(double zero_fraction) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("accsim_eyeriss_energy_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "format: accsim-trace\nversion: 1\ndefaults:\n  weights: {bits: 16}\n"
                         "  activations: {bits: 16}\n  outputs: {bits: 16}\nlayers:\n"
                         "  - {name: c, op: conv2d, batch: 2, in_channels: 16, in_h: 13, in_w: 13, out_channels: 32,"
                         " kernel: 3, padding: 1, activations: {zero_fraction: "
                      << zero_fraction << "}}\n";
  return path.string();
}

LayerResult run(double zero_fraction, std::vector<std::string> overrides = {}) {
  RunRequest req;
  req.arch_path = std::string(ACCSIM_SOURCE_DIR) + "/configs/arch/eyeriss.yaml";
  req.overrides = std::move(overrides);
  req.workload = load_workload(conv_trace(zero_fraction));
  return simulate(req).result.layers.at(0);
}

double component(const LayerResult& r, const std::string& name) {
  for (const auto& [c, pj] : r.energy.items())
    if (c == name) return pj;
  ADD_FAILURE() << "no energy component " << name;
  return 0;
}

// 16-bit MAC of the 65 nm table: (0.8 + 0.1) x 1.24 = 1.116 pJ at 0.9 V; the arch runs at 1 V.
constexpr double kMacPj = 1.116 * (1.0 / 0.9) * (1.0 / 0.9);

TEST(EyerissEnergy, ZeroGatingSkipsFilterReadsAndMacsNotTime) {
  // RLC off: its shorter ifmap reads would change the stalls (tested below).
  const LayerResult dense = run(0.0, {"compute.rlc=false"}), half = run(0.5, {"compute.rlc=false"});
  ASSERT_EQ(dense.macs, 1557504u);
  // Gating changes no cycle: the PE still steps through the zero (JSSC'17 Sec. V-C).
  EXPECT_EQ(half.cycles, dense.cycles);
  // Half the MACs have a zero ifmap: their MAC and their filter scratchpad read are gated.
  EXPECT_DOUBLE_EQ(half.actions.get("eyeriss.mac.ops"), 1557504.0 / 2);
  EXPECT_DOUBLE_EQ(half.actions.get("eyeriss.rf.accesses"), dense.actions.get("eyeriss.rf.accesses") - 1557504.0 / 2);
  EXPECT_DOUBLE_EQ(half.actions.get("eyeriss.noc.words"), dense.actions.get("eyeriss.noc.words"));
  EXPECT_DOUBLE_EQ(half.actions.get("eyeriss.glb.accesses"), dense.actions.get("eyeriss.glb.accesses"));
  EXPECT_DOUBLE_EQ(half.counters.at("gated_macs"), 1557504.0 / 2);
}

// RLC (docs/models/eyeriss.md): the ifmaps (2 x 16 x 15 x 15 = 7,200 padded words = 14,400 B,
// resident in the GLB, read once) shrink by (4/3)(1 - z)/(1 - z^32): 2/3 at z = 0.5, so 4,800 B
// fewer reads (+-1 B of rounding up); at z = 0 the code would expand them and they stay raw.
// Writes (ofmaps) stay raw; DRAM energy follows at 13.95 pJ/bit.
TEST(EyerissEnergy, RlcShrinksIfmapReadsAndTheirDramEnergy) {
  const LayerResult raw = run(0.5, {"compute.rlc=false"}), dense = run(0.0), half = run(0.5);
  EXPECT_EQ(dense.dram_read_bytes, raw.dram_read_bytes);
  const double saved = static_cast<double>(raw.dram_read_bytes) - static_cast<double>(half.dram_read_bytes);
  EXPECT_NEAR(saved, 4800.0, 1.0);
  EXPECT_EQ(half.dram_write_bytes, raw.dram_write_bytes);
  EXPECT_NEAR(component(raw, "dram") - component(half, "dram"), saved * 8 * 13.95, 1e-6 * component(raw, "dram"));
  EXPECT_NEAR(half.figures.at("ifmap_dram_ratio"), 2.0 / 3.0, 1e-9);
}

TEST(EyerissEnergy, SupplyVoltageAndClockNetwork) {
  const LayerResult r = run(0.0);
  // MAC component: ops x 1.116 pJ x (1.0 / 0.9)^2.
  EXPECT_NEAR(component(r, "mac"), 1557504.0 * kMacPj, 1e-6 * component(r, "mac"));
  // Clock: every cycle switches 531.3 pF at 1 V = 531.3 pJ.
  EXPECT_DOUBLE_EQ(r.actions.get("eyeriss.clock.cycles"), static_cast<double>(r.cycles));
  EXPECT_NEAR(component(r, "clock"), 531.3 * static_cast<double>(r.cycles), 1e-6 * component(r, "clock"));
  // At the table's own 0.9 V the MAC costs the table's 1.116 pJ and the clock 531.3 x 0.81 pJ.
  const LayerResult low = run(0.0, {"compute.supply_v=0.9"});
  EXPECT_NEAR(component(low, "mac"), 1557504.0 * 1.116, 1e-6 * component(low, "mac"));
  EXPECT_NEAR(component(low, "clock"), 531.3 * 0.81 * static_cast<double>(low.cycles), 1e-6 * component(low, "clock"));
}

TEST(EyerissEnergy, ChipPowerIsOnChipEnergyOverTime) {
  const LayerResult r = run(0.3);
  double on_chip = 0;
  for (const auto& [c, pj] : r.energy.items())
    if (c != "dram") on_chip += pj;  // what a chip power measurement sees: no DRAM
  const double seconds = static_cast<double>(r.cycles) / 200e6;
  EXPECT_NEAR(r.counters.at("chip_energy_pj"), on_chip, 1e-9 * on_chip);
  EXPECT_NEAR(r.figures.at("chip_power_mw"), on_chip / seconds * 1e-9, 1e-9 * r.figures.at("chip_power_mw"));
  // Without a clock network the clock component is zero (configs/arch/eyeriss-bitfusion.yaml).
  EXPECT_EQ(component(run(0.3, {"compute.clock_network_pf=0"}), "clock"), 0.0);
}

}  // namespace
}  // namespace accsim
