// Dense R x C systolic array (os/ws/is) with ifmap/filter/ofmap SRAM buffers, fed over the DRAM
// channel through a double-buffered tile pipeline. One tile = one fold of the array.
#include <algorithm>
#include <cstdio>
#include <cmath>
#include <map>

#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/memory/sram_buffer.hpp"
#include "sim/hw/systolic/fold_model.hpp"
#include "sim/hw/systolic/pe_grid.hpp"
#include "sim/hw/systolic/traffic_plan.hpp"

namespace accsim {

namespace {

std::string format_count(long double n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3Lg", n);
  return buf;
}

struct SystolicConfig {
  int64_t rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::OutputStationary;
  bool os_output_drain = false;
  BufferSpec ifmap, filter, ofmap;
};

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
    if (arch_.sim_mode == "cycle" && g.macs() > 50'000'000)
      layer_error(layer, "too large for sim.mode=cycle (" + std::to_string(g.macs()) + " MACs; limit 5e7)");
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

  LayerResult execute(const Layer& layer) override {
    const GemmShape g = lower_to_gemm(layer);
    const Precision p = arch_.precision_of(layer);
    const double ppc = arch_.mac->products_per_cycle(p);
    // A lane that needs several cycles per product stretches every temporal step.
    const int64_t temporal_scale = ppc >= 1.0 ? 1 : static_cast<int64_t>(std::ceil(1.0 / ppc - 1e-9));
    // A lane that completes P products per cycle (fused narrow products, Bit Fusion) is a P-wide
    // dot-product unit: it consumes P consecutive elements of the reduction K per step, so the
    // array runs a GEMM with K' = ceil(K / P) (docs/models/mac.md, "Mapping onto the array").
    const int64_t k_pack = ppc >= 1.0 ? static_cast<int64_t>(std::floor(ppc + 1e-9)) : 1;
    GemmShape packed = g;
    packed.k = (g.k + k_pack - 1) / k_pack;
    const FoldPlan plan =
        plan_folds(packed, cfg_.rows, cfg_.cols, cfg_.dataflow, temporal_scale, cfg_.os_output_drain);
    TrafficInputs in;
    in.rows = cfg_.rows;
    in.cols = cfg_.cols;
    in.dataflow = cfg_.dataflow;
    in.ifmap = cfg_.ifmap;
    in.filter = cfg_.filter;
    in.ofmap = cfg_.ofmap;
    in.a_bytes = layer.activations.dtype.bytes();
    in.b_bytes = b_operand_bytes(layer) + group_scale_bytes(layer);  // KV-cache format, group scales (net12)
    in.out_bytes = output_bytes(layer);
    in.acc_bytes = layer.accumulators.dtype.bytes();
    in.k_pack = k_pack;
    // Fold time from the equations, or (sim.mode=cycle) stepped on the PE grid once per distinct
    // temporal length (a chunked layer has at most a few).
    std::map<int64_t, int64_t> stepped;
    in.fold_cycles = [&](int64_t t) -> int64_t {
      if (arch_.sim_mode != "cycle")
        return accsim::fold_cycles(cfg_.dataflow, cfg_.rows, cfg_.cols, t * temporal_scale, cfg_.os_output_drain);
      auto it = stepped.find(t);
      if (it == stepped.end())
        it = stepped.emplace(t, stepped_fold_cycles(cfg_.dataflow, cfg_.rows, cfg_.cols, t * temporal_scale,
                                                     cfg_.os_output_drain)).first;
      return it->second;
    };
    const double bytes_per_cycle =
        arch_.dram.unlimited() ? 0.0 : arch_.dram.bandwidth_gb_s * 1e9 / arch_.clock_hz;
    const double latency_cycles = arch_.dram.latency_ns * 1e-9 * arch_.clock_hz;
    const TrafficPlan traffic = choose_traffic(g, plan, in, bytes_per_cycle, latency_cycles, slots());
    std::vector<Tile> tiles;
    tiles.reserve(traffic.tiles.size() * static_cast<size_t>(g.instances * g.sequential_steps));
    for (int64_t s = 0; s < g.sequential_steps; ++s) {
      for (int64_t inst = 0; inst < g.instances; ++inst) {
        for (size_t i = 0; i < traffic.tiles.size(); ++i) {
          Tile t = traffic.tiles[i];
          t.depends_on_previous = s > 0 && inst == 0 && i == 0;
          tiles.push_back(t);
        }
      }
    }
    TilePipeline pipeline(dram_, arch_.clock_period(), slots());
    const PipelineTiming timing = pipeline.run(tiles);

    LayerResult r;
    r.cycles = timing.cycles;
    r.compute_cycles = timing.compute_cycles;
    r.stall_cycles = timing.stall_cycles;
    r.macs = static_cast<uint64_t>(g.macs());
    r.effectual_macs = r.macs;
    r.peak_macs_per_cycle =
        static_cast<double>(cfg_.rows * cfg_.cols * k_pack) / static_cast<double>(temporal_scale);
    const double reps = static_cast<double>(g.instances * g.sequential_steps);
    const double macs = static_cast<double>(r.macs);
    r.actions.add(mac_action(p), macs);
    // Each PE latches both operands per MAC and read-modify-writes its accumulator once per step:
    // once per MAC, or once per k_pack MACs when a fused lane sums k_pack products first.
    const double rf_bytes_per_mac =
        p.weights.bytes() + p.activations.bytes() + 2.0 * p.accumulators.bytes() / static_cast<double>(k_pack);
    r.actions.add("rf.bytes", macs * rf_bytes_per_mac);
    const BufferSpec* bufs[3] = {&cfg_.ifmap, &cfg_.filter, &cfg_.ofmap};
    for (int b = 0; b < 3; ++b) {
      r.actions.add("sram." + bufs[b]->name + ".read_bytes", reps * traffic.sram_read_bytes[b]);
      r.actions.add("sram." + bufs[b]->name + ".write_bytes", reps * traffic.sram_write_bytes[b]);
      r.counters["sram." + bufs[b]->name + ".read_bytes"] = reps * traffic.sram_read_bytes[b];
      r.counters["sram." + bufs[b]->name + ".write_bytes"] = reps * traffic.sram_write_bytes[b];
    }
    r.counters["folds"] = static_cast<double>(traffic.tiles.size()) * reps;
    // The first fold (when the temporal dimension is chunked: a full chunk of the first column fold).
    r.figures["fold_cycles"] = static_cast<double>(traffic.tiles.front().compute_cycles);
    if (traffic.temporal_chunks > 1) r.figures["temporal_chunks"] = static_cast<double>(traffic.temporal_chunks);
    if (traffic.spills) r.figures["partial_sum_spill"] = 1.0;
    if (k_pack != 1 || temporal_scale != 1) {
      r.figures["mac.products_per_lane_cycle"] = static_cast<double>(k_pack) / static_cast<double>(temporal_scale);
    }
    // Fraction of PEs holding useful work, averaged over folds (SCALE-Sim's mapping efficiency).
    r.figures["mapping_efficiency"] = static_cast<double>(plan.sr * plan.sc) /
                                       static_cast<double>(plan.folds() * cfg_.rows * cfg_.cols);
    return r;
  }

 double unit_price_pj(const std::string& action) const override {
    for (const BufferSpec* b : {&cfg_.ifmap, &cfg_.filter, &cfg_.ofmap})
      if (action.rfind("sram." + b->name + ".", 0) == 0) return b->pj_per_byte(arch_.energy);
    return ComputeBlock::unit_price_pj(action);
  }

 private:
  int slots() const { return cfg_.ifmap.double_buffered && cfg_.filter.double_buffered ? 2 : 1; }

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
  c.os_output_drain = node.get<bool>("os_output_drain", false, "",
                                     "add R cycles per os fold to drain results (ISPASS'20 formula)");
  ConfigNode buffers = node.child("buffers", "operand SRAM buffers");
  c.ifmap = read_buffer(buffers, "ifmap", 64, "input feature map (A operand) buffer");
  c.filter = read_buffer(buffers, "filter", 64, "filter (B operand) buffer");
  c.ofmap = read_buffer(buffers, "ofmap", 64, "output / partial-sum buffer");
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
