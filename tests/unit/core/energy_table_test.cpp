// EnergyTable: the entries of configs/energy/45nm.yaml as the models read them, the laws applied
// on top (mixed-width multiply, SRAM bank-size scaling, node scaling of derived tables) and the
// errors for missing entries. Expected values are the table's numbers (each cited there) and
// hand arithmetic on them.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/energy_table.hpp"
#include "tests/unit/test_support.hpp"

namespace accsim {
namespace {

DType t(const std::string& name) {
  DType d;
  EXPECT_TRUE(parse_dtype(name, d)) << name;
  return d;
}

EnergyTable t45() { return EnergyTable::load(std::string(ACCSIM_SOURCE_DIR) + "/configs/energy/45nm.yaml"); }

TEST(EnergyTable, ReadsTheTableEntries) {
  const EnergyTable e = t45();
  EXPECT_EQ(e.technology_nm(), 45);
  EXPECT_DOUBLE_EQ(e.voltage_v(), 0.9);
  EXPECT_DOUBLE_EQ(e.multiply_pj(t("int8"), t("int8")), 0.2);  // Horowitz ISSCC'14
  EXPECT_DOUBLE_EQ(e.add_pj(t("int32")), 0.1);
  EXPECT_DOUBLE_EQ(e.mac_pj(t("int8"), t("int8"), t("int32")), 0.3);
  EXPECT_DOUBLE_EQ(e.mac_pj(t("fp16"), t("fp16"), t("fp32")), 1.1 + 0.9);
  EXPECT_DOUBLE_EQ(e.register_pj_per_byte(), 0.045);
  EXPECT_DOUBLE_EQ(e.dram_pj_per_bit("lpddr4"), 8.0);
  EXPECT_DOUBLE_EQ(e.mac_area_um2(t("int8")), 688.0);
  EXPECT_DOUBLE_EQ(e.mac_area_um2("bitfusion_unit_16_bricks"), 1733.0);
  EXPECT_DOUBLE_EQ(e.logic_leakage_uw_per_um2(), 0.025);
  EXPECT_DOUBLE_EQ(e.sram_leakage_uw_per_kb(), 10.0);
  EXPECT_DOUBLE_EQ(e.sram_area_um2_per_kb(), 4724.0);
}

TEST(EnergyTable, MixedIntegerWidthsTakeTheGeometricMean) {
  // sqrt(E(int8) E(int2)) = sqrt(0.2 x 0.0125) = 0.05 = E(int4): the product-of-widths law.
  EXPECT_DOUBLE_EQ(t45().multiply_pj(t("int8"), t("int2")), 0.05);
  // Unsigned operands are priced at their width.
  EXPECT_DOUBLE_EQ(t45().multiply_pj(t("uint8"), t("int8")), 0.2);
}

TEST(EnergyTable, SramEnergyFollowsBankSize) {
  const EnergyTable e = t45();
  // 1.25 pJ/byte at the 8 KiB reference bank, x (size/8)^0.5.
  EXPECT_DOUBLE_EQ(e.sram_pj_per_byte(8), 1.25);
  EXPECT_DOUBLE_EQ(e.sram_pj_per_byte(32), 2.5);
  EXPECT_DOUBLE_EQ(e.sram_pj_per_byte(2), 0.625);
}

TEST(EnergyTable, DerivedNodeScalesEnergyAndArea) {
  // 7nm.yaml = 45nm.yaml x 0.094 (Stillmaker & Baas 2017) for energy and leakage power; area
  // x (7/45)^2; the logic leakage density is then 0.025 x 0.094 / (7/45)^2 per um^2.
  const EnergyTable e7 = EnergyTable::load(std::string(ACCSIM_SOURCE_DIR) + "/configs/energy/7nm.yaml");
  const double area = (7.0 / 45.0) * (7.0 / 45.0);
  EXPECT_EQ(e7.technology_nm(), 7);
  EXPECT_NEAR(e7.multiply_pj(t("int8"), t("int8")), 0.2 * 0.094, 1e-15);
  EXPECT_NEAR(e7.sram_pj_per_byte(8), 1.25 * 0.094, 1e-15);
  EXPECT_NEAR(e7.mac_area_um2(t("int8")), 688.0 * area, 1e-9);
  EXPECT_NEAR(e7.logic_leakage_uw_per_um2(), 0.025 * 0.094 / area, 1e-12);
  // DRAM is off-chip: not scaled with the logic node.
  EXPECT_DOUBLE_EQ(e7.dram_pj_per_bit("lpddr4"), 8.0);
}

TEST(EnergyTable, DerivedNodeAddsItsOwnExtraEntriesUnscaled) {
  // gpu-7nm.yaml = 7nm.yaml (x 1.0) plus GPU entries stated at 7 nm: those are not scaled again,
  // the base's entries are (stc_mux2_per_bit 0.002 pJ at 45 nm x 0.094). gpu-4nm.yaml scales the
  // 45 nm table by 0.094 x 0.7 = 0.0658 (Stillmaker & Baas 2017; TSMC N5 vs N7).
  const std::string dir = std::string(ACCSIM_SOURCE_DIR) + "/configs/energy/";
  const EnergyTable g7 = EnergyTable::load(dir + "gpu-7nm.yaml");
  EXPECT_DOUBLE_EQ(g7.extra_pj("gpu_warp_instruction"), 2.82);       // 30 pJ x 0.094
  EXPECT_DOUBLE_EQ(g7.extra_pj("gpu_active_cycle_per_datapath_bit"), 0.12114);  // fitted (gpu-7nm.yaml)
  EXPECT_DOUBLE_EQ(g7.extra_pj("gpu_datapath_bit_toggle"), 0.16419);             // fitted (gpu-7nm.yaml)
  EXPECT_NEAR(g7.extra_pj("stc_mux2_per_bit"), 0.002 * 0.094, 1e-15);
  const EnergyTable g4 = EnergyTable::load(dir + "gpu-4nm.yaml");
  EXPECT_EQ(g4.technology_nm(), 4);
  EXPECT_NEAR(g4.multiply_pj(t("fp16"), t("fp16")), 1.1 * 0.0658, 1e-15);
  EXPECT_DOUBLE_EQ(g4.extra_pj("gpu_warp_instruction"), 1.97);       // 2.82 x 0.7
}

TEST(EnergyTable, MissingEntriesNameTableAndKey) {
  const EnergyTable e = t45();
  const std::string file = std::string(ACCSIM_SOURCE_DIR) + "/configs/energy/45nm.yaml";
  EXPECT_EQ(test::input_error([&] { e.dram_pj_per_bit("ddr9"); }),
            file + ": dram_pj_per_bit.ddr9: missing energy table entry (add it, with its source, to the table)");
  EXPECT_EQ(test::input_error([&] { e.add_pj(t("int4")); }),
            file + ": add_pj.int4: missing energy table entry (add it, with its source, to the table)");
  EXPECT_ERROR_HAS(test::input_error([&] { e.multiply_pj(t("fp16"), t("bf16")); }),
                   "mixed float formats fp16 x bf16 have no table entry");
  EXPECT_ERROR_HAS(test::input_error([&] { e.extra_pj("no_such_action"); }), "extra_pj.no_such_action");
}

TEST(EnergyTable, BadTablesAreLocatedErrors) {
  const std::string path = test::write_temp("bad.yaml", "technology_nm: 45\nmultiply_pj: {int8: -1}\n");
  EXPECT_EQ(test::input_error([&] { EnergyTable::load(path); }), path + ":2: multiply_pj.int8: must be >= 0");
  const std::string self = test::write_temp("self.yaml", "technology_nm: 45\nbase: self.yaml\n");
  EXPECT_ERROR_HAS(test::input_error([&] { EnergyTable::load(self); }), "base: a table cannot scale itself");
}

}  // namespace
}  // namespace accsim
