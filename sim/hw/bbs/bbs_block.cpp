// Bank-balanced sparse PE array (Cao et al., FPGA'19; docs/models/bbs.md). P PEs, each with K MAC
// lanes; every weight row is split into K banks and stored in CSB form; each PE keeps its own copy
// of the input vector(s) in K single-port SRAM banks. Per cycle a PE takes one CSB slot (one
// nonzero per bank), reads the K matching inputs (one per bank: no port conflicts), multiplies in
// K lanes and reduces them in an adder tree into its accumulator. Timing comes from the layer's
// real weight mask (bank_schedule.hpp); weights stream from DRAM through a double-buffered
// TilePipeline unless the whole compressed matrix fits on chip.
#include <algorithm>
#include <cmath>
#include <map>

#include "sim/hw/bbs/bank_schedule.hpp"
#include "sim/hw/bbs/csb_format.hpp"
#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/memory/sram_buffer.hpp"

namespace accsim {

namespace {

struct BbsConfig {
  int64_t pes = 64;
  int64_t banks = 32;                 // K: banks per row = MAC lanes per PE
  bool run_unbalanced = false;        // on_unbalanced: run (with conflicts) instead of error
  int64_t vector_read_latency = 1;    // cycles: bank SRAM read
  int64_t multiplier_latency = 1;     // cycles: pipelined multiplier
  int64_t index_bits = 0;             // 0 = just enough for the bank length
  BufferSpec weights, outputs;
  double vector_kb = 8;               // per PE: its private copy of the input vector tile
  bool vector_double_buffered = false;
  bool preload_weights = false;       // resident weights are loaded at model-load time, not per run
};

// The mask of a layer in CSB form plus the schedule of each GEMM instance's rows.
struct LayerPlan {
  CsbMatrix csb;
  std::vector<PassSchedule> instance;  // one per distinct weight set (conv groups), else one
  bool shared_weights = true;          // all instances use rows [0, n)
};

class BbsBlock : public ComputeBlock {
 public:
  BbsBlock(const ArchContext& arch, MemoryModel& dram, BbsConfig cfg)
      : ComputeBlock("bbs", arch, dram), cfg_(std::move(cfg)) {}

  void check(const Layer& layer) const override {
    const GemmShape g = lower_to_gemm(layer);
    if (g.m <= 0 || g.n <= 0 || g.k <= 0) layer_error(layer, "lowers to an empty GEMM");
    if (g.b_is_activation)
      layer_error(layer, "multiplies two activations; the bbs array needs a (sparse) weight matrix");
    arch_.mac->check(arch_.precision_of(layer), layer.origin);
    const double vec_bytes = static_cast<double>(g.k) * layer.activations.dtype.bytes();
    if (vec_bytes > vector_tile_bytes())
      layer_error(layer, "input vector of " + std::to_string(g.k) + " elements (" + std::to_string(vec_bytes / 1024.0) +
                             " KiB) does not fit the PE vector buffer (compute.buffers.vectors.size_kb)");
    const LayerPlan& plan = plan_for(layer);
    if (cfg_.index_bits > 0 && plan.csb.bank_len > (int64_t{1} << cfg_.index_bits))
      layer_error(layer, "bank length " + std::to_string(plan.csb.bank_len) + " needs more than compute.index_bits = " +
                             std::to_string(cfg_.index_bits) + " bits");
    if (!layer.weights.compression.is_dense() && !cfg_.run_unbalanced) {
      const BankBalance b = check_bank_balance(plan.csb);
      if (!b.balanced)
        layer_error(layer, "weights (" + pattern_name(layer.weights.compression.pattern) +
                               " pattern) are not bank-balanced for " + std::to_string(cfg_.banks) +
                               " banks per row of " + std::to_string(g.k) + ": " + b.describe() +
                               "; set compute.on_unbalanced: run to execute them with bank conflicts");
    }
  }

