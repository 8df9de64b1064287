// Dense R x C systolic array (os/ws/is) with ifmap/filter/ofmap SRAM buffers, fed over the DRAM
// channel through a double-buffered tile pipeline. One tile = one fold of the array.
#include <algorithm>
#include <cmath>

#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/memory/sram_buffer.hpp"
#include "sim/hw/systolic/fold_model.hpp"
#include "sim/hw/systolic/pe_grid.hpp"

namespace accsim {

namespace {

struct SystolicConfig {
  int64_t rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::OutputStationary;
  bool os_output_drain = false;
  BufferSpec ifmap, filter, ofmap;
};

// Bytes moved for one instance of a GEMM, by operand; see docs/models/systolic.md, "Traffic".
struct FoldTraffic {
  std::vector<Tile> tiles;
  double sram_read_bytes[3] = {0, 0, 0};   // ifmap, filter, ofmap (reads by the array / write-back)
  double sram_write_bytes[3] = {0, 0, 0};  // fills from DRAM, results from the array
};

class SystolicBlock : public ComputeBlock {
 public:
  SystolicBlock(sc_core::sc_module_name name, const ArchContext& arch, DramChannel& dram, SystolicConfig cfg)
      : ComputeBlock(name, arch, dram), cfg_(std::move(cfg)) {}

  std::string model_kind() const override { return "systolic"; }

  void check(const Layer& layer) const override {
    const GemmShape g = lower_to_gemm(layer);
    if (g.m <= 0 || g.n <= 0 || g.k <= 0) layer_error(layer, "lowers to an empty GEMM");
    if (arch_.sim_mode == "cycle" && g.macs() > 50'000'000)
      layer_error(layer, "too large for sim.mode=cycle (" + std::to_string(g.macs()) + " MACs; limit 5e7)");
  }

  double leakage_uw() const override {
    const double lanes = static_cast<double>(cfg_.rows * cfg_.cols);
    return lanes * arch_.mac->leakage_uw(arch_.energy) + cfg_.ifmap.leakage_uw(arch_.energy) +
           cfg_.filter.leakage_uw(arch_.energy) + cfg_.ofmap.leakage_uw(arch_.energy);
  }
  double area_um2() const override {
    return static_cast<double>(cfg_.rows * cfg_.cols) * arch_.mac->area_um2(arch_.energy);
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
    const int64_t fold_cycles = arch_.sim_mode == "cycle"
                                    ? stepped_fold_cycles(cfg_.dataflow, cfg_.rows, cfg_.cols, plan.t * temporal_scale,
                                                          cfg_.os_output_drain)
                                    : plan.cycles_per_fold;

    FoldTraffic traffic = plan_traffic(layer, g, plan, fold_cycles, k_pack);
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
    r.energy.add("mac", macs * arch_.mac->energy_pj_per_mac(p, arch_.energy));
    // Each PE latches both operands per MAC and read-modify-writes its accumulator once per step:
    // once per MAC, or once per k_pack MACs when a fused lane sums k_pack products first.
    const double rf_bytes_per_mac =
        p.weights.bytes() + p.activations.bytes() + 2.0 * p.accumulators.bytes() / static_cast<double>(k_pack);
    r.energy.add("rf", macs * rf_bytes_per_mac * arch_.energy.register_pj_per_byte());
    const BufferSpec* bufs[3] = {&cfg_.ifmap, &cfg_.filter, &cfg_.ofmap};
    for (int b = 0; b < 3; ++b) {
      const double bytes = reps * (traffic.sram_read_bytes[b] + traffic.sram_write_bytes[b]);
      r.energy.add("sram." + bufs[b]->name, bytes * bufs[b]->pj_per_byte(arch_.energy));
      r.counters["sram." + bufs[b]->name + ".read_bytes"] = reps * traffic.sram_read_bytes[b];
      r.counters["sram." + bufs[b]->name + ".write_bytes"] = reps * traffic.sram_write_bytes[b];
    }
    r.counters["folds"] = static_cast<double>(plan.folds()) * reps;
    r.figures["fold_cycles"] = static_cast<double>(fold_cycles);
    if (k_pack != 1 || temporal_scale != 1) {
      r.figures["mac.products_per_lane_cycle"] = static_cast<double>(k_pack) / static_cast<double>(temporal_scale);
    }
    // Fraction of PEs holding useful work, averaged over folds (SCALE-Sim's mapping efficiency).
    r.figures["mapping_efficiency"] = static_cast<double>(plan.sr * plan.sc) /
                                       static_cast<double>(plan.folds() * cfg_.rows * cfg_.cols);
    return r;
  }

