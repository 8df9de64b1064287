#pragma once
// The systolic block's plan (mapping and tiling of one layer, plain C++: no SystemC) and its
// actions (counts from the plan and the timeline's cycles). The block itself (systolic_block.cpp)
// is only the timeline: it plays the plan's tiles through the TilePipeline in simulated time.
#include <cstdint>
#include <vector>

#include "sim/core/results.hpp"
#include "sim/hw/bitfusion/loop_tiling.hpp"
#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/mac/mac_unit.hpp"
#include "sim/hw/memory/sram_buffer.hpp"
#include "sim/hw/systolic/buffer_conflicts.hpp"
#include "sim/hw/systolic/fold_model.hpp"
#include "sim/hw/systolic/operand_layout.hpp"
#include "sim/hw/systolic/traffic_plan.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

struct SystolicConfig {
  int64_t rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::OutputStationary;
  bool os_output_drain = false;
  bool per_tap_channels = false;  // conv_reduction: channels (Bit Fusion's mapping)
  bool loop_tiling = false;       // buffer_tiling: loop_search (Bit Fusion's tiling, sim/hw/bitfusion)
  DramLayout layout = DramLayout::RowMajor;  // operands in DRAM (address streams)
  BufferSpec ifmap, filter, ofmap;
  int slots() const { return ifmap.double_buffered && filter.double_buffered ? 2 : 1; }
};

// What the plan needs from the rest of the architecture.
struct SystolicPlanInputs {
  Precision precision;
  double products_per_cycle = 1;  // of one MAC lane at this precision
  bool step_cycles = false;       // sim.mode=cycle: the block steps every fold (cycle_mode.hpp); the
                                  // plan's schedule choice always uses the fold equations
  bool addresses = false;         // the memory wants address streams (dram.kind=timing)
  double dram_bytes_per_cycle = 0;  // <= 0: unlimited
  double dram_latency_cycles = 0;
};

struct SystolicLayerPlan {
  GemmShape gemm;
  Precision precision;
  int64_t temporal_scale = 1;  // cycles per temporal step of a lane slower than one product/cycle
  int64_t k_pack = 1;          // reduction elements one lane consumes per step (fused products)
  FoldPlan folds;
  TrafficPlan traffic;
  LoopTilingPlan tiling;       // buffer_tiling: loop_search only
  uint64_t fold_tiles = 0;           // folds of the fold schedule (per instance, repeats counted)
  uint64_t first_fold_cycles = 0;    // its first tile's compute cycles
  uint64_t footprint = 0;      // bytes of one instance's operands in DRAM (0: no address streams)
  std::vector<FoldConflicts> conflicts;  // per tile of traffic; empty: buffers ideal (ports 0)
  double repeats() const { return static_cast<double>(gemm.instances * gemm.sequential_steps); }
};

// Mapping and tiling: lowers the layer to a GEMM, packs K for fused lanes, folds it onto the
// array and chooses the traffic schedule (docs/models/systolic.md).
SystolicLayerPlan plan_systolic_layer(const Layer& layer, const SystolicConfig& cfg, const SystolicPlanInputs& in);

// The tile stream of the whole layer: the schedule once per instance and sequential step; an RNN
// step's first tile waits for the previous step's results.
std::vector<Tile> layer_tiles(const SystolicLayerPlan& plan);

// Adds each tile's SRAM bank-conflict stall cycles to its compute cycles (after sim.mode=cycle
// stepping replaced them); nothing when the buffers are ideal.
void add_bank_stalls(const SystolicLayerPlan& plan, std::vector<Tile>& tiles);

// Cycles, MACs, actions, counters and figures of one repeat of the layer, given its timing.
LayerResult systolic_result(const SystolicLayerPlan& plan, const SystolicConfig& cfg, const PipelineTiming& timing);

}  // namespace accsim