  double leakage_uw() const override {
    const double lanes = static_cast<double>(cfg_.pes * cfg_.banks);
    return lanes * arch_.mac->leakage_uw(arch_.energy) + cfg_.weights.leakage_uw(arch_.energy) +
           cfg_.outputs.leakage_uw(arch_.energy) +
           static_cast<double>(cfg_.pes) * cfg_.vector_kb * arch_.energy.sram_leakage_uw_per_kb();
  }
  double area_um2() const override {
    // MAC lanes plus every SRAM: weight and output buffers and each PE's private vector banks.
    return static_cast<double>(cfg_.pes * cfg_.banks) * arch_.mac->area_um2(arch_.energy) +
           cfg_.weights.area_um2(arch_.energy) + cfg_.outputs.area_um2(arch_.energy) +
           static_cast<double>(cfg_.pes) * cfg_.vector_kb * arch_.energy.sram_area_um2_per_kb();
  }

  LayerResult execute(const Layer& layer) override {
    const GemmShape g = lower_to_gemm(layer);
    const Precision p = arch_.precision_of(layer);
    const LayerPlan& plan = plan_for(layer);
    const double ppc = arch_.mac->products_per_cycle(p);
    // A lane needing several cycles per product stretches every slot; wider lanes cannot help
    // because each bank delivers one input per cycle.
    const uint64_t slot_scale = ppc >= 1.0 ? 1 : static_cast<uint64_t>(std::ceil(1.0 / ppc - 1e-9));
    const bool recurrent = layer.op == OpKind::Lstm || layer.op == OpKind::Gru;
    const double w_entry_bits = static_cast<double>(p.weights.bits + entry_index_bits(plan.csb));
    const double a_bytes = p.activations.bytes(), o_bytes = output_bytes(layer);
    const auto k = static_cast<uint64_t>(cfg_.banks);
    const uint64_t depth = pipeline_depth();

    // Weight chunks per distinct instance: consecutive row groups whose CSB bytes fit a buffer slot.
    const double total_csb_bytes = static_cast<double>(plan.csb.total_slots()) * static_cast<double>(k) * w_entry_bits / 8.0;
    const bool resident = total_csb_bytes <= cfg_.weights.capacity_bytes();
    struct Chunk {
      uint64_t cycles = 0, rows = 0;
      double bytes = 0;
    };
    std::vector<std::vector<Chunk>> chunks(plan.instance.size());
    for (size_t i = 0; i < plan.instance.size(); ++i) {
      const PassSchedule& s = plan.instance[i];
      const int64_t row_end = plan.shared_weights ? plan.csb.rows : static_cast<int64_t>(i + 1) * g.n;
      Chunk c;
      for (size_t gi = 0; gi < s.group_cycles.size(); ++gi) {
        const int64_t r0 = s.group_first_row[gi], r1 = std::min(row_end, r0 + cfg_.pes);
        uint64_t slots = 0;
        for (int64_t r = r0; r < r1; ++r) slots += static_cast<uint64_t>(plan.csb.row_slots[static_cast<size_t>(r)]);
        const double bytes = static_cast<double>(slots * k) * w_entry_bits / 8.0;
        if (!resident && c.rows > 0 && c.bytes + bytes > cfg_.weights.tile_capacity_bytes()) {
          chunks[i].push_back(c);
          c = Chunk{};
        }
        c.cycles += s.group_cycles[gi];
        c.rows += static_cast<uint64_t>(r1 - r0);
        c.bytes += bytes;
      }
      chunks[i].push_back(c);
    }

    // Input vectors per tile: as many as one PE's vector buffer holds.
    const auto per_tile = static_cast<int64_t>(std::max(
        1.0, std::floor(vector_tile_bytes() / (static_cast<double>(g.k) * a_bytes))));
    const int64_t vec_tiles = (g.m + per_tile - 1) / per_tile;

    std::vector<Tile> tiles;
    double weight_fill_bytes = 0, weight_read_bytes = 0, input_bytes = 0, writeback_elems = 0, out_bytes = 0;
    // Preloaded resident weights were written into the buffer before the run (model load time).
    std::vector<bool> loaded(plan.instance.size(), resident && cfg_.preload_weights);
    for (int64_t s = 0; s < g.sequential_steps; ++s) {
      for (int64_t inst = 0; inst < g.instances; ++inst) {
        const size_t wi = plan.shared_weights ? 0 : static_cast<size_t>(inst);
        for (int64_t v = 0; v < vec_tiles; ++v) {
          const auto nv = static_cast<uint64_t>(std::min(per_tile, g.m - v * per_tile));
          // Recurrent steps after the first load only x_t: h_{t-1} was written back into the banks.
          const int64_t in_elems = recurrent && s > 0 ? layer.input_size : g.k;
          for (size_t c = 0; c < chunks[wi].size(); ++c) {
            const Chunk& ch = chunks[wi][c];
            const bool last = c + 1 == chunks[wi].size();
            Tile t;
            double load = 0;
            if (!resident || !loaded[wi]) load += ch.bytes, weight_fill_bytes += ch.bytes;
            if (c == 0) {
              const double in = static_cast<double>(nv) * static_cast<double>(in_elems) * a_bytes;
              load += in;
              input_bytes += in;
            }
            weight_read_bytes += ch.bytes;  // each slot is read once per vector tile, vectors inner
            t.compute_cycles = nv * ch.cycles * slot_scale;
            if (last) t.compute_cycles += depth;
            double store = 0;
            if (recurrent) {
              if (last) {
                // h_t goes to DRAM and into every PE's vector banks, K elements per cycle.
                const auto h = static_cast<uint64_t>(layer.hidden_size);
                store = static_cast<double>(nv * h) * o_bytes;
                t.compute_cycles += (nv * h + k - 1) / k;
                writeback_elems += static_cast<double>(nv * h);
              }
            } else {
              store = static_cast<double>(nv * ch.rows) * o_bytes;
            }
            out_bytes += store;
            t.load_bytes = static_cast<uint64_t>(std::ceil(load));
            t.store_bytes = static_cast<uint64_t>(std::ceil(store));
            t.depends_on_previous = recurrent && s > 0 && inst == 0 && v == 0 && c == 0;
            tiles.push_back(t);
          }
          loaded[wi] = true;
        }
      }
    }
    TilePipeline pipeline(dram_, arch_.clock_period(), cfg_.weights.double_buffered ? 2 : 1);
    const PipelineTiming timing = pipeline.run(tiles);

    // Per-vector schedule totals over all instances, then times the vectors and steps.
    PassSchedule per_vec;
    for (int64_t inst = 0; inst < g.instances; ++inst) per_vec += plan.instance[plan.shared_weights ? 0 : static_cast<size_t>(inst)];
    const double vec_passes = static_cast<double>(g.m * g.sequential_steps);

    LayerResult r;
    r.cycles = timing.cycles;
    r.compute_cycles = timing.compute_cycles;
    r.stall_cycles = timing.stall_cycles;
    r.macs = static_cast<uint64_t>(g.macs());
    r.effectual_macs = static_cast<uint64_t>(static_cast<double>(per_vec.nonzeros) * vec_passes);
    r.peak_macs_per_cycle = static_cast<double>(cfg_.pes * cfg_.banks) / static_cast<double>(slot_scale);
    const double eff = static_cast<double>(r.effectual_macs);
    r.actions.add(mac_action(p), eff);
    // Each busy PE slot read-modify-writes the accumulator; padded lanes are clock-gated.
    const double busy_slots = static_cast<double>(per_vec.busy_pe_cycles) * vec_passes;
    r.actions.add("rf.bytes", busy_slots * 2.0 * p.accumulators.bytes());
    r.actions.add("sram.weights.read_bytes", weight_read_bytes);
    r.actions.add("sram.weights.write_bytes", weight_fill_bytes);
    // Vector banks: one read per effectual MAC; fills and write-backs go to every PE's copy.
    const double vec_reads = eff * a_bytes;
    const double vec_writes = (input_bytes + writeback_elems * o_bytes) * static_cast<double>(cfg_.pes);
    r.actions.add("sram.vectors.read_bytes", vec_reads);
    r.actions.add("sram.vectors.write_bytes", vec_writes);
    // Outputs are written once into the buffer and read once on their way to DRAM.
    r.actions.add("sram.outputs.write_bytes", out_bytes);
    r.actions.add("sram.outputs.read_bytes", out_bytes);

    r.counters["sram.weights.read_bytes"] = weight_read_bytes;
    r.counters["sram.weights.write_bytes"] = weight_fill_bytes;
    r.counters["sram.vectors.read_bytes"] = vec_reads;
    r.counters["sram.vectors.write_bytes"] = vec_writes;
    r.counters["sram.outputs.write_bytes"] = out_bytes;
    r.counters["csb_slots"] = busy_slots;
    r.counters["csb_bytes"] = total_csb_bytes;
    r.figures["weights_resident"] = resident ? 1 : 0;
    r.figures["weights_preloaded"] = resident && cfg_.preload_weights ? 1 : 0;
    r.figures["weight_chunks"] = static_cast<double>(chunks[0].size());
    r.counters["conflict_stall_pe_cycles"] = static_cast<double>(per_vec.conflict_stall_pe_cycles) * vec_passes * slot_scale;
    r.counters["imbalance_idle_pe_cycles"] = static_cast<double>(per_vec.imbalance_idle_pe_cycles) * vec_passes * slot_scale;
    r.counters["underfill_idle_pe_cycles"] = static_cast<double>(per_vec.underfill_idle_pe_cycles) * vec_passes * slot_scale;
    r.counters["padded_lane_slots"] = static_cast<double>(per_vec.padded_lane_slots) * vec_passes;
    r.counters["array_pass_cycles"] = static_cast<double>(per_vec.pass_cycles) * vec_passes * slot_scale;
    r.figures["bank_balanced"] = check_bank_balance(plan.csb).balanced ? 1 : 0;
    return r;
  }