 private:
  int slots() const { return cfg_.ifmap.double_buffered && cfg_.filter.double_buffered ? 2 : 1; }

  // `k_pack`: reduction elements per array row (WS/IS hold K on rows; see execute()).
  FoldTraffic plan_traffic(const Layer& layer, const GemmShape& g, const FoldPlan& plan, int64_t fold_cycles,
                           int64_t k_pack) const {
    const double a_bytes = layer.activations.dtype.bytes();
    const double b_bytes = g.b_is_activation ? layer.activations.dtype.bytes() : layer.weights.dtype.bytes();
    const double o_bytes = layer.outputs.dtype.bytes();
    const double acc_bytes = layer.accumulators.dtype.bytes();
    const double a_total = static_cast<double>(g.m * g.k) * a_bytes;
    const double b_total = static_cast<double>(g.k * g.n) * b_bytes;
    FoldTraffic tr;
    auto slice = [](int64_t dim, int64_t fold, int64_t tile) { return std::min(tile, dim - fold * tile); };

    for (int64_t fc = 0; fc < plan.col_folds; ++fc) {
      const int64_t c_used = slice(plan.sc, fc, cfg_.cols);
      for (int64_t fr = 0; fr < plan.row_folds; ++fr) {
        // Rows hold M (os) or K' = ceil(K / k_pack) (ws/is): count the K elements they carry.
        const int64_t r_used = cfg_.dataflow == Dataflow::OutputStationary
                                   ? slice(plan.sr, fr, cfg_.rows)
                                   : slice(g.k, fr, cfg_.rows * k_pack);
        double store = 0;
        double fills[3] = {0, 0, 0};  // DRAM -> buffer, by ifmap/filter/ofmap
        double reads[3] = {0, 0, 0};  // buffer -> array
        switch (cfg_.dataflow) {
          case Dataflow::OutputStationary: {
            // A rows [fr] (r_used x K) stream in from the left, B columns [fc] (K x c_used) from the top.
            const double a_slice = static_cast<double>(r_used * g.k) * a_bytes;
            const double b_slice = static_cast<double>(g.k * c_used) * b_bytes;
            const bool a_resident = a_total <= cfg_.ifmap.tile_capacity_bytes();
            // The B column slice is reused by every row fold of this column only if it fits.
            const bool b_resident = b_slice <= cfg_.filter.tile_capacity_bytes();
            if (!a_resident || fc == 0) fills[0] = a_slice;
            if (!b_resident || fr == 0) fills[1] = b_slice;
            reads[0] = a_slice;
            reads[1] = b_slice;
            store = static_cast<double>(r_used * c_used) * o_bytes;
            break;
          }
          case Dataflow::WeightStationary: {
            // B block (r_used of K x c_used of N) is preloaded; all M rows of A[:, fr] stream through.
            const double b_block = static_cast<double>(r_used * c_used) * b_bytes;
            const double a_slice = static_cast<double>(g.m * r_used) * a_bytes;
            const bool a_resident = a_total <= cfg_.ifmap.tile_capacity_bytes();
            fills[1] = b_block;
            if (!a_resident || fc == 0) fills[0] = a_slice;
            reads[0] = a_slice;
            reads[1] = b_block;
            fills[2] = partial_sum_traffic(g.m * c_used, fr, plan.row_folds, acc_bytes, store, reads[2]);
            if (fr == plan.row_folds - 1) store += static_cast<double>(g.m * c_used) * o_bytes;
            break;
          }
          case Dataflow::InputStationary: {
            // A block (c_used of M x r_used of K) is preloaded; all N columns of B[fr, :] stream through.
            const double a_block = static_cast<double>(c_used * r_used) * a_bytes;
            const double b_slice = static_cast<double>(r_used * g.n) * b_bytes;
            const bool b_resident = b_total <= cfg_.filter.tile_capacity_bytes();
            fills[0] = a_block;
            if (!b_resident || fc == 0) fills[1] = b_slice;
            reads[0] = a_block;
            reads[1] = b_slice;
            fills[2] = partial_sum_traffic(c_used * g.n, fr, plan.row_folds, acc_bytes, store, reads[2]);
            if (fr == plan.row_folds - 1) store += static_cast<double>(c_used * g.n) * o_bytes;
            break;
          }
        }
        Tile t;
        t.load_bytes = static_cast<uint64_t>(std::ceil(fills[0] + fills[1] + fills[2]));
        t.store_bytes = static_cast<uint64_t>(std::ceil(store));
        t.compute_cycles = static_cast<uint64_t>(fold_cycles);
        tr.tiles.push_back(t);
        // SRAM: the array reads operands; DRAM fills write into the buffers; results are written to
        // the ofmap buffer and read out again on their way to DRAM.
        for (int b = 0; b < 3; ++b) {
          tr.sram_read_bytes[b] += reads[b];
          tr.sram_write_bytes[b] += fills[b];
        }
        // Results land in the ofmap buffer (one write per element or partial sum) and leave it for DRAM.
        tr.sram_write_bytes[2] += store + reads[2];
        tr.sram_read_bytes[2] += store;
      }
    }
    return tr;
  }

