#pragma once
// What a GEMM run on the GPU model did, as counts: the actions the energy stage prices (MACs at
// their precision, mux bit switches, register-file, shared-memory and L2 bytes) and the counters
// summary.json shows (tiling, waves, bytes, throughput). Plain C++ from the plan: no SystemC.
#include <cstdint>

#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/stc/gemm_plan.hpp"

namespace accsim {

// `cycles`: the simulated time of the layer; `compute_cycles`: tensor-core-busy cycles of the plan;
// `simulated`: waves the timeline actually played (the rest took the steady-state duration).
LayerResult stc_layer_result(const StcConfig& cfg, const ArchContext& arch, const Layer& layer, const GemmShape& g,
                             const GemmPlan& p, uint64_t cycles, uint64_t compute_cycles, int64_t simulated);

// Marks the counters that describe the layer rather than count its work (clock, throughput,
// tiling, wave efficiency) as per-layer properties: copies them into `figures`, so repeat does not
// multiply them and totals average them (sim/core/results.hpp).
void mark_per_layer_counters(LayerResult& r);
// SM-cycles with resident CTAs stepping their k-loop (one repeat, one sequential step).
double sm_active_cycles(const StcConfig& cfg, const GemmPlan& p);
// Probability that a tensor-datapath operand bit toggles from one element to the next: the mean of
// the weight (A) and activation (B) operands' bit_toggle_probability in their formats.
double operand_toggle_probability(const Layer& layer);
// Per tensor core: the widest datapath over the formats it runs (lanes x MAC area), um^2.
double stc_datapath_area_um2(const StcConfig& cfg, const ArchContext& arch);
// Operand bits one tensor core takes per clock (lanes x bits, widest format).
double stc_lane_bits_per_tensor_core(const StcConfig& cfg);
// Operand bits the selection muxes switch per tensor core (lanes x bits x (M-1) 2:1 stages).
double stc_mux_bits_per_tensor_core(const StcConfig& cfg);

}  // namespace accsim