 double unit_price_pj(const std::string& action) const override {
    if (action.rfind("sram.weights.", 0) == 0) return cfg_.weights.pj_per_byte(arch_.energy);
    if (action.rfind("sram.vectors.", 0) == 0)
      return arch_.energy.sram_pj_per_byte(cfg_.vector_kb / static_cast<double>(cfg_.banks));
    if (action.rfind("sram.outputs.", 0) == 0) return cfg_.outputs.pj_per_byte(arch_.energy);
    return ComputeBlock::unit_price_pj(action);
  }

 private:
  double vector_tile_bytes() const { return cfg_.vector_kb * 1024.0 / (cfg_.vector_double_buffered ? 2.0 : 1.0); }

  // SRAM read, multiply, adder tree (ceil(log2 K) levels), accumulate: paid once per pass.
  uint64_t pipeline_depth() const {
    uint64_t tree = 0;
    while ((int64_t{1} << tree) < cfg_.banks) ++tree;
    return static_cast<uint64_t>(cfg_.vector_read_latency + cfg_.multiplier_latency) + tree + 1;
  }

  int entry_index_bits(const CsbMatrix& m) const { return cfg_.index_bits ? static_cast<int>(cfg_.index_bits) : m.index_bits(); }

  const LayerPlan& plan_for(const Layer& layer) const {
    auto it = plans_.find(&layer);
    if (it != plans_.end()) return it->second;
    LayerPlan plan;
    plan.csb = csb_encode(*weight_mask(layer), {}, cfg_.banks);
    const GemmShape g = lower_to_gemm(layer);
    plan.shared_weights = plan.csb.rows == g.n;  // conv groups stack their weights as rows
    if (plan.shared_weights) {
      plan.instance.push_back(schedule_pass(plan.csb, cfg_.pes, 0, g.n));
    } else {
      for (int64_t i = 0; i < g.instances; ++i) plan.instance.push_back(schedule_pass(plan.csb, cfg_.pes, i * g.n, (i + 1) * g.n));
    }
    // The CSB values are only needed by the functional model; timing keeps the counts.
    plan.csb.values.clear(), plan.csb.values.shrink_to_fit();
    plan.csb.indices.clear(), plan.csb.indices.shrink_to_fit();
    plan.csb.valid.clear(), plan.csb.valid.shrink_to_fit();
    return plans_.emplace(&layer, std::move(plan)).first->second;
  }

