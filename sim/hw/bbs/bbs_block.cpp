// Bank-balanced sparse PE array (Cao et al., FPGA'19; docs/models/bbs.md). P PEs, each with K MAC
// lanes; every weight row is split into K banks and stored in CSB form; each PE keeps its own copy
// of the input vector(s) in K single-port SRAM banks. Per cycle a PE takes one CSB slot (one
// nonzero per bank), reads the K matching inputs (one per bank: no port conflicts), multiplies in
// K lanes and reduces them in an adder tree into its accumulator. Timing comes from the layer's
// real weight mask (bank_schedule.hpp); weights stream from DRAM through a double-buffered
// TilePipeline unless the whole compressed matrix fits on chip.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "sim/hw/bbs/bank_schedule.hpp"
#include "sim/hw/bbs/bbs_layout.hpp"
#include "sim/hw/bbs/bank_stepper.hpp"
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
  int64_t ew_lanes = 16;              // element-wise unit: hidden elements per cycle
  int64_t ew_latency = 4;             // its pipeline depth, cycles
  bool forward_outputs = false;       // keep a layer's outputs in the output buffer for the next layer
};


// Per instance and step of a layer: the tiles it streams and what it moves.
struct TileStats {
  double weight_fill = 0, weight_read = 0, input = 0, writeback = 0, out = 0, elementwise = 0;
  TileStats& operator+=(const TileStats& o) {
    weight_fill += o.weight_fill, weight_read += o.weight_read, input += o.input;
    writeback += o.writeback, out += o.out, elementwise += o.elementwise;
    return *this;
  }
  TileStats scaled(double f) const {
    TileStats t = *this;
    t.weight_fill *= f, t.weight_read *= f, t.input *= f, t.writeback *= f, t.out *= f, t.elementwise *= f;
    return t;
  }
};

struct Chunk {
  uint64_t cycles = 0, rows = 0;
  double bytes = 0;
};

class BbsBlock : public ComputeBlock {
 public:
  BbsBlock(const ArchContext& arch, MemoryModel& dram, BbsConfig cfg)
      : ComputeBlock("bbs", arch, dram), cfg_(std::move(cfg)) {}

  double unit_price_pj(const std::string& action) const override {
    if (action.rfind("sram.weights.", 0) == 0) return cfg_.weights.pj_per_byte(arch_.energy);
    if (action.rfind("sram.vectors.", 0) == 0)
      return arch_.energy.sram_pj_per_byte(cfg_.vector_kb / static_cast<double>(cfg_.banks));
    if (action.rfind("sram.outputs.", 0) == 0) return cfg_.outputs.pj_per_byte(arch_.energy);
    // elementwise.mul.<dtype> / elementwise.add.<dtype>: one operation at that precision.
    DType t;
    if (action.rfind("elementwise.mul.", 0) == 0 && parse_dtype(action.substr(16), t)) return arch_.energy.multiply_pj(t, t);
    if (action.rfind("elementwise.add.", 0) == 0 && parse_dtype(action.substr(16), t)) return arch_.energy.add_pj(t);
    return ComputeBlock::unit_price_pj(action);
  }

