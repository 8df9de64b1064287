// Dense R x C systolic array (os/ws/is) with ifmap/filter/ofmap SRAM buffers, fed over the DRAM
// channel through a double-buffered tile pipeline. One tile = one fold of the array.
// Plan (mapping, tiling) and actions: layer_plan.cpp (plain C++); this file: the timeline, the
// block's declaration and its prices.
#include <cstdio>

#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/memory/sram_buffer.hpp"
#include "sim/hw/systolic/cycle_mode.hpp"
#include "sim/hw/systolic/layer_plan.hpp"

namespace accsim {

namespace {

std::string format_count(long double n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3Lg", n);
  return buf;
}

class SystolicBlock : public ComputeBlock {
 public:
  SystolicBlock(const ArchContext& arch, MemoryModel& dram, SystolicConfig cfg)
      : ComputeBlock("systolic", arch, dram), cfg_(std::move(cfg)) {}

  void check(const Layer& layer) const override {
    const GemmShape g = lower_to_gemm(layer);
    if (g.m <= 0 || g.n <= 0 || g.k <= 0) layer_error(layer, "lowers to an empty GEMM");
    // Every fold is one tile of the pipeline; bound the tile list's memory and run time.
    const FoldPlan plan = plan_folds(g, cfg_.rows, cfg_.cols, cfg_.dataflow);
    const long double tiles = static_cast<long double>(plan.folds()) * static_cast<long double>(g.instances) *
                              static_cast<long double>(g.sequential_steps);
    if (tiles > 2e7L)
      layer_error(layer, "needs " + format_count(tiles) + " folds on this array; the fold-by-fold model is limited to 2e7 per layer");
    // Cycle mode steps the im2col GEMM; the per-tap channel mapping only changes fold timing and
    // has no stepped counterpart yet.
    if (arch_.sim_mode == "cycle" && cfg_.per_tap_channels && layer.op == OpKind::Conv2d)
      layer_error(layer, "compute.conv_reduction=channels is not stepped in sim.mode=cycle (set compute.conv_reduction=im2col)");
    if (arch_.sim_mode == "cycle" && cfg_.loop_tiling)
      layer_error(layer, "compute.buffer_tiling=loop_search is not stepped in sim.mode=cycle (set compute.buffer_tiling=folds)");
    // Cycle mode holds A, B and C of one instance as 4- and 8-byte values.
    if (arch_.sim_mode == "cycle" && (g.m * g.k + g.k * g.n + 2 * g.m * g.n) > 400'000'000)
      layer_error(layer, "too large for sim.mode=cycle (operands of " + format_count(static_cast<long double>(g.m * g.k + g.k * g.n)) +
                             " elements; limit 4e8)");
  }

  double leakage_uw() const override {
    const double lanes = static_cast<double>(cfg_.rows * cfg_.cols);
    return lanes * arch_.mac->leakage_uw(arch_.energy) + cfg_.ifmap.leakage_uw(arch_.energy) +
           cfg_.filter.leakage_uw(arch_.energy) + cfg_.ofmap.leakage_uw(arch_.energy);
  }
  double area_um2() const override {
    return static_cast<double>(cfg_.rows * cfg_.cols) * arch_.mac->area_um2(arch_.energy) +
           cfg_.ifmap.area_um2(arch_.energy) + cfg_.filter.area_um2(arch_.energy) + cfg_.ofmap.area_um2(arch_.energy);
  }

  // The timeline: the plan's tiles played through the double-buffered pipeline in simulated time.
  LayerResult execute(const Layer& layer) override {
    const SystolicLayerPlan plan = plan_systolic_layer(layer, cfg_, plan_inputs(layer));
    std::vector<Tile> tiles = layer_tiles(plan);
    double trace_weight_instances = 0;
    const double stepped_pe_cycles =
        arch_.sim_mode == "cycle" ? step_every_fold(layer, plan, tiles, trace_weight_instances) : 0.0;
    add_bank_stalls(plan, tiles);
    TilePipeline pipeline(dram_, arch_.clock_period(), cfg_.slots());
    const PipelineTiming timing = pipeline.run(tiles);
    LayerResult r = systolic_result(plan, cfg_, timing);
    if (arch_.sim_mode == "cycle") {
      r.counters["stepped_pe_cycles"] = stepped_pe_cycles;
      r.counters["stepped_instances_with_trace_weights"] = trace_weight_instances;
      // Fill requests issued in demand order (each fold stalls only on a needed one: tile_demand.cpp).
      r.counters["demand_ordered_requests"] = static_cast<double>(timing.demand_requests);
    }
    return r;
  }

  double unit_price_pj(const std::string& action) const override {
    for (const BufferSpec* b : {&cfg_.ifmap, &cfg_.filter, &cfg_.ofmap})
      if (action.rfind("sram." + b->name + ".", 0) == 0) return b->pj_per_byte(arch_.energy);
    return ComputeBlock::unit_price_pj(action);
  }

