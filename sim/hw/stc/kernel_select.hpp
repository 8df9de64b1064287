#pragma once
// Library-style kernel selection: plan the GEMM with every kernel of the generation's catalogue
// (and, for grids smaller than a wave, every split-K that divides the k-steps), estimate each
// candidate's time from its plan, keep the fastest. Plain C++; the SystemC block then plays only
// the chosen plan. With library "fixed" the configured tile runs as before.
#include <functional>
#include <string>

#include "sim/hw/stc/gemm_plan.hpp"

namespace accsim {

struct KernelChoice {
  GemmPlan plan;
  StcConfig config;          // the configuration the plan was made with
  std::string name;          // e.g. "sm80_gemm_128x128x32_5stage_w64x64"
  double estimate_cycles = 0;
  int candidates = 0;        // configurations that fit and were timed
};

// Estimated kernel time in cycles from a plan: per wave the largest of tensor-core, L2, SM-port
// and HBM time, plus the epilogue store, the pipeline fill and a split-K reduction pass.
// `launch_cycles`: the launch floor of one kernel (split-K adds a reduction kernel).
double estimate_cycles(const StcConfig& c, const GemmPlan& p, double hbm_bytes_per_clk, double launch_cycles = 0);

// A candidate's time at the clock it would run at: given its configuration, plan and estimated
// cycles at the boost clock, the cycles it takes once the board power limit sets its clock
// (SparseTensorCoreBlock: the run's own power rule). Empty: the boost-clock estimate ranks.
using AtClock = std::function<double(const StcConfig&, const GemmPlan&, double boost_cycles)>;

// Global workspace a plan's kernel needs, in bytes (a lower bound): a stream-K kernel one
// accumulator tile per unit for its partials plus a 4-byte flag per unit, each rounded up to
// 128 B (CUTLASS GemmUniversalStreamk: kWorkspaceBytesPerBlock >= the CTA's accumulator tile,
// get_partials_workspace_size, get_barrier_workspace_size); a split-K kernel its S partial
// C matrices (the reduction pass's input); a data-parallel kernel none.
double kernel_workspace_bytes(const GemmPlan& p);

// Throws InputError at the layer when no configuration fits (naming the catalogue).
KernelChoice select_kernel(const StcConfig& c, const Layer& layer, const GemmShape& g, bool sparse, const NmFormat& f,
                           double hbm_bytes_per_clk, double launch_cycles = 0, const AtClock& at_clock = {});

}  // namespace accsim
