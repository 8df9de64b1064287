#pragma once
// The systolic block's DRAM/SRAM traffic under Bit Fusion's buffer tiling (loop_tiling.hpp), for
// `compute.buffer_tiling: loop_search`: the fold plan keeps the array timing (compute cycles per
// fold), the loop tiling decides what crosses the DRAM interface.
#include "sim/hw/bitfusion/loop_tiling.hpp"
#include "sim/hw/systolic/traffic_plan.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

// The loop nest of one GEMM instance of `layer` (convs keep their taps and strides; everything
// else is its GEMM: b = M rows, ic = K, oc = N).
LoopNest loop_nest_of(const Layer& layer, const GemmShape& g);

// Replaces the fold plan's transfers: the layer's compute cycles (from `folds`) spread evenly over
// the loop tiling's tiles, each tile loading and storing an equal share of the tiling's DRAM
// traffic. `tiling` receives the chosen plan.
TrafficPlan loop_tiled_traffic(const Layer& layer, const GemmShape& g, const TrafficPlan& folds, const TrafficInputs& in,
                               double dram_bytes_per_cycle, LoopTilingPlan& tiling);

}  // namespace accsim
