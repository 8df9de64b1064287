// A mixed-precision network on the Bit Fusion array in one run: each layer's bit widths set the
// fusion factor. Compute cycles are checked against the output-stationary fold equation
// (docs/models/systolic.md, docs/models/mac.md), worked by hand below.
#include <gtest/gtest.h>

#include "sim/core/error.hpp"
#include "sim/hw/accelerator.hpp"

using namespace accsim;

namespace {

Layer gemm(const std::string& name, int wbits, int abits) {
  Layer l;
  l.name = name;
  l.op = OpKind::Gemm;
  l.m = 16;   // one array row fold (16 rows)
  l.n = 32;   // one column fold (32 columns)
  l.k = 256;
  l.weights.dtype = int_dtype(wbits);
  l.activations.dtype = l.outputs.dtype = int_dtype(abits);
  parse_dtype("int32", l.accumulators.dtype);
  return l;
}

double energy_of(const LayerResult& r, const std::string& component) {
  for (const auto& [name, pj] : r.energy.items())
    if (name == component) return pj;
  return -1;
}

RunOutput run(const std::string& arch, std::vector<Layer> layers, std::vector<std::string> overrides = {}) {
  RunRequest req;
  req.arch_path = arch;
  req.overrides = std::move(overrides);
  req.workload.name = "mixed";
  req.workload.source = "test";
  req.workload.layers = std::move(layers);
  return simulate(req);
}

}  // namespace

TEST(MacMixedPrecision, FusionFactorFollowsEachLayer) {
  const RunOutput out = run("configs/arch/bitfusion.yaml",
                            {gemm("first8", 8, 8), gemm("mid2", 2, 2), gemm("mid4", 4, 4), gemm("wide16", 16, 16)});
  const auto& L = out.result.layers;
  ASSERT_EQ(L.size(), 4u);
  // OS fold on 16 x 32: R + C + T - 2 cycles with T = ceil(K / P) x (cycles per product).
  //   8x8:  P = 1,  T = 256          -> 16 + 32 + 256 - 2 = 302
  //   2x2:  P = 16, T = 16           -> 62
  //   4x4:  P = 4,  T = 64           -> 110
  //   16x16: 4 cycles per product, T = 1024 -> 1070
  EXPECT_EQ(L[0].compute_cycles, 302u);
  EXPECT_EQ(L[1].compute_cycles, 62u);
  EXPECT_EQ(L[2].compute_cycles, 110u);
  EXPECT_EQ(L[3].compute_cycles, 1070u);
  // Peak products per cycle: 512 units x P (or / cycles per product).
  EXPECT_DOUBLE_EQ(L[0].peak_macs_per_cycle, 512.0);
  EXPECT_DOUBLE_EQ(L[1].peak_macs_per_cycle, 8192.0);
  EXPECT_DOUBLE_EQ(L[2].peak_macs_per_cycle, 2048.0);
  EXPECT_DOUBLE_EQ(L[3].peak_macs_per_cycle, 128.0);
  for (const auto& r : L) EXPECT_EQ(r.macs, 16u * 32u * 256u);
  // MAC energy: macs x cycle energy / P, cycle = 0.756 pJ (16 x 0.0125 + 15 x 0.0304 + 0.1).
  const double macs = 16.0 * 32 * 256, cycle = 0.756;
  EXPECT_NEAR(energy_of(L[0], "mac"), macs * cycle, 1e-6);
  EXPECT_NEAR(energy_of(L[1], "mac"), macs * cycle / 16, 1e-6);
  EXPECT_NEAR(energy_of(L[3], "mac"), macs * cycle * 4, 1e-6);
  // Area: 512 fusion units of 1733 um^2 (ISCA'18) plus 64 + 32 + 16 KiB of buffers at
  // 4724 um^2/KiB (configs/energy/45nm.yaml sram.area_um2_per_kb).
  EXPECT_DOUBLE_EQ(out.area_um2, 512 * 1733.0 + (64 + 32 + 16) * 4724.0);
}

TEST(MacMixedPrecision, CycleModeAgreesWithTheFoldEquation) {
  // The PE-grid stepping (sim.mode=cycle) must give the same fold cycles for packed K.
  const RunOutput out = run("configs/arch/bitfusion.yaml", {gemm("mid2", 2, 2), gemm("wide16", 16, 8)},
                            {"sim.mode=cycle", "compute.buffer_tiling=folds"});
  EXPECT_EQ(out.result.layers[0].compute_cycles, 62u);
  // 16x8: 8 x 4 = 32 brick products = 2 cycles per product: T = 512 -> 16 + 32 + 512 - 2 = 558.
  EXPECT_EQ(out.result.layers[1].compute_cycles, 558u);
}

TEST(MacMixedPrecision, WeightStationaryPacksKOntoRows) {
  // ws on 16 x 32: rows hold K' = ceil(K / P). 2x2: K' = 16 -> one row fold; fold = 2R + C + M - 2
  // = 32 + 32 + 16 - 2 = 78. 8x8: K' = 256 -> 16 row folds of 78 cycles = 1248.
  const RunOutput out = run("configs/arch/bitfusion.yaml", {gemm("mid2", 2, 2), gemm("first8", 8, 8)},
                            {"compute.dataflow=ws", "compute.conv_reduction=im2col", "compute.buffer_tiling=folds"});
  EXPECT_EQ(out.result.layers[0].compute_cycles, 78u);
  EXPECT_EQ(out.result.layers[1].compute_cycles, 16u * 78u);
  EXPECT_DOUBLE_EQ(out.result.layers[0].counters.at("folds"), 1.0);
  EXPECT_DOUBLE_EQ(out.result.layers[1].counters.at("folds"), 16.0);
}

TEST(MacMixedPrecision, UnsupportedLayerIsAnInputErrorNamingIt) {
  try {
    run("configs/arch/fixed8-iso-area.yaml", {gemm("ok8", 8, 8), gemm("too_wide", 16, 8)});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("too_wide"), std::string::npos) << msg;
    EXPECT_NE(msg.find("int16"), std::string::npos) << msg;
  }
}