  void check(const Layer& layer) const override {
    const GemmShape g = lower_to_gemm(layer);
    if (g.m <= 0 || g.n <= 0 || g.k <= 0) layer_error(layer, "lowers to an empty GEMM");
    arch_.mac->check(arch_.precision_of(layer), layer.origin);
    const double vec_bytes = static_cast<double>(g.k) * layer.activations.dtype.bytes();
    if (vec_bytes > vector_tile_bytes())
      layer_error(layer, "input vector of " + std::to_string(g.k) + " elements (" + std::to_string(vec_bytes / 1024.0) +
                             " KiB) does not fit the PE vector buffer (compute.buffers.vectors.size_kb)");
    check_tile_count(layer, g);
    const LayerPlan& plan = plan_for(layer);
    if (cfg_.index_bits > 0 && plan.csb.bank_len > (int64_t{1} << cfg_.index_bits))
      layer_error(layer, "bank length " + std::to_string(plan.csb.bank_len) + " needs more than compute.index_bits = " +
                             std::to_string(cfg_.index_bits) + " bits");
    if (!plan.dense && !cfg_.run_unbalanced) {
      const BankBalance& b = plan.balance;
      if (!b.balanced)
        layer_error(layer, "weights (" + pattern_name(layer.weights.compression.pattern) +
                               " pattern) are not bank-balanced for " + std::to_string(cfg_.banks) +
                               " banks per row of " + std::to_string(g.k) + ": " + b.describe() +
                               "; set compute.on_unbalanced: run to execute them with bank conflicts");
    }
    last_layer_ = &layer;  // the checks run over the whole network in order: the last one is final
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
    Ctx c = context(layer, g, p, plan);
    std::vector<Tile> tiles;
    const TileStats st = build_tiles(c, tiles);
    TilePipeline pipeline(dram_, arch_.clock_period(), cfg_.weights.double_buffered ? 2 : 1);
    const PipelineTiming timing = pipeline.run(tiles);
    onchip_output_ = c.keep_output;
    return result(c, timing, st);
  }

 private:
  struct LayerPlan {
    CsbMatrix csb;
    std::vector<PassSchedule> instance;  // one per distinct weight set; one when all share a schedule
    bool shared_weights = true;          // all instances use rows [0, n)
    bool dense = false;                  // dense counts (no mask): dense weights or an activation operand
    bool activation_operand = false;     // B is an activation (matmul): the dense path, streamed per instance
    BankBalance balance;                 // computed once; the per-bank counts are dropped after it
  };

  // Everything one layer's tile building needs.
  struct Ctx {
    const Layer* layer = nullptr;
    GemmShape g;
    Precision p;
    const LayerPlan* plan = nullptr;
    bool recurrent = false, resident = false, from_chip = false, keep_output = false;
    uint64_t slot_scale = 1, depth = 0, k = 1, ew_cycles_per_vec = 0;
    double w_entry_bits = 0, a_bytes = 0, o_bytes = 0, total_csb_bytes = 0;
    int64_t per_tile = 1, vec_tiles = 1;
    std::vector<std::vector<Chunk>> chunks;  // per distinct schedule
    bool addresses = false;  // the memory wants address streams (bbs_layout.hpp)
    BbsLayout layout;
    const std::vector<Chunk>& chunks_of(int64_t inst) const {
      return chunks[std::min(chunks.size() - 1, static_cast<size_t>(inst))];
    }
    const PassSchedule& schedule_of(int64_t inst) const {
      return plan->instance[std::min(plan->instance.size() - 1, static_cast<size_t>(inst))];
    }
  };

  double vector_tile_bytes() const { return cfg_.vector_kb * 1024.0 / (cfg_.vector_double_buffered ? 2.0 : 1.0); }

  // SRAM read, multiply, adder tree (ceil(log2 K) levels), accumulate: paid once per pass.
  uint64_t pipeline_depth() const {
    uint64_t tree = 0;
    while ((int64_t{1} << tree) < cfg_.banks) ++tree;
    return static_cast<uint64_t>(cfg_.vector_read_latency + cfg_.multiplier_latency) + tree + 1;
  }

  int entry_index_bits(const CsbMatrix& m) const { return cfg_.index_bits ? static_cast<int>(cfg_.index_bits) : m.index_bits(); }

