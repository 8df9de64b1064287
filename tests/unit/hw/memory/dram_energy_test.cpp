// Per-action DRAM energies of the timing presets (DramTimingSpec::*_pj), each derived by hand
// from the cited currents / per-bit figures (dram_presets.cpp; docs/models/dram.md).
// Units: mA x V x ns = pJ.
#include <gtest/gtest.h>

#include "sim/hw/memory/dram_timing_spec.hpp"

namespace accsim {
namespace {

DramTimingSpec preset(const char* name) {
  DramTimingSpec s;
  EXPECT_TRUE(dram_preset(name, s));
  return s;
}

// DDR4-3200, Micron MT40A1G8 currents, VDD 1.2 V, 8 devices; tRC 74 tCK = 46.25 ns, tRAS 52 tCK =
// 32.5 ns, BL 4 tCK = 2.5 ns, tRFC 560 tCK = 350 ns.
TEST(DramEnergy, Ddr4FromIdd) {
  const DramTimingSpec s = preset("ddr4-3200");
  ASSERT_TRUE(s.prices_actions());
  // 1.2 x (48 x 46.25 - 43 x 32.5 - 34 x 13.75) x 8 = 1.2 x 355 x 8
  EXPECT_NEAR(s.act_pj(), 3408.0, 1e-6);
  EXPECT_NEAR(s.read_pj(), 1.2 * (135 - 43) * 2.5 * 8, 1e-6);   // 2208 pJ = 4.3 pJ/bit
  EXPECT_NEAR(s.write_pj(), 1.2 * (123 - 43) * 2.5 * 8, 1e-6);  // 1920 pJ
  EXPECT_NEAR(s.refresh_pj(), 1.2 * (250 - 43) * 350 * 8, 1e-6);  // 695.52 nJ
  EXPECT_NEAR(s.background_mw(), 1.2 * 43 * 8, 1e-9);           // 412.8 mW, open page
}

// LPDDR4-3200, Micron 6 Gb x16 channel, two rails: VDD1 1.8 V, VDD2 1.1 V; one device per
// channel. tRC 97 tCK = 60.625 ns, tRAS 68 tCK = 42.5 ns, BL 8 tCK = 5 ns, tRFCab 448 tCK = 280 ns.
TEST(DramEnergy, Lpddr4FromIddTwoRails) {
  DramTimingSpec s = preset("lpddr4-3200");
  ASSERT_TRUE(s.prices_actions());
  // VDD1: 1.8 x (3.5 x 60.625 - 2.25 x 42.5 - 2.0 x 18.125) = 1.8 x 80.3125 = 144.5625
  // VDD2: 1.1 x (45 x 60.625 - 30 x 42.5 - 27 x 18.125)    = 1.1 x 963.75  = 1060.125
  EXPECT_NEAR(s.act_pj(), 1204.6875, 1e-6);
  EXPECT_NEAR(s.read_pj(), 1.1 * (275 - 30) * 5, 1e-6);   // 1347.5 pJ per 32 B = 5.26 pJ/bit
  EXPECT_NEAR(s.write_pj(), 1.1 * (210 - 30) * 5, 1e-6);  // 990 pJ
  EXPECT_NEAR(s.refresh_pj(), 1.8 * (10 - 2.25) * 280 + 1.1 * (90 - 30) * 280, 1e-6);  // 22.386 nJ
  EXPECT_NEAR(s.background_mw(), 1.8 * 2.25 + 1.1 * 30, 1e-9);  // 37.05 mW
  s.open_page = false;
  EXPECT_NEAR(s.background_mw(), 1.8 * 2.0 + 1.1 * 27, 1e-9);   // 33.3 mW, precharged standby
}

// HBM2/HBM3: O'Connor et al. MICRO'17 HBM2 split, 3.97 pJ/bit = 1.21 activation + 2.24 on-die
// movement + 0.52 rest; 256 bits per burst, one 32 B access per activate.
TEST(DramEnergy, HbmFromPerBitSplit) {
  for (const char* name : {"hbm2", "hbm2e", "hbm3"}) {
    const DramTimingSpec s = preset(name);
    ASSERT_TRUE(s.prices_actions()) << name;
    EXPECT_NEAR(s.act_pj(), 309.76, 1e-9) << name;
    EXPECT_NEAR(s.read_pj(), 706.56, 1e-9) << name;
    EXPECT_NEAR(s.write_pj(), 706.56, 1e-9) << name;
    // One access per activate gives back the paper's total: (309.76 + 706.56) / 256 = 3.97.
    EXPECT_NEAR((s.act_pj() + s.read_pj()) / 256, 3.97, 1e-9) << name;
  }
}

// HBM refresh and standby per pseudo channel, from the CMU-SAFARI HBM-Power measurements
// (config/HBM2_1200MTs/power.json, per pseudo channel, VDD 1.2 V): IDD2N 11.756, IDD3N1 12.394,
// IDD5B 66.331 mA, tRFC 350 ns. REF = 1.2 x (66.331 - 12.394) x 350 = 22,653.54 pJ;
// standby 1.2 x 12.394 = 14.8728 mW open page, 1.2 x 11.756 = 14.1072 mW closed.
// HBM3 from config/HBM3E_6400MTs/power.json (VDD 1.1 V): IDD2N 70.5, IDD3N1 71.2, IDD5B 164.7;
// REF = 1.1 x 93.5 x 350 = 35,997.5 pJ; standby 1.1 x 71.2 = 78.32 mW, 1.1 x 70.5 = 77.55 mW.
TEST(DramEnergy, HbmRefreshAndStandbyFromMeasuredCurrents) {
  for (const char* name : {"hbm2", "hbm2e"}) {
    DramTimingSpec s = preset(name);
    EXPECT_NEAR(s.refresh_pj(), 22653.54, 1e-6) << name;
    EXPECT_NEAR(s.background_mw(), 14.8728, 1e-9) << name;
    s.open_page = false;
    EXPECT_NEAR(s.background_mw(), 14.1072, 1e-9) << name;
  }
  DramTimingSpec s = preset("hbm3");
  EXPECT_NEAR(s.refresh_pj(), 35997.5, 1e-6);
  EXPECT_NEAR(s.background_mw(), 78.32, 1e-9);
  s.open_page = false;
  EXPECT_NEAR(s.background_mw(), 77.55, 1e-9);
  // H100's memory: 160 pseudo channels x 78.32 mW = 12.53 W of standby (open page).
  EXPECT_NEAR(preset("hbm3").background_mw() * preset("hbm3").channels, 12531.2, 1e-6);
}

}  // namespace
}  // namespace accsim