 private:
  // sim.mode=cycle: every fold of every instance and step stepped with values and checked against
  // a reference GEMM; the stepped cycles replace the equations' in the tiles. Returns PE-cycles.
  double step_every_fold(const Layer& layer, const SystolicLayerPlan& plan, std::vector<Tile>& tiles,
                         double& trace_weight_instances) const {
    TrafficInputs in;
    in.rows = cfg_.rows;
    in.cols = cfg_.cols;
    in.dataflow = cfg_.dataflow;
    in.k_pack = plan.k_pack;
    const GemmShape& g = plan.gemm;
    const size_t per = plan.traffic.tiles.size();
    double pe_cycles = 0;
    for (int64_t s = 0; s < g.sequential_steps; ++s) {
      for (int64_t inst = 0; inst < g.instances; ++inst) {
        const auto which = static_cast<uint64_t>(s * g.instances + inst);
        const SteppedLayer st =
            step_instance(layer, g, plan.traffic, in, plan.temporal_scale, cfg_.os_output_drain, which);
        for (size_t i = 0; i < per; ++i) tiles[which * per + i].compute_cycles = st.tile_cycles[i];
        pe_cycles += st.pe_cycles;
        if (st.trace_weights) trace_weight_instances += 1;
      }
    }
    return pe_cycles;
  }

  SystolicPlanInputs plan_inputs(const Layer& layer) const {
    SystolicPlanInputs in;
    in.precision = arch_.precision_of(layer);
    in.products_per_cycle = arch_.mac->products_per_cycle(in.precision);
    in.step_cycles = arch_.sim_mode == "cycle";
    in.addresses = dram_.wants_addresses();
    in.dram_bytes_per_cycle = arch_.dram.unlimited() ? 0.0 : arch_.dram.bandwidth_gb_s * 1e9 / arch_.clock_hz;
    in.dram_latency_cycles = arch_.dram.latency_ns * 1e-9 * arch_.clock_hz;
    return in;
  }

  SystolicConfig cfg_;
};

ActionDecl sram_action(const std::string& buffer) {
  return {"sram." + buffer + ".*", "byte", "sram." + buffer,
          "byte read or written in the " + buffer + " buffer: energy table sram at its bank size"};
}

SystolicConfig read_systolic(ConfigNode& node) {
  SystolicConfig c;
  c.rows = node.get_positive("rows", int64_t{32}, "PEs", "array height");
  c.cols = node.get_positive("cols", int64_t{32}, "PEs", "array width");
  const std::string df = node.get_choice("dataflow", "os", {"os", "ws", "is"}, "output-, weight- or input-stationary");
  parse_dataflow(df, c.dataflow);
  c.per_tap_channels = node.get_choice("conv_reduction", "im2col", {"im2col", "channels"},
                                       "conv reduction on the array: im2col (C x kh x kw packed) or channels "
                                       "(only C packed per kernel tap, as Bit Fusion's simulator)") == "channels";
  if (c.per_tap_channels && c.dataflow != Dataflow::OutputStationary)
    node.fail("conv_reduction", "channels is modeled for dataflow os only");
  c.loop_tiling = node.get_choice("buffer_tiling", "folds", {"folds", "loop_search"},
                                  "DRAM traffic: folds (fold by fold, SCALE-Sim's) or loop_search (Bit Fusion's "
                                  "tiling and loop order search, partial sums at accumulator precision)") == "loop_search";
  c.os_output_drain = node.get<bool>("os_output_drain", false, "",
                                     "add R cycles per os fold to drain results (ISPASS'20 formula)");
  const std::string layout = node.get_choice("dram_layout", "row_major", {"row_major", "tiled"},
                                             "operand layout in DRAM (address streams; timing DRAM only)");
  parse_layout(layout, c.layout);
  ConfigNode buffers = node.child("buffers", "operand SRAM buffers");
  c.ifmap = read_buffer(buffers, "ifmap", 64, "input feature map (A operand) buffer", true);
  c.filter = read_buffer(buffers, "filter", 64, "filter (B operand) buffer", true);
  c.ofmap = read_buffer(buffers, "ofmap", 64, "output / partial-sum buffer", true);
  if (c.loop_tiling && (c.ifmap.ports > 0 || c.filter.ports > 0 || c.ofmap.ports > 0))
    node.fail("buffer_tiling", "loop_search does not model SRAM bank ports (set compute.buffers.*.ports to 0)");
  buffers.finish();
  return c;
}

const ComputeRegistrar<SystolicConfig> systolic_registrar(
    KindInfo{"systolic", "dense R x C systolic array, os/ws/is dataflows, fold model (SCALE-Sim semantics)", {},
             {"event", "cycle"}, {"conv2d", "linear", "gemm", "matmul", "lstm", "gru"},
             {mac_action_decl(), rf_action_decl(), sram_action("ifmap"), sram_action("filter"), sram_action("ofmap")}},
    read_systolic, [](SystolicConfig c, const ArchContext& arch, MemoryModel& dram) -> std::unique_ptr<ComputeBlock> {
      return std::make_unique<SystolicBlock>(arch, dram, std::move(c));
    });

}  // namespace
}  // namespace accsim