  // Bounded memory: the tile list holds one entry per (step, distinct instance, vector tile,
  // weight chunk) at most; estimate it before building anything and refuse what would not fit.
  void check_tile_count(const Layer& layer, const GemmShape& g) const {
    const long double per_tile = std::max(1.0L, std::floor(static_cast<long double>(vector_tile_bytes()) /
                                                           (static_cast<long double>(g.k) * layer.activations.dtype.bytes())));
    const long double vec_tiles = std::ceil(static_cast<long double>(g.m) / per_tile);
    const bool shared = g.b_is_activation || layer.op != OpKind::Conv2d || g.instances == 1;
    const long double instances = shared ? 2.0L : static_cast<long double>(g.instances);
    const long double entries = static_cast<long double>(g.sequential_steps) * instances * vec_tiles;
    constexpr long double kMaxTiles = 2e7L;
    if (entries > kMaxTiles) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "%.3Lg pipeline tiles (about %.3Lg GB)", entries,
                    entries * static_cast<long double>(sizeof(Tile)) / 1e9L);
      layer_error(layer, std::string("would need ") + buf + "; the bbs model is limited to 2e7 tiles per layer");
    }
    // Folded tiles cost no memory but each is still played in simulated time (~0.1-1 us of host
    // time per tile): refuse what would run for minutes instead of hanging.
    const long double played = static_cast<long double>(g.sequential_steps) * static_cast<long double>(g.instances) * vec_tiles;
    constexpr long double kMaxPlayed = 1e8L;
    if (played > kMaxPlayed) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3Lg", played);
      layer_error(layer, std::string("would play ") + buf +
                             " pipeline tiles (instances x steps x vector tiles); the bbs model is limited to 1e8 per layer");
    }
    // With address streams no tile folds (each has its own addresses): every played tile is stored.
    constexpr long double kMaxStreamTiles = 4e6L;
    if (dram_.wants_addresses() && played > kMaxStreamTiles) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3Lg", played);
      layer_error(layer, std::string("would issue ") + buf +
                             " pipeline tiles with address streams (dram.kind: timing); the bbs model is limited to 4e6 "
                             "per layer there (use dram.kind: bandwidth)");
    }
  }

  Ctx context(const Layer& layer, const GemmShape& g, const Precision& p, const LayerPlan& plan) const {
    Ctx c;
    c.layer = &layer, c.g = g, c.p = p, c.plan = &plan;
    const double ppc = arch_.mac->products_per_cycle(p);
    // A lane needing several cycles per product stretches every slot; wider lanes cannot help
    // because each bank delivers one input per cycle.
    c.slot_scale = ppc >= 1.0 ? 1 : static_cast<uint64_t>(std::ceil(1.0 / ppc - 1e-9));
    c.recurrent = layer.op == OpKind::Lstm || layer.op == OpKind::Gru;
    // An activation operand streams as plain values; weights carry their in-bank indices.
    c.w_entry_bits = plan.activation_operand ? static_cast<double>(p.activations.bits)
                                             : static_cast<double>(p.weights.bits + entry_index_bits(plan.csb));
    c.a_bytes = p.activations.bytes(), c.o_bytes = output_bytes(layer);  // KV-cache format for k/v projections
    c.k = static_cast<uint64_t>(cfg_.banks);
    c.depth = pipeline_depth();
    const double instances_stored = plan.shared_weights ? 1.0 : static_cast<double>(g.instances);
    c.total_csb_bytes = static_cast<double>(plan.csb.total_slots()) * static_cast<double>(c.k) * c.w_entry_bits / 8.0 *
                        (plan.dense && !plan.shared_weights ? instances_stored : 1.0);
    c.resident = !plan.activation_operand && c.total_csb_bytes <= cfg_.weights.capacity_bytes();
    for (size_t i = 0; i < plan.instance.size(); ++i) c.chunks.push_back(chunks_for(c, plan.instance[i], i));
    c.per_tile = static_cast<int64_t>(std::max(1.0, std::floor(vector_tile_bytes() / (static_cast<double>(g.k) * c.a_bytes))));
    c.vec_tiles = (g.m + c.per_tile - 1) / c.per_tile;
    c.addresses = dram_.wants_addresses();
    if (c.addresses) c.layout = layout_for(c, layer);
    if (c.recurrent) {
      // Element-wise unit: gate nonlinearities, cell update and h_t for every hidden element.
      c.ew_cycles_per_vec = static_cast<uint64_t>((layer.hidden_size + cfg_.ew_lanes - 1) / cfg_.ew_lanes);
    }
    // Forwarding: the previous layer's outputs sit in the output buffer; this layer's stay there
    // when they fit and a later layer will read them.
    c.from_chip = cfg_.forward_outputs && onchip_output_;
    const double out_bytes = c.recurrent ? static_cast<double>(g.m * layer.hidden_size * g.sequential_steps) * c.o_bytes
                                         : static_cast<double>(g.m * g.n * g.instances) * c.o_bytes;
    c.keep_output = cfg_.forward_outputs && &layer != last_layer_ && out_bytes <= cfg_.outputs.capacity_bytes();
    return c;
  }

  // Where the layer's operands live in DRAM (only for a memory that wants addresses).
  BbsLayout layout_for(const Ctx& c, const Layer& layer) const {
    double max_set = 0;
    for (const auto& chunks : c.chunks) {
      double sum = 0;
      for (const Chunk& ch : chunks) sum += ch.bytes;
      max_set = std::max(max_set, sum);
    }
    const double value_bits = c.plan->activation_operand ? c.w_entry_bits : static_cast<double>(c.p.weights.bits);
    const auto sets = c.plan->shared_weights ? uint64_t{1} : static_cast<uint64_t>(c.g.instances);
    const auto width = static_cast<uint64_t>(c.recurrent ? layer.hidden_size : c.g.n);
    return BbsLayout::make(max_set, value_bits / c.w_entry_bits, sets, static_cast<uint64_t>(c.g.sequential_steps),
                           static_cast<uint64_t>(c.g.m), static_cast<uint64_t>(c.g.k), width,
                           static_cast<uint64_t>(c.g.instances), c.a_bytes, c.o_bytes);
  }

  // Consecutive row groups whose CSB bytes fit one weight-buffer slot.
  std::vector<Chunk> chunks_for(const Ctx& c, const PassSchedule& s, size_t inst) const {
    const LayerPlan& plan = *c.plan;
    std::vector<Chunk> out;
    const int64_t row_end = plan.shared_weights ? plan.csb.rows : static_cast<int64_t>(inst + 1) * c.g.n;
    Chunk ch;
    for (size_t gi = 0; gi < s.group_cycles.size(); ++gi) {
      const int64_t r0 = s.group_first_row[gi], r1 = std::min(row_end, r0 + cfg_.pes);
      uint64_t slots = 0;
      for (int64_t r = r0; r < r1; ++r) slots += static_cast<uint64_t>(plan.csb.row_slots[static_cast<size_t>(r)]);
      const double bytes = static_cast<double>(slots * c.k) * c.w_entry_bits / 8.0;
      if (!c.resident && ch.rows > 0 && ch.bytes + bytes > cfg_.weights.tile_capacity_bytes()) {
        out.push_back(ch);
        ch = Chunk{};
      }
      ch.cycles += s.group_cycles[gi];
      ch.rows += static_cast<uint64_t>(r1 - r0);
      ch.bytes += bytes;
    }
    out.push_back(ch);
    return out;
  }

  // The tiles of one instance in one step (all its vector tiles and weight chunks).
  TileStats instance_tiles(const Ctx& c, int64_t s, int64_t inst, bool loaded, std::vector<Tile>& tiles) const {
    TileStats st;
    const Layer& layer = *c.layer;
    const std::vector<Chunk>& chunks = c.chunks_of(inst);
    for (int64_t v = 0; v < c.vec_tiles; ++v) {
      const auto nv = static_cast<uint64_t>(std::min(c.per_tile, c.g.m - v * c.per_tile));
      // Recurrent steps after the first load only x_t: h_{t-1} was written back into the banks.
      const int64_t in_elems = c.recurrent && s > 0 ? layer.input_size : c.g.k;
      double w_off = 0;   // the chunk's first CSB byte within its weight set
      uint64_t row0 = 0;  // its first weight row within the instance
      for (size_t ci = 0; ci < chunks.size(); ++ci, w_off += chunks[ci - 1].bytes, row0 += chunks[ci - 1].rows) {
        const Chunk& ch = chunks[ci];
        const bool last = ci + 1 == chunks.size();
        Tile t;
        double load = 0;
        const bool fetch_weights = !c.resident || !loaded;
        if (fetch_weights) load += ch.bytes, st.weight_fill += ch.bytes;
        if (ci == 0) {
          const double in = static_cast<double>(nv) * static_cast<double>(in_elems) * c.a_bytes;
          st.input += in;
          // Forwarded inputs come from the output buffer, not DRAM (x_t of every step included).
          if (!c.from_chip) load += in;
        }
        st.weight_read += ch.bytes;  // each slot is read once per vector tile, vectors inner
        t.compute_cycles = nv * ch.cycles * c.slot_scale;
        if (last) t.compute_cycles += c.depth;
        double store = 0;
        if (c.recurrent) {
          if (last) {
            // Element-wise unit, then h_t into every PE's vector banks, K elements per cycle.
            const auto h = static_cast<uint64_t>(layer.hidden_size);
            t.compute_cycles += nv * c.ew_cycles_per_vec + static_cast<uint64_t>(cfg_.ew_latency);
            t.compute_cycles += (nv * h + c.k - 1) / c.k;
            st.writeback += static_cast<double>(nv * h);
            st.elementwise += static_cast<double>(nv * h);
            store = static_cast<double>(nv * h) * c.o_bytes;
          }
        } else {
          store = static_cast<double>(nv * ch.rows) * c.o_bytes;
        }
        st.out += store;
        if (c.keep_output) store = 0;  // stays in the output buffer for the next layer
        t.load_bytes = static_cast<uint64_t>(std::ceil(load));
        t.store_bytes = static_cast<uint64_t>(std::ceil(store));
        // Without forwarding, step t+1 reloads h_t from DRAM and must wait for its store; with it,
        // h_t is read from the vector banks it was written back to, and x_t prefetches freely.
        t.depends_on_previous = c.recurrent && s > 0 && inst == 0 && v == 0 && ci == 0 && !cfg_.forward_outputs;
        if (c.addresses) {
          const TileAt at{s, inst, v, nv, in_elems, w_off, row0};
          attach_streams(c, at, ch, fetch_weights, ci == 0 && !c.from_chip, t.store_bytes > 0, t);
        }
        push_tile(tiles, t);
      }
    }
    return st;
  }

  // A tile's place: step, instance, vector tile (first vector v x per_tile, nv vectors), input
  // elements per vector, and its chunk's first CSB byte and weight row.
  struct TileAt {
    int64_t s, inst, v;
    uint64_t nv;
    int64_t in_elems;
    double w_off;
    uint64_t row0;
  };

  // The tile's load and store as address streams over the layout (bbs_layout.hpp).
  void attach_streams(const Ctx& c, const TileAt& a, const Chunk& ch, bool weights, bool inputs, bool store, Tile& t) const {
    const BbsLayout& l = c.layout;
    const auto s = static_cast<uint64_t>(a.s), inst = static_cast<uint64_t>(a.inst);
    const auto v0 = static_cast<uint64_t>(a.v * c.per_tile);
    AddressStream load;
    if (weights) l.weights(load, c.plan->shared_weights ? 0 : inst, a.w_off, ch.bytes);
    if (inputs) l.inputs_of(load, s, inst, v0, a.nv, static_cast<uint64_t>(a.in_elems));
    if (!load.empty()) t.load_stream = std::make_shared<const AddressStream>(std::move(load));
    if (!store) return;
    AddressStream out;
    if (c.recurrent) l.outputs_of(out, s, 0, v0, a.nv, 0, static_cast<uint64_t>(c.layer->hidden_size), l.n);
    else l.outputs_of(out, s, inst, v0, a.nv, a.row0, ch.rows, l.n);
    t.store_stream = std::make_shared<const AddressStream>(std::move(out));
  }

  // Appends a tile, folding it into the previous one when identical (bounded memory). Tiles with
  // address streams are not folded: each reads and writes its own addresses.
  static void push_tile(std::vector<Tile>& tiles, const Tile& t) {
    if (!tiles.empty() && !t.depends_on_previous && !t.load_stream && !t.store_stream) {
      Tile& b = tiles.back();
      if (!b.depends_on_previous && !b.load_stream && !b.store_stream && b.load_bytes == t.load_bytes &&
          b.compute_cycles == t.compute_cycles &&
          b.store_bytes == t.store_bytes) {
        b.repeat += t.repeat;
        return;
      }
    }
    tiles.push_back(t);
  }

  TileStats build_tiles(const Ctx& c, std::vector<Tile>& tiles) const {
    const LayerPlan& plan = *c.plan;
    TileStats total;
    // Preloaded resident weights were written into the buffer before the run (model load time).
    std::vector<bool> loaded(plan.shared_weights ? 1 : static_cast<size_t>(c.g.instances), c.resident && cfg_.preload_weights);
    // Instances with one schedule repeat the same tiles once their weights are in: fold them.
    const bool uniform = plan.instance.size() == 1 && !c.recurrent;
    for (int64_t s = 0; s < c.g.sequential_steps; ++s) {
      for (int64_t inst = 0; inst < c.g.instances; ++inst) {
        const size_t wi = plan.shared_weights ? 0 : static_cast<size_t>(inst);
        const size_t before = tiles.size();
        const uint64_t before_repeat = tiles.empty() ? 0 : tiles.back().repeat;
        const TileStats st = instance_tiles(c, s, inst, loaded[wi], tiles);
        total += st;
        loaded[wi] = true;
        const int64_t rest = c.g.instances - inst - 1;
        if (uniform && inst >= 1 && rest > 0 && tiles.size() == before) {
          // Every tile of this instance folded into the last entry: so will all remaining ones.
          tiles.back().repeat += static_cast<uint64_t>(rest) * (tiles.back().repeat - before_repeat);
          total += st.scaled(static_cast<double>(rest));
          break;
        }
      }
    }
    return total;
  }

  LayerResult result(const Ctx& c, const PipelineTiming& timing, const TileStats& st) const {
    const Layer& layer = *c.layer;
    const GemmShape& g = c.g;
    const Precision& p = c.p;
    // Per-vector schedule totals over all instances, then times the vectors and steps.
    PassSchedule per_vec = c.schedule_of(0);
    per_vec.nonzeros *= static_cast<uint64_t>(g.instances), per_vec.busy_pe_cycles *= static_cast<uint64_t>(g.instances);
    per_vec.conflict_stall_pe_cycles *= static_cast<uint64_t>(g.instances);
    per_vec.imbalance_idle_pe_cycles *= static_cast<uint64_t>(g.instances);
    per_vec.underfill_idle_pe_cycles *= static_cast<uint64_t>(g.instances);
    per_vec.padded_lane_slots *= static_cast<uint64_t>(g.instances), per_vec.pass_cycles *= static_cast<uint64_t>(g.instances);
    if (c.plan->instance.size() > 1) {
      per_vec = PassSchedule{};
      for (const PassSchedule& s : c.plan->instance) per_vec += s;
    }
    const double vec_passes = static_cast<double>(g.m * g.sequential_steps);

    LayerResult r;
    r.cycles = timing.cycles;
    r.compute_cycles = timing.compute_cycles;
    r.stall_cycles = timing.stall_cycles;
    r.macs = static_cast<uint64_t>(g.macs());
    r.effectual_macs = static_cast<uint64_t>(static_cast<double>(per_vec.nonzeros) * vec_passes);
    r.peak_macs_per_cycle = static_cast<double>(cfg_.pes * cfg_.banks) / static_cast<double>(c.slot_scale);
    const double eff = static_cast<double>(r.effectual_macs);
    r.actions.add(mac_action(p), eff);
    // Each busy PE slot read-modify-writes the accumulator; padded lanes are clock-gated.
    const double busy_slots = static_cast<double>(per_vec.busy_pe_cycles) * vec_passes;
    r.actions.add("rf.bytes", busy_slots * 2.0 * p.accumulators.bytes());
    r.actions.add("sram.weights.read_bytes", st.weight_read);
    r.actions.add("sram.weights.write_bytes", st.weight_fill);
    // Vector banks: one read per effectual MAC; fills and write-backs go to every PE's copy.
    const double vec_reads = eff * c.a_bytes;
    const double vec_writes = (st.input + st.writeback * c.o_bytes) * static_cast<double>(cfg_.pes);
    r.actions.add("sram.vectors.read_bytes", vec_reads);
    r.actions.add("sram.vectors.write_bytes", vec_writes);
    // Outputs are written once into the buffer and read once (to DRAM or by the next layer).
    r.actions.add("sram.outputs.write_bytes", st.out);
    r.actions.add("sram.outputs.read_bytes", st.out);
    add_elementwise(layer, st.elementwise, r);

    report(c, st, per_vec, vec_passes, busy_slots, vec_reads, vec_writes, r);
    r.figures["bank_balanced"] = c.plan->balance.balanced ? 1 : 0;
    return r;
  }

  // Counters (scaled by repeat) and per-layer figures (not scaled).
  void report(const Ctx& c, const TileStats& st, const PassSchedule& per_vec, double vec_passes, double busy_slots,
              double vec_reads, double vec_writes, LayerResult& r) const {
    r.counters["sram.weights.read_bytes"] = st.weight_read;
    r.counters["sram.weights.write_bytes"] = st.weight_fill;
    r.counters["sram.vectors.read_bytes"] = vec_reads;
    r.counters["sram.vectors.write_bytes"] = vec_writes;
    r.counters["sram.outputs.write_bytes"] = st.out;
    r.counters["csb_slots"] = busy_slots;
    r.counters["csb_bytes"] = c.total_csb_bytes;
    r.figures["weights_resident"] = c.resident ? 1 : 0;
    r.figures["weights_preloaded"] = c.resident && cfg_.preload_weights ? 1 : 0;
    r.figures["weight_chunks"] = static_cast<double>(c.chunks[0].size());
    if (cfg_.forward_outputs) {
      r.figures["inputs_from_chip"] = c.from_chip ? 1 : 0;
      r.figures["outputs_kept_on_chip"] = c.keep_output ? 1 : 0;
    }
    // Per-layer note: an activation x activation product has no sparse path; it ran dense.
    if (c.plan->activation_operand) r.figures["dense_path_activation_operand"] = 1;
    r.counters["conflict_stall_pe_cycles"] = static_cast<double>(per_vec.conflict_stall_pe_cycles) * vec_passes * c.slot_scale;
    r.counters["imbalance_idle_pe_cycles"] = static_cast<double>(per_vec.imbalance_idle_pe_cycles) * vec_passes * c.slot_scale;
    r.counters["underfill_idle_pe_cycles"] = static_cast<double>(per_vec.underfill_idle_pe_cycles) * vec_passes * c.slot_scale;
    r.counters["padded_lane_slots"] = static_cast<double>(per_vec.padded_lane_slots) * vec_passes;
    r.counters["array_pass_cycles"] = static_cast<double>(per_vec.pass_cycles) * vec_passes * c.slot_scale;
  }

  // Element-wise LSTM/GRU unit: per hidden element, each gate nonlinearity is a piecewise-linear
  // segment (one multiply, one add), plus the cell update: LSTM 5 nonlinearities (3 sigmoid,
  // 2 tanh) + 3 multiplies + 1 add; GRU 3 nonlinearities + 3 multiplies + 2 adds. Non-recurrent
  // layers report zero counts, so the energy components stay the same across layers.
  void add_elementwise(const Layer& layer, double elements, LayerResult& r) const {
    const bool lstm = layer.op == OpKind::Lstm;
    const double muls = lstm ? 5 + 3 : 3 + 3, adds = lstm ? 5 + 1 : 3 + 2;
    const std::string& a = layer.activations.dtype.name;
    r.actions.add("elementwise.mul." + a, elements * muls);
    r.actions.add("elementwise.add." + a, elements * adds);
    r.counters["elementwise.elements"] = elements;
  }

  // Event mode applies the cycle rules per row group; cycle mode steps every bank read of one pass
  // (the mask is the same for every input vector, so one stepped pass serves them all).
  PassSchedule pass_schedule(const CsbMatrix& m, int64_t r0, int64_t r1) const {
    return arch_.sim_mode == "cycle" ? step_pass(m, cfg_.pes, r0, r1) : schedule_pass(m, cfg_.pes, r0, r1);
  }

  const LayerPlan& plan_for(const Layer& layer) const {
    auto it = plans_.find(&layer);
    if (it != plans_.end()) return it->second;
    LayerPlan plan;
    const GemmShape g = lower_to_gemm(layer);
    if (g.b_is_activation || layer.weights.compression.is_dense()) {
      // Dense: the counts follow from the shape, no mask needed. Conv groups are distinct weights
      // with the same schedule: one schedule serves them all.
      plan.dense = true;
      plan.activation_operand = g.b_is_activation;
      plan.shared_weights = g.b_is_activation || layer.op != OpKind::Conv2d || g.instances == 1;
      plan.csb = csb_dense_counts(g.n, g.k, cfg_.banks);
      plan.instance.push_back(pass_schedule(plan.csb, 0, g.n));
      plan.csb.bank_nnz.clear(), plan.csb.bank_nnz.shrink_to_fit();
      return plans_.emplace(&layer, std::move(plan)).first->second;
    }
    plan.csb = csb_counts(*weight_mask(layer), cfg_.banks);  // counts only: no slot storage
    plan.shared_weights = plan.csb.rows == g.n;  // conv groups stack their weights as rows
    if (plan.shared_weights) {
      plan.instance.push_back(pass_schedule(plan.csb, 0, g.n));
    } else {
      for (int64_t i = 0; i < g.instances; ++i) plan.instance.push_back(pass_schedule(plan.csb, i * g.n, (i + 1) * g.n));
    }
    // The per-bank counts are only needed by the schedule and the balance check; timing keeps the
    // per-row slot counts (memory per layer ~12 B per weight row once the mask is released).
    plan.balance = check_bank_balance(plan.csb);
    plan.csb.bank_nnz.clear(), plan.csb.bank_nnz.shrink_to_fit();
    return plans_.emplace(&layer, std::move(plan)).first->second;
  }

  BbsConfig cfg_;
  mutable std::map<const Layer*, LayerPlan> plans_;
  mutable const Layer* last_layer_ = nullptr;
  bool onchip_output_ = false;  // the previous layer left its outputs in the output buffer
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
  ConfigNode ew = node.child("elementwise", "LSTM/GRU element-wise unit (gates, nonlinearities, cell update)");
  c.ew_lanes = ew.get_positive("lanes", int64_t{16}, "elements/cycle", "hidden elements finished per cycle");
  c.ew_latency = ew.get<int64_t>("latency", 4, "cycles", "pipeline depth, paid once per step");
  if (c.ew_latency < 0 || c.ew_latency > 1000000) ew.fail("latency", "must be within 0..1e6");
  ew.finish();
  c.forward_outputs = node.get<bool>("forward_outputs", false, "",
                                     "outputs that fit the output buffer stay on chip for the next layer and step");
  if (c.banks > 1024) node.fail("banks", "at most 1024");
  return c;
}

// sim.mode=cycle steps every bank read of a pass (bank_stepper.cpp); event mode applies the rules.
const ComputeRegistrar<BbsConfig> bbs_registrar(
    KindInfo{"bbs", "bank-balanced sparse PE array (Cao et al. FPGA'19): CSB weights, K banks per row, mask-timed", {},
             {"event", "cycle"}, {"conv2d", "linear", "gemm", "matmul", "lstm", "gru"},
             {mac_action_decl(), rf_action_decl(),
              {"sram.weights.*", "byte", "sram.weights", "CSB weight buffer byte: energy table sram at its bank size"},
              {"sram.vectors.*", "byte", "sram.vectors", "vector bank byte: energy table sram at size_kb / banks"},
              {"sram.outputs.*", "byte", "sram.outputs", "output buffer byte: energy table sram at its bank size"},
              {"elementwise.*", "operation", "elementwise",
               "element-wise unit multiply or add at the precision in the name: energy table multiply/add"}}},
    read_bbs, [](BbsConfig c, const ArchContext& arch, MemoryModel& dram) -> std::unique_ptr<ComputeBlock> {
      return std::make_unique<BbsBlock>(arch, dram, std::move(c));
    });

}  // namespace
}  // namespace accsim
