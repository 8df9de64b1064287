#pragma once
// The systolic block's DRAM/SRAM traffic under Bit Fusion's buffer tiling (loop_tiling.hpp), for
// `compute.buffer_tiling: loop_search`: the loop tiling decides what crosses the DRAM interface
// and times the array as Bit Fusion streams it (folds back to back, one fill and drain).
#include "sim/hw/bitfusion/loop_tiling.hpp"
#include "sim/hw/systolic/traffic_plan.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

// The loop nest of one GEMM instance of `layer` (convs keep their taps and strides; everything
// else is its GEMM: b = M rows, ic = K, oc = N).
LoopNest loop_nest_of(const Layer& layer, const GemmShape& g);

// Compute cycles of one instance on Bit Fusion's array under `tiling`: the tiling's steps (per
// tile: batch x pixels x column tiles x taps x row tiles of channels, the authors' count) x the
// lane's temporal scale, plus one fill and drain of the array (R + C - 2): folds stream back to
// back (no stationary operand to preload, partial sums accumulate in the OBUF).
uint64_t loop_tiled_compute_cycles(const LoopTilingPlan& tiling, const TrafficInputs& in);

// Replaces the fold plan's transfers and timing: the compute cycles above spread evenly over the
// loop tiling's tiles, each tile loading and storing an equal share of the tiling's DRAM traffic.
// `tiling` receives the chosen plan.
TrafficPlan loop_tiled_traffic(const Layer& layer, const GemmShape& g, const TrafficPlan& folds, const TrafficInputs& in,
                               double dram_bytes_per_cycle, LoopTilingPlan& tiling);

}  // namespace accsim
