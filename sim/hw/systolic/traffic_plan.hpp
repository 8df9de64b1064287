#pragma once
// DRAM and SRAM traffic of the dense systolic array, fold by fold, and the controller's choice
// between spilling ws/is partial sums to DRAM and cutting the temporal dimension into chunks
// whose partial sums fit the ofmap buffer (docs/models/systolic.md §4). Pure arithmetic: the
// SystemC block runs the resulting tiles through its TilePipeline.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/memory/sram_buffer.hpp"
#include "sim/hw/systolic/fold_model.hpp"
#include "sim/hw/systolic/operand_layout.hpp"

namespace accsim {

struct TrafficInputs {
  int64_t rows = 0, cols = 0;
  Dataflow dataflow = Dataflow::OutputStationary;
  BufferSpec ifmap, filter, ofmap;
  // Element sizes in bytes: A (ifmap), B (filter), outputs, accumulators (partial sums).
  double a_bytes = 1, b_bytes = 1, out_bytes = 1, acc_bytes = 4;
  int64_t k_pack = 1;  // reduction elements per array row in ws/is (fused-product MAC lanes)
  // Cycles of one fold whose streamed operand is `t` temporal steps long (unscaled T).
  std::function<int64_t(int64_t t)> fold_cycles;
  // Set: every tile also carries the address streams of its loads and stores (timing DRAM).
  std::optional<OperandLayout> layout;
  // Set: consecutive identical folds become one tile with `repeat` > 1, and `regions` stays empty
  // (event mode without address streams, where nothing needs folds one by one). Every sum and the
  // pipeline's timeline are the same as fold by fold; it only saves building a tile per fold.
  bool run_length = false;
  // Set (sim.mode=cycle, needs `layout`): every tile with a fill also carries its FoldDemand
  // (fold_demand.hpp), the fill's bursts in the order the array first needs them.
  bool demand = false;
  int64_t temporal_scale = 1;  // cycles per temporal step (the demand's skew)
};

// Which part of the GEMM one fold touches: row fold, column fold, temporal window [t0, t0 + t_len)
// (os: t_len = K), and how many array rows (K elements for ws/is, M for os) and columns it uses.
struct FoldRegion {
  int64_t fr = 0, fc = 0, t0 = 0, t_len = 0, r_used = 0, c_used = 0;
  bool last_row_fold = false;
};

// One schedule of one GEMM instance. Buffer index: 0 ifmap, 1 filter, 2 ofmap.
struct TrafficPlan {
  std::vector<Tile> tiles;  // one per fold (per chunk and fold when chunked), in execution order;
                            // with TrafficInputs::run_length, one per run of identical folds
  std::vector<FoldRegion> regions;  // the fold each tile computes (empty with run_length)
  double sram_read_bytes[3] = {0, 0, 0};   // reads by the array, and write-back reads (ofmap)
  double sram_write_bytes[3] = {0, 0, 0};  // fills from DRAM, results from the array (ofmap)
  bool spills = false;          // some ws/is partial sums go out to DRAM and come back
  int64_t temporal_chunks = 1;  // most temporal chunks of any column fold (1 = not chunked)

  uint64_t folds() const;  // folds of one instance: tiles, counted with their repeats
  uint64_t dram_bytes() const;
  uint64_t compute_cycles() const;
};

// The schedule with the whole temporal dimension in each fold (SCALE-Sim's), or, with
// `chunk_temporal`, with ws's M / is's N cut into the longest chunks whose partial sums fit the
// ofmap buffer's tile capacity (row folds loop inside each chunk).
TrafficPlan plan_traffic(const GemmShape& g, const FoldPlan& plan, const TrafficInputs& in, bool chunk_temporal);

// The controller's estimate of a schedule's time: each tile takes its compute time or its DRAM
// transfer time, whichever is longer, with double buffering (2 slots); without, their sum plus
// the load latency. `bytes_per_cycle` <= 0 means unlimited bandwidth (no transfer time at all).
double estimate_cycles(const TrafficPlan& plan, double bytes_per_cycle, double latency_cycles, int slots);

// Plans the layer: when ws/is partial sums would spill, also plans the chunked schedule and keeps
// it if its estimated time is lower (on a tie, if it moves fewer DRAM bytes).
TrafficPlan choose_traffic(const GemmShape& g, const FoldPlan& plan, const TrafficInputs& in, double bytes_per_cycle,
                           double latency_cycles, int slots);

}  // namespace accsim