  BbsConfig cfg_;
  mutable std::map<const Layer*, LayerPlan> plans_;
};

BbsConfig read_bbs(ConfigNode& node) {
  BbsConfig c;
  c.pes = node.get_positive("pes", int64_t{64}, "PEs", "processing elements; rows go to PEs in groups of this size");
  c.banks = node.get_positive("banks", int64_t{32}, "banks", "K: banks per weight row = MAC lanes per PE");
  const std::string unb = node.get_choice("on_unbalanced", "error", {"error", "run"},
                                          "sparse weights not bank-balanced for K: reject, or run with conflicts");
  c.run_unbalanced = unb == "run";
  c.vector_read_latency = node.get_positive("vector_read_latency", int64_t{1}, "cycles", "vector bank SRAM read");
  c.multiplier_latency = node.get_positive("multiplier_latency", int64_t{1}, "cycles", "pipelined multiplier");
  c.index_bits = node.get<int64_t>("index_bits", 0, "bits", "CSB in-bank index width (0: just enough for the bank)");
  if (c.index_bits < 0 || c.index_bits > 16) node.fail("index_bits", "must be within 0..16");
  c.preload_weights = node.get<bool>("preload_weights", false, "",
                                     "weights that fit the weight buffer are loaded before the run (not timed)");
  ConfigNode buffers = node.child("buffers", "on-chip SRAM");
  c.weights = read_buffer(buffers, "weights", 512, "CSB weight buffer (whole matrix stays resident when it fits)");
  ConfigNode vec = buffers.child("vectors", "each PE's private input-vector copy, split over K single-port banks");
  c.vector_kb = vec.get_positive("size_kb", 8.0, "KiB", "capacity per PE");
  c.vector_double_buffered = vec.get<bool>("double_buffered", false, "", "half the capacity fills while the other half computes");
  vec.finish();
  c.outputs = read_buffer(buffers, "outputs", 16, "output buffer on the way to DRAM");
  buffers.finish();
  if (c.banks > 1024) node.fail("banks", "at most 1024");
  return c;
}

// No per-cycle stepping model yet: sim.mode=cycle is an error (from the declaration below).
const ComputeRegistrar<BbsConfig> bbs_registrar(
    KindInfo{"bbs", "bank-balanced sparse PE array (Cao et al. FPGA'19): CSB weights, K banks per row, mask-timed", {},
             {"event"}, {"conv2d", "linear", "gemm", "lstm", "gru"},
             {mac_action_decl(), rf_action_decl(),
              {"sram.weights.*", "byte", "sram.weights", "CSB weight buffer byte: energy table sram at its bank size"},
              {"sram.vectors.*", "byte", "sram.vectors", "vector bank byte: energy table sram at size_kb / banks"},
              {"sram.outputs.*", "byte", "sram.outputs", "output buffer byte: energy table sram at its bank size"}}},
    read_bbs, [](BbsConfig c, const ArchContext& arch, MemoryModel& dram) -> std::unique_ptr<ComputeBlock> {
      return std::make_unique<BbsBlock>(arch, dram, std::move(c));
    });

}  // namespace
}  // namespace accsim
