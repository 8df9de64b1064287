#include "sim/hw/systolic/layer_plan.hpp"

#include <cmath>

#include "sim/hw/bitfusion/loop_tiled_traffic.hpp"
#include "sim/hw/common/compute_block.hpp"

namespace accsim {

namespace {

TrafficInputs traffic_inputs(const Layer& layer, const SystolicConfig& cfg, int64_t k_pack) {
  TrafficInputs in;
  in.rows = cfg.rows;
  in.cols = cfg.cols;
  in.dataflow = cfg.dataflow;
  in.ifmap = cfg.ifmap;
  in.filter = cfg.filter;
  in.ofmap = cfg.ofmap;
  in.a_bytes = layer.activations.dtype.bytes();
  in.b_bytes = b_operand_bytes(layer) + group_scale_bytes(layer);  // KV-cache format, group scales (net12)
  in.out_bytes = output_bytes(layer);
  in.acc_bytes = layer.accumulators.dtype.bytes();
  in.k_pack = k_pack;
  return in;
}

}  // namespace

SystolicLayerPlan plan_systolic_layer(const Layer& layer, const SystolicConfig& cfg, const SystolicPlanInputs& in) {
  SystolicLayerPlan p;
  p.gemm = lower_to_gemm(layer);
  p.precision = in.precision;
  const double ppc = in.products_per_cycle;
  // A lane that needs several cycles per product stretches every temporal step.
  p.temporal_scale = ppc >= 1.0 ? 1 : static_cast<int64_t>(std::ceil(1.0 / ppc - 1e-9));
  // A lane that completes P products per cycle (fused narrow products, Bit Fusion) is a P-wide
  // dot-product unit: it consumes P consecutive elements of the reduction K per step, so the
  // array runs a GEMM with K' = ceil(K / P) (docs/models/mac.md, "Mapping onto the array").
  p.k_pack = ppc >= 1.0 ? static_cast<int64_t>(std::floor(ppc + 1e-9)) : 1;
  GemmShape packed = p.gemm;
  packed.k = (p.gemm.k + p.k_pack - 1) / p.k_pack;
  if (cfg.per_tap_channels && layer.op == OpKind::Conv2d) {
    // Bit Fusion's mapping (hsharma35/bitfusion accelerator.py): only input channels are packed
    // into a row tile (rows x ppc channels); every kernel tap is its own temporal step, so a row
    // tile of few channels idles rows: K' = taps x ceil(C / (rows x ppc)) x rows.
    const int64_t taps = layer.kernel_h * layer.kernel_w, cin = layer.in_channels / layer.groups;
    packed.k = taps * ((cin + cfg.rows * p.k_pack - 1) / (cfg.rows * p.k_pack)) * cfg.rows;
  }
  p.folds = plan_folds(packed, cfg.rows, cfg.cols, cfg.dataflow, p.temporal_scale, cfg.os_output_drain);
  TrafficInputs t = traffic_inputs(layer, cfg, p.k_pack);
  // The controller plans with the fold equations; sim.mode=cycle then steps every fold
  // (cycle_mode.hpp) and the stepped cycles replace these in the tiles.
  const int64_t scale = p.temporal_scale;
  t.fold_cycles = [&](int64_t steps) -> int64_t {
    return fold_cycles(cfg.dataflow, cfg.rows, cfg.cols, steps * scale, cfg.os_output_drain);
  };
  // Bank conflicts are timed on the chosen schedule; the controller's choice ignores them.
  const ConflictInputs ci{cfg.dataflow, cfg.ifmap, cfg.filter, cfg.ofmap, t.a_bytes, t.b_bytes, t.acc_bytes,
                          p.k_pack, p.temporal_scale};
  // Fold by fold only where folds are used one by one: cycle mode steps each, address streams
  // differ, bank conflicts and Bit Fusion's loop tiling read each fold's region.
  t.run_length = !in.step_cycles && !in.addresses && !ci.modelled() && !cfg.loop_tiling;
  // Cycle mode orders every fill by demand (fold_demand.hpp), which needs the operands' places
  // even when the memory ignores addresses (the bandwidth queue only counts the bytes).
  t.demand = in.step_cycles;
  t.temporal_scale = p.temporal_scale;
  if (in.addresses || in.step_cycles) {
    t.layout.emplace(cfg.layout, p.gemm.m, p.gemm.n, p.gemm.k, t.a_bytes, t.b_bytes, t.out_bytes, t.acc_bytes);
    p.footprint = t.layout->footprint();
  }
  p.traffic = choose_traffic(p.gemm, p.folds, t, in.dram_bytes_per_cycle, in.dram_latency_cycles, cfg.slots());
  p.fold_tiles = p.traffic.folds();
  p.first_fold_cycles = p.traffic.tiles.front().compute_cycles;
  if (cfg.loop_tiling) p.traffic = loop_tiled_traffic(layer, p.gemm, p.traffic, t, in.dram_bytes_per_cycle, p.tiling);
  if (ci.modelled()) p.conflicts = plan_conflicts(ci, p.traffic);
  return p;
}

void add_bank_stalls(const SystolicLayerPlan& plan, std::vector<Tile>& tiles) {
  if (plan.conflicts.empty()) return;
  const size_t per = plan.conflicts.size();
  for (size_t k = 0; k < tiles.size(); ++k)
    tiles[k].compute_cycles += static_cast<uint64_t>(plan.conflicts[k % per].stall_cycles);
}

std::vector<Tile> layer_tiles(const SystolicLayerPlan& plan) {
  const GemmShape& g = plan.gemm;
  const auto& once = plan.traffic.tiles;
  std::vector<Tile> tiles;
  tiles.reserve(once.size() * static_cast<size_t>(g.instances * g.sequential_steps));
  for (int64_t s = 0; s < g.sequential_steps; ++s) {
    for (int64_t inst = 0; inst < g.instances; ++inst) {
      for (size_t i = 0; i < once.size(); ++i) {
        Tile t = once[i];
        t.depends_on_previous = s > 0 && inst == 0 && i == 0;
        // Each instance (group, head, step) has operands of its own, one footprint further on.
        t.address_offset = static_cast<uint64_t>(s * g.instances + inst) * plan.footprint;
        if (t.depends_on_previous && t.repeat > 1) {  // a run-length tile: only its first fold waits
          Tile first = t;
          first.repeat = 1;
          tiles.push_back(first);
          t.depends_on_previous = false;
          --t.repeat;
        }
        tiles.push_back(t);
      }
    }
  }
  return tiles;
}

namespace {

void add_actions(const SystolicLayerPlan& plan, const SystolicConfig& cfg, LayerResult& r) {
  const Precision& p = plan.precision;
  const double reps = plan.repeats();
  const double macs = static_cast<double>(r.macs);
  r.actions.add(mac_action(p), macs);
  // Each PE latches both operands per MAC and read-modify-writes its accumulator once per step:
  // once per MAC, or once per k_pack MACs when a fused lane sums k_pack products first.
  const double rf_bytes_per_mac =
      p.weights.bytes() + p.activations.bytes() + 2.0 * p.accumulators.bytes() / static_cast<double>(plan.k_pack);
  r.actions.add("rf.bytes", macs * rf_bytes_per_mac);
  const BufferSpec* bufs[3] = {&cfg.ifmap, &cfg.filter, &cfg.ofmap};
  for (int b = 0; b < 3; ++b) {
    r.actions.add("sram." + bufs[b]->name + ".read_bytes", reps * plan.traffic.sram_read_bytes[b]);
    r.actions.add("sram." + bufs[b]->name + ".write_bytes", reps * plan.traffic.sram_write_bytes[b]);
    r.counters["sram." + bufs[b]->name + ".read_bytes"] = reps * plan.traffic.sram_read_bytes[b];
    r.counters["sram." + bufs[b]->name + ".write_bytes"] = reps * plan.traffic.sram_write_bytes[b];
  }
}

void add_figures(const SystolicLayerPlan& plan, const SystolicConfig& cfg, LayerResult& r) {
  const TrafficPlan& traffic = plan.traffic;
  r.counters["folds"] = static_cast<double>(plan.fold_tiles) * plan.repeats();
  // The first fold (when the temporal dimension is chunked: a full chunk of the first column fold).
  r.figures["fold_cycles"] = static_cast<double>(plan.first_fold_cycles);
  if (traffic.temporal_chunks > 1) r.figures["temporal_chunks"] = static_cast<double>(traffic.temporal_chunks);
  if (traffic.spills) r.figures["partial_sum_spill"] = 1.0;
  if (cfg.loop_tiling) r.figures["loop_tiling_tiles"] = static_cast<double>(plan.tiling.tiles());
  if (plan.k_pack != 1 || plan.temporal_scale != 1)
    r.figures["mac.products_per_lane_cycle"] =
        static_cast<double>(plan.k_pack) / static_cast<double>(plan.temporal_scale);
  // Fraction of PEs holding useful work, averaged over folds (SCALE-Sim's mapping efficiency).
  if (!plan.conflicts.empty()) {
    double stall = 0, per_buf[3] = {0, 0, 0};
    for (const FoldConflicts& f : plan.conflicts) {
      stall += static_cast<double>(f.stall_cycles);
      for (int b = 0; b < 3; ++b) per_buf[b] += static_cast<double>(f.conflict_cycles[b]);
    }
    const BufferSpec* bufs[3] = {&cfg.ifmap, &cfg.filter, &cfg.ofmap};
    r.counters["sram_bank_stall_cycles"] = stall * plan.repeats();
    for (int b = 0; b < 3; ++b) r.counters["sram." + bufs[b]->name + ".bank_conflict_cycles"] = per_buf[b] * plan.repeats();
  }
  r.figures["mapping_efficiency"] = static_cast<double>(plan.folds.sr * plan.folds.sc) /
                                     static_cast<double>(plan.folds.folds() * cfg.rows * cfg.cols);
}

}  // namespace

LayerResult systolic_result(const SystolicLayerPlan& plan, const SystolicConfig& cfg, const PipelineTiming& timing) {
  LayerResult r;
  r.cycles = timing.cycles;
  r.compute_cycles = timing.compute_cycles;
  r.stall_cycles = timing.stall_cycles;
  r.macs = static_cast<uint64_t>(plan.gemm.macs());
  r.effectual_macs = r.macs;
  r.peak_macs_per_cycle =
      static_cast<double>(cfg.rows * cfg.cols * plan.k_pack) / static_cast<double>(plan.temporal_scale);
  add_actions(plan, cfg, r);
  add_figures(plan, cfg, r);
  return r;
}

}  // namespace accsim
