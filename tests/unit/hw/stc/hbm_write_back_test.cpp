// Round 6 (issue #11): kernel selection's estimate with a write-back L2 and read-first HBM, and
// selection ranking candidates at the clock each would run at (sim/hw/stc/kernel_select.hpp).
#include <gtest/gtest.h>

#include "sim/hw/stc/kernel_select.hpp"
#include "tests/unit/hw/stc/stc_test_layers.hpp"

namespace accsim {
namespace {

// A wave of 10 k-steps of 100 tensor-core cycles each (1,000 cycles), nothing but HBM traffic.
WavePlan wave(double read, double store) {
  WavePlan w;
  w.full.math_cycles = w.last.math_cycles = 100;
  w.hbm_read_bytes = read;
  w.store_hbm_bytes = store;
  return w;
}

GemmPlan two_waves(const WavePlan& a, const WavePlan& b) {
  GemmPlan p;
  p.ksteps = 10;
  p.ctas_per_sm = 2;  // prologue overlaps: no per-wave fill
  p.waves = {a, b};
  p.total_waves = 2;
  return p;
}

StcConfig no_latency() {
  StcConfig c = stc_test::a100_rates();
  c.l2_latency_cycles = 0;
  return c;
}

TEST(StcHbmWriteBack, ReadsComeFirstAndTheWriteBackDrainsInTheirSlack) {
  // 1 B/clk HBM. Wave 0 reads 700 B and writes back 600 B, wave 1 reads 100 B: each wave's reads
  // fit in its 1,000 compute cycles, and the 1,400 B of the kernel fit in its 2,000 cycles, so the
  // write-back hides: 2,000 cycles. (An in-order queue: max(1000, 700 + 600) + 1000 = 2,300.)
  EXPECT_DOUBLE_EQ(estimate_cycles(no_latency(), two_waves(wave(700, 600), wave(100, 0)), 1.0), 2000.0);
}

TEST(StcHbmWriteBack, TheKernelsWholeTrafficStillBoundsIt) {
  // Both waves read 900 B and write 900 B: the reads fit (900 < 1,000 cycles each) but 3,600 B
  // need 3,600 cycles of the 1 B/clk channel, whatever the order.
  EXPECT_DOUBLE_EQ(estimate_cycles(no_latency(), two_waves(wave(900, 900), wave(900, 900)), 1.0), 3600.0);
}

Layer gemm4096() {
  Layer l = stc_test::gemm_layer(OpKind::Gemm, 4096, 4096, 4096, 1, "fp16");
  l.name = "g";
  return l;
}

StcConfig sm80() {
  StcConfig c = stc_test::a100_rates();
  c.library = "sm80";
  return c;
}

const double kHbm = 1555e9 / 1.41e9;  // A100 SXM4 HBM2, bytes per clock

TEST(StcHbmWriteBack, SelectionRanksAtTheClockEachCandidateRunsAt) {
  const Layer l = gemm4096();
  const KernelChoice boost = select_kernel(sm80(), l, lower_to_gemm(l), false, NmFormat{}, kHbm);
  // An unlimited board: every candidate keeps its boost-clock time, the same choice.
  const AtClock same = [](const StcConfig&, const GemmPlan&, double t) { return t; };
  const KernelChoice unlimited = select_kernel(sm80(), l, lower_to_gemm(l), false, NmFormat{}, kHbm, 0, same);
  EXPECT_EQ(unlimited.name, boost.name);
  EXPECT_DOUBLE_EQ(unlimited.estimate_cycles, boost.estimate_cycles);
  // The boost winner's power halves its clock (the others' does not): it takes twice its boost
  // time, so another candidate wins, at a time between the winner's boost time and twice it.
  const StcConfig w = boost.config;
  const AtClock halves = [w](const StcConfig& k, const GemmPlan&, double t) {
    const bool winner = k.tile_m == w.tile_m && k.tile_n == w.tile_n && k.tile_k_bytes == w.tile_k_bytes &&
                        k.stages == w.stages && k.warp_m == w.warp_m && k.stream_k == w.stream_k;
    return winner ? 2 * t : t;
  };
  const KernelChoice limited = select_kernel(sm80(), l, lower_to_gemm(l), false, NmFormat{}, kHbm, 0, halves);
  EXPECT_NE(limited.name, boost.name);
  EXPECT_GE(limited.estimate_cycles, boost.estimate_cycles);
  EXPECT_LT(limited.estimate_cycles, 2 * boost.estimate_cycles);
}

}  // namespace
}  // namespace accsim