  // WS/IS accumulate partial sums across row folds. They stay in the ofmap buffer when they fit;
  // otherwise each later fold reads them back from DRAM and every non-final fold writes them out.
  // Returns the DRAM bytes to load; adds DRAM stores to `store` and buffer reads to `sram_reads`.
  double partial_sum_traffic(int64_t elements, int64_t fr, int64_t row_folds, double acc_bytes, double& store,
                             double& sram_reads) const {
    const double bytes = static_cast<double>(elements) * acc_bytes;
    if (fr > 0) sram_reads += bytes;
    if (bytes <= cfg_.ofmap.tile_capacity_bytes()) return 0.0;
    if (fr < row_folds - 1) store += bytes;
    return fr > 0 ? bytes : 0.0;
  }

  SystolicConfig cfg_;
};

const ComputeRegistrar systolic_registrar(
    "systolic", "dense R x C systolic array, os/ws/is dataflows, fold model (SCALE-Sim semantics)",
    [](ConfigNode& node, const ArchContext& arch, DramChannel& dram) -> std::unique_ptr<ComputeBlock> {
      SystolicConfig c;
      c.rows = node.get_positive("rows", int64_t{32}, "PEs", "array height");
      c.cols = node.get_positive("cols", int64_t{32}, "PEs", "array width");
      const std::string df = node.get_choice("dataflow", "os", {"os", "ws", "is"},
                                             "output-, weight- or input-stationary");
      parse_dataflow(df, c.dataflow);
      c.os_output_drain = node.get<bool>("os_output_drain", false, "",
                                         "add R cycles per os fold to drain results (ISPASS'20 formula)");
      ConfigNode buffers = node.child("buffers", "operand SRAM buffers");
      c.ifmap = read_buffer(buffers, "ifmap", 64, "input feature map (A operand) buffer");
      c.filter = read_buffer(buffers, "filter", 64, "filter (B operand) buffer");
      c.ofmap = read_buffer(buffers, "ofmap", 64, "output / partial-sum buffer");
      buffers.finish();
      if (node.describing()) return nullptr;
      return std::make_unique<SystolicBlock>("systolic", arch, dram, c);
    });

}  // namespace
}  // namespace accsim
