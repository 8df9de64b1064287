// MAC unit models: throughput tables, the energy scaling laws and precision checks. Expected values
// are derived by hand from the model equations (docs/models/mac.md) and configs/energy/45nm.yaml.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include "sim/core/error.hpp"
#include "sim/hw/mac/bit_fusion_mac.hpp"
#include "sim/hw/mac/mac_unit.hpp"
#include "tests/unit/test_support.hpp"

using namespace accsim;

namespace {

EnergyTable table() { return EnergyTable::load("configs/energy/45nm.yaml"); }

std::unique_ptr<MacUnit> unit(const std::string& yaml) {
  ConfigNode node = open_config(YAML::Load(yaml), "test-mac.yaml");
  return make_mac_unit(node);
}

DType t(const std::string& name) {
  DType d;
  if (!parse_dtype(name, d)) d = int_dtype(std::stoi(name));  // "3" -> int3
  return d;
}

Precision prec(const std::string& w, const std::string& a, const std::string& acc = "int32") {
  return Precision{t(w), t(a), t(acc)};
}

std::string check_error(const MacUnit& u, const Precision& p) {
  try {
    u.check(p, SourceLocation{"net.yaml", 7, "layers[2] (layer 'conv2')"});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(BitFusionMac, ProductsPerCycleTable) {
  // 16 bricks / (slices(w) x slices(a)); slices = ceil(bits/2) rounded up to a power of two
  // (ISCA'18: 16 F-PEs for 2x2, 4 for 8x2 / 4x4 / 2x8, 1 for 8x8).
  auto u = unit("kind: bit_fusion\n");
  struct Row { const char* w; const char* a; double ppc; };
  const Row rows[] = {
      {"int2", "int2", 16}, {"int1", "int1", 16}, {"int2", "int4", 8}, {"int4", "int4", 4},
      {"int8", "int2", 4},  {"int2", "int8", 4},  {"int4", "int8", 2}, {"int8", "int8", 1},
      {"3", "3", 4},        // 3 bits -> 2 slices (fusion in powers of two), 16 / 4
      {"6", "2", 4},        // 6 bits -> 3 slices -> 4, 16 / 4
      {"int16", "int8", 0.5},  // 8 x 4 = 32 brick products: two cycles
      {"int16", "int16", 0.25},  // 64 brick products: four cycles
      {"uint8", "uint4", 2},
  };
  for (const Row& r : rows) EXPECT_DOUBLE_EQ(u->products_per_cycle(prec(r.w, r.a)), r.ppc) << r.w << " x " << r.a;
  auto big = unit("kind: bit_fusion\nbricks: 64\n");
  EXPECT_DOUBLE_EQ(big->products_per_cycle(prec("int8", "int8")), 4.0);
  EXPECT_DOUBLE_EQ(big->products_per_cycle(prec("int2", "int2")), 64.0);
}

TEST(BitFusionMac, EnergyScalesWithTheProductOfOperandWidths) {
  const EnergyTable e = table();
  auto u = unit("kind: bit_fusion\n");
  // One cycle: 16 bricks x 0.0125 + 15 shift-adds x 0.0304 + one int32 add 0.1 = 0.756 pJ.
  const double cycle = 16 * 0.0125 + 15 * 0.0304 + 0.1;
  EXPECT_NEAR(u->energy_pj_per_mac(prec("int8", "int8"), e), cycle, 1e-12);
  EXPECT_NEAR(u->energy_pj_per_mac(prec("int2", "int2"), e), cycle / 16, 1e-12);
  EXPECT_NEAR(u->energy_pj_per_mac(prec("int4", "int8"), e), cycle / 2, 1e-12);
  EXPECT_NEAR(u->energy_pj_per_mac(prec("int16", "int16"), e), cycle * 4, 1e-12);
  // (w x a) products: 4x4 costs 4x a 2x2, and 8x2 the same as 4x4.
  EXPECT_NEAR(u->energy_pj_per_mac(prec("int4", "int4"), e) / u->energy_pj_per_mac(prec("int2", "int2"), e), 4.0, 1e-12);
  EXPECT_NEAR(u->energy_pj_per_mac(prec("int8", "int2"), e), u->energy_pj_per_mac(prec("int4", "int4"), e), 1e-12);
  EXPECT_DOUBLE_EQ(u->area_um2(e), 1733.0);  // ISCA'18 bit-flexible PE
  EXPECT_NEAR(u->leakage_uw(e), 1733.0 * 0.025, 1e-9);
}

TEST(FixedMac, EnergyIsThatOfTheBuiltWidth) {
  const EnergyTable e = table();
  auto i8 = unit("kind: fixed\nformat: int8\n");
  // int8 multiply 0.2 + int32 add 0.1, whatever narrower operands it is given.
  EXPECT_NEAR(i8->energy_pj_per_mac(prec("int8", "int8"), e), 0.3, 1e-12);
  EXPECT_NEAR(i8->energy_pj_per_mac(prec("int2", "int2"), e), 0.3, 1e-12);
  EXPECT_DOUBLE_EQ(i8->products_per_cycle(prec("int2", "int2")), 1.0);
  EXPECT_DOUBLE_EQ(i8->area_um2(e), 688.0);
  auto i16 = unit("kind: fixed\nformat: int16\n");
  EXPECT_NEAR(i16->energy_pj_per_mac(prec("int16", "int16"), e), 0.8 + 0.1, 1e-12);
  auto h = unit("kind: fixed\nformat: fp16\n");  // fp16 multiply 1.1 + fp32 add 0.9 (default acc)
  EXPECT_NEAR(h->energy_pj_per_mac(prec("fp16", "fp16", "fp32"), e), 2.0, 1e-12);
  // The table's multiplier law: int4 x int8 = sqrt(0.05 x 0.2) = 0.1 = 0.2 x (4 x 8) / (8 x 8).
  EXPECT_NEAR(e.multiply_pj(t("int4"), t("int8")), 0.1, 1e-12);
}

TEST(BitSerialMac, CyclesAndEnergyLinearInSerialBits) {
  const EnergyTable e = table();
  auto s = unit("kind: bit_serial\n");  // Stripes: 16-bit parallel weights, 1 activation bit/cycle
  EXPECT_DOUBLE_EQ(s->products_per_cycle(prec("int16", "int8")), 1.0 / 8);
  EXPECT_DOUBLE_EQ(s->products_per_cycle(prec("int8", "int4")), 1.0 / 4);
  // 8 cycles x a 17-bit add (16 + 1) x 0.003125 pJ/bit + one int32 add 0.1 = 0.525 pJ.
  EXPECT_NEAR(s->energy_pj_per_mac(prec("int16", "int8"), e), 8 * 17 * 0.003125 + 0.1, 1e-12);
  EXPECT_NEAR(s->energy_pj_per_mac(prec("int16", "int4"), e), 4 * 17 * 0.003125 + 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(s->area_um2(e), 125.0 * 17 / 4);
  auto loom = unit("kind: bit_serial\nserial_operands: both\n");
  EXPECT_DOUBLE_EQ(loom->products_per_cycle(prec("int8", "int8")), 1.0 / 64);
  EXPECT_DOUBLE_EQ(loom->products_per_cycle(prec("int4", "int2")), 1.0 / 8);
  auto wide = unit("kind: bit_serial\nbits_per_cycle: 2\n");
  EXPECT_DOUBLE_EQ(wide->products_per_cycle(prec("int8", "5")), 1.0 / 3);  // ceil(5/2)
}

TEST(MacCheck, ErrorsNameTheLayerAndThePrecision) {
  auto i8 = unit("kind: fixed\nformat: int8\n");
  const std::string msg = check_error(*i8, prec("int16", "int8"));
  EXPECT_NE(msg.find("net.yaml:7"), std::string::npos) << msg;
  EXPECT_NE(msg.find("layer 'conv2'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("int16"), std::string::npos) << msg;
  EXPECT_EQ(check_error(*i8, prec("int4", "uint8")), "");  // mixed_sign default (TPUv1-style)
  auto strict = unit("kind: fixed\nformat: int8\nmixed_sign: false\n");
  EXPECT_NE(check_error(*strict, prec("int8", "uint8")), "");
  EXPECT_NE(check_error(*i8, prec("fp8_e4m3", "fp8_e4m3", "fp32")), "");
  auto h = unit("kind: fixed\nformat: fp16\n");
  EXPECT_EQ(check_error(*h, prec("fp8_e4m3", "fp16", "fp32")), "");  // e4m3 embeds in fp16
  EXPECT_NE(check_error(*h, prec("bf16", "bf16", "fp32")), "");      // 8 exponent bits do not
  auto acc16 = unit("kind: fixed\nformat: int8\naccumulator: int16\n");
  EXPECT_NE(check_error(*acc16, prec("int8", "int8", "int32")), "");
  auto bf = unit("kind: bit_fusion\n");
  EXPECT_NE(check_error(*bf, prec("fp16", "fp16", "fp32")).find("integers only"), std::string::npos);
  EXPECT_NE(check_error(*bf, prec("int32", "int8")).find("max_bits"), std::string::npos);
  EXPECT_EQ(check_error(*bf, prec("int16", "int2")), "");
  auto serial = unit("kind: bit_serial\n");
  EXPECT_NE(check_error(*serial, prec("int32", "int8")).find("weight_bits"), std::string::npos);
}

TEST(MacConfig, RejectsBadParameters) {
  // Each error names the file, the line and the key, and says why.
  auto error = [](const std::string& yaml) { return test::input_error([&] { unit(yaml); }); };
  EXPECT_EQ(error("kind: bit_fusion\nbricks: 12\n"),
            "test-mac.yaml:2: bricks: must be a power of two up to 4096 (bricks fuse in powers of two)");
  EXPECT_EQ(error("kind: bit_fusion\naccumulator: fp32\n"), "test-mac.yaml:2: accumulator: BitBricks accumulate integers");
  EXPECT_EQ(error("kind: fixed\nformat: int8\noverflow: ieee\n"),
            "test-mac.yaml:3: overflow: an integer accumulator cannot be ieee (use wrap|saturate)");
  EXPECT_EQ(error("kind: fixed\nformat: fp16\noverflow: wrap\n"),
            "test-mac.yaml:3: overflow: a float accumulator cannot wrap (use ieee|saturate)");
  EXPECT_EQ(error("kind: fixed\nformat: int7\n"), "test-mac.yaml:2: format: unknown format 'int7'");
  EXPECT_EQ(error("kind: bit_serial\nserial_operands: weights\n"),
            "test-mac.yaml:2: serial_operands: must be one of activations|both (got 'weights')");
  EXPECT_ERROR_HAS(error("kind: fixed\nbricks: 16\n"), "test-mac.yaml:2: bricks: unknown key");  // not a fixed key
  EXPECT_ERROR_HAS(error("kind: tiny\n"), "test-mac.yaml:1: kind: unknown MAC kind 'tiny' (known: ");
  // A valid saturating fp8 unit: built, and it keeps the format it was given.
  const auto fp8 = unit("kind: fixed\nformat: fp8_e4m3\noverflow: saturate\n");
  ASSERT_NE(fp8, nullptr);
  EXPECT_EQ(check_error(*fp8, prec("fp8_e4m3", "fp8_e4m3", "fp32")), "");
}

TEST(MacFunctional, UnitsComputeWithTheirConfiguredAccumulator) {
  const std::vector<double> w(3, 127.0), a(3, 127.0);
  // 3 x 127 x 127 = 48387 overflows int16: wraps to 48387 - 65536 = -17149, or clips to 32767.
  auto wrap = unit("kind: fixed\nformat: int8\naccumulator: int16\n");
  auto sat = unit("kind: fixed\nformat: int8\naccumulator: int16\noverflow: saturate\n");
  EXPECT_EQ(wrap->dot(prec("int8", "int8", "int16"), w, a), -17149.0);
  EXPECT_EQ(sat->dot(prec("int8", "int8", "int16"), w, a), 32767.0);
  // Bit Fusion splits products into bricks but the sum is exact: 1 x -2 + 1 x 1 + -2 x -2 = 3.
  auto bf = unit("kind: bit_fusion\n");
  EXPECT_EQ(bf->dot(prec("int2", "int2"), {1, 1, -2}, {-2, 1, -2}), 3.0);
  EXPECT_THROW(bf->dot(prec("int2", "int2"), {2}, {1}), std::out_of_range);  // 2 is not an int2
  // fp16 unit with an fp16 accumulator stalls at 2048 (ulp 2; 2048 + 1 ties to even).
  auto h = unit("kind: fixed\nformat: fp16\naccumulator: fp16\n");
  const std::vector<double> ones(3000, 1.0);
  EXPECT_EQ(h->dot(prec("fp16", "fp16", "fp16"), ones, ones), 2048.0);
  auto h32 = unit("kind: fixed\nformat: fp16\n");
  EXPECT_EQ(h32->dot(prec("fp16", "fp16", "fp32"), ones, ones), 3000.0);
  // E4M3 operands: 0.1 rounds to 0.1015625 (1.101b x 2^-4) before the exact fp32 product.
  auto f8 = unit("kind: fixed\nformat: fp8_e4m3\n");
  EXPECT_EQ(f8->dot(prec("fp8_e4m3", "fp8_e4m3", "fp32"), {0.1}, {0.1}), 0.1015625 * 0.1015625);
}
