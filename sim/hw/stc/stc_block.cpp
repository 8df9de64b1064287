// A GPU of streaming multiprocessors with (sparse) tensor cores, shared memory, an L2 and HBM,
// running one GEMM per layer as waves of thread blocks (compute.kind: sparse_tensor_core).
//
// One sc_module. The per-SM work is plain C++ (gemm_plan.cpp); this block plays each wave's
// k-steps through three bandwidth/latency channels in simulated time: the HBM channel shared with
// the accelerator, the aggregate L2 -> SM crossbar, and the L2 port of the busiest SM (each
// direction on its own: stores do not take read bandwidth). A k-step's
// operands must have arrived before its mma work starts; `stages` k-steps may be in flight (the
// multistage cp.async pipeline), so latency shows as pipeline fill at the start of every wave.
#include <algorithm>
#include <cmath>
#include <deque>

#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/memory/dram_channel.hpp"
#include "sim/hw/stc/gemm_plan.hpp"
#include "sim/hw/stc/gpu_config.hpp"
#include "sim/workload/weight_mask.hpp"

namespace accsim {

namespace {

DramSpec channel_spec(double bytes_per_clk, double clock_hz, double latency_cycles) {
  DramSpec s;
  s.bandwidth_gb_s = bytes_per_clk * clock_hz / 1e9;
  s.latency_ns = latency_cycles / clock_hz * 1e9;
  return s;
}

class SparseTensorCoreBlock : public ComputeBlock {
 public:
  SparseTensorCoreBlock(const ArchContext& arch, MemoryModel& dram, StcConfig cfg)
      : ComputeBlock("sparse_tensor_core", arch, dram),
        cfg_(std::move(cfg)),
        l2_("l2", channel_spec(cfg_.l2_bytes_per_clk, arch.clock_hz, cfg_.l2_latency_cycles)),
        port_("sm_port", channel_spec(cfg_.sm_port_bytes_per_clk, arch.clock_hz, 0)),
        l2_write_("l2_write", channel_spec(cfg_.l2_bytes_per_clk, arch.clock_hz, 0)),
        port_write_("sm_port_write", channel_spec(cfg_.sm_port_bytes_per_clk, arch.clock_hz, 0)) {}

  void check(const Layer& layer) const override {
    const GemmShape g = lower_to_gemm(layer);
    if (g.m <= 0 || g.n <= 0 || g.k <= 0) layer_error(layer, "lowers to an empty GEMM");
    const DType& w = layer.weights.dtype;
    if (cfg_.rate(w) <= 0)
      layer_error(layer, "this GPU has no tensor-core path for " + w.name + " (compute.fma_per_clk has no entry" +
                             (w.name == "fp32" ? std::string("; trace the network with `accsim trace --quant fp16`, bf16, int8 or fp8_e4m3") : std::string()) + ")");
    const Compression& comp = layer.weights.compression;
    if (!comp.is_dense() && comp.pattern != SparsityPattern::NM && !g.b_is_activation)
      layer_error(layer, "the sparse tensor core runs dense or N:M weights; these are " + pattern_name(comp.pattern) +
                             "-sparse (not N:M); prune them to N:M (e.g. prune=nm:2:4) or give them dense");
    const bool sparse = is_sparse(layer);
    NmFormat f;
    if (sparse) f = checked_format(layer);
    plan_gemm(cfg_, layer, g, sparse, f);  // throws when the tile does not fit the SM
  }

  double area_um2() const override {
    return static_cast<double>(cfg_.tensor_cores()) * (datapath_area_um2() + mux_bits_per_tensor_core() * cfg_.mux_area_um2_per_bit);
  }

  double leakage_uw() const override {
    // Logic at the table's leakage density, plus SRAM.
    const double density = arch_.energy.logic_leakage_uw_per_um2();
    const double sram_kb = static_cast<double>(cfg_.sms) * (cfg_.smem_kb + cfg_.register_file_kb) + cfg_.l2_mb * 1024.0;
    return area_um2() * density + sram_kb * arch_.energy.sram_leakage_uw_per_kb();
  }

  LayerResult execute(const Layer& layer) override {
    const GemmShape g = lower_to_gemm(layer);
    const bool sparse = is_sparse(layer);
    const NmFormat f = sparse ? checked_format(layer) : NmFormat{};
    const GemmPlan plan = plan_gemm(cfg_, layer, g, sparse, f);
    l2_.reset_counters();

    // Waves identical in timing to the two before them are not simulated again: they take the
    // time the last simulated one took (steady state). Decided from the plan alone.
    const size_t n = plan.waves.size();
    std::vector<bool> skip(n, false);
    for (size_t i = 2; i < n; ++i)
      skip[i] = plan.waves[i].same_timing(plan.waves[i - 1]) && plan.waves[i - 1].same_timing(plan.waves[i - 2]);

    const sc_core::sc_time start = sc_core::sc_time_stamp();
    uint64_t compute_cycles = 0;
    int64_t simulated = 0;
    for (const WavePlan& w : plan.waves) compute_cycles += wave_compute_cycles(w, plan);
    compute_cycles *= static_cast<uint64_t>(g.sequential_steps);
    for (int64_t step = 0; step < g.sequential_steps; ++step) {
      // An RNN step needs the previous step's results in memory.
      if (step > 0 && dram_.idle_at() > sc_core::sc_time_stamp()) sc_core::wait(dram_.idle_at() - sc_core::sc_time_stamp());
      sc_core::sc_time steady;
      for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && skip[j] == skip[i]) ++j;
        if (skip[i]) {
          for (size_t k = i; k < j; ++k) {
            dram_.transfer(bytes(plan.waves[k].hbm_read_bytes), false);
            dram_.transfer(bytes(plan.waves[k].store_hbm_bytes), true);
          }
          sc_core::wait(steady * static_cast<double>(j - i));
        } else {
          steady = run_waves(plan, i, j);
          simulated += static_cast<int64_t>(j - i);
        }
        i = j;
      }
      if (plan.split_k > 1) reduce(plan);
    }
    const sc_core::sc_time end = std::max(sc_core::sc_time_stamp(), dram_.idle_at());
    if (end > sc_core::sc_time_stamp()) sc_core::wait(end - sc_core::sc_time_stamp());
    return result(layer, g, plan, end - start, compute_cycles, simulated);
  }

 double unit_price_pj(const std::string& action) const override {
    if (action == "mux.bit_switches") return arch_.energy.extra_pj("stc_mux2_per_bit");
    if (action == "smem.bytes") return arch_.energy.sram_pj_per_byte(cfg_.smem_kb / static_cast<double>(cfg_.smem_banks));
    if (action.rfind("l2.", 0) == 0) return arch_.energy.sram_pj_per_byte(cfg_.l2_bank_kb);
    return ComputeBlock::unit_price_pj(action);
  }

 private:
  bool is_sparse(const Layer& layer) const {
    return layer.weights.compression.pattern == SparsityPattern::NM && !lower_to_gemm(layer).b_is_activation;
  }

  // The hardware layout for this layer's weights, after checking that the layer's sparsity fits it.
  NmFormat checked_format(const Layer& layer) const {
    const DType& w = layer.weights.dtype;
    NmFormat f;
    try {
      f = cfg_.hardware_format(w);
    } catch (const InputError& e) {
      layer_error(layer, e.what());
    }
    const Compression& c = layer.weights.compression;
    const int ne = f.n * f.unit, me = f.m * f.unit;  // the hardware group, in elements
    // Most nonzeros an N:M tensor can put in one hardware group (-1: groups misaligned).
    int64_t worst = -1;
    if (c.nm_m % me == 0) worst = std::min(c.nm_n, me);
    else if (me % c.nm_m == 0) worst = static_cast<int64_t>(c.nm_n) * (me / c.nm_m);
    // Pairwise layouts count pairs; a declared N:M equal to the hardware's is taken as pairwise.
    const bool exact = c.nm_n == ne && c.nm_m == me;
    const bool fits = exact || (worst >= 0 && worst <= (f.unit > 1 ? f.n : ne));
    if (!fits)
      layer_error(layer, "weights pruned " + std::to_string(c.nm_n) + ":" + std::to_string(c.nm_m) +
                             " do not fit the sparse tensor core's " + f.name + " layout for " + w.name +
                             " (prune=nm:" + std::to_string(ne) + ":" + std::to_string(me) + ")");
    // Weights read from a file are checked element by element; synthetic ones are pruned to the
    // pattern by construction.
    if (!c.mask_file.empty()) {
      const auto mask = weight_mask(layer);
      try {
        nm_select(f, mask->keep, mask->rows, mask->cols, "layer '" + layer.name + "' weights");
      } catch (const InputError& e) {
        layer_error(layer, e.what());
      }
    }
    return f;
  }

  // Plays waves [first, last) as one continuous stream of k-steps: stage fills are issued up to
  // `stages` k-steps ahead, across wave boundaries (the next CTAs' prologue overlaps the current
  // ones' tail, as co-resident or persistent CTAs do); each wave ends with its epilogue, the C
  // tiles going through the SM port into L2 (L2 writes them back to HBM behind later waves).
  // Returns the duration of the last wave (end of previous epilogue to end of its own).
  sc_core::sc_time run_waves(const GemmPlan& p, size_t first, size_t last) {
    using sc_core::sc_time;
    std::deque<sc_time> in_flight;  // arrival times of issued stage fills, oldest first
    size_t issue_wave = first;
    int64_t issue_step = 0;
    auto issue = [&]() {
      const WavePlan& w = p.waves[issue_wave];
      const bool tail = issue_step == p.ksteps - 1;
      const double k_share = static_cast<double>(tail ? p.last_k : p.bk) / static_cast<double>(p.k_slice);
      const sc_time l2 = l2_.transfer(bytes(tail ? w.l2_bytes_last : w.l2_bytes_full), false);
      const sc_time port = port_.transfer(bytes(tail ? w.last.port_bytes : w.full.port_bytes), false);
      const sc_time hbm = dram_.transfer(bytes(w.hbm_read_bytes * k_share), false);
      in_flight.push_back(std::max({l2, port, hbm}));
      if (++issue_step == p.ksteps) issue_step = 0, ++issue_wave;
    };
    sc_time previous_end = sc_core::sc_time_stamp(), duration;
    for (size_t wi = first; wi < last; ++wi) {
      const WavePlan& w = p.waves[wi];
      for (int64_t s = 0; s < p.ksteps; ++s) {
        while (issue_wave < last && in_flight.size() < static_cast<size_t>(p.stages)) issue();
        const sc_time ready = in_flight.front();
        if (ready > sc_core::sc_time_stamp()) sc_core::wait(ready - sc_core::sc_time_stamp());
        const uint64_t cycles = (s == p.ksteps - 1 ? w.last : w.full).cycles();
        sc_core::wait(arch_.clock_period() * static_cast<double>(cycles));
        in_flight.pop_front();
      }
      while (issue_wave < last && in_flight.size() < static_cast<size_t>(p.stages)) issue();
      const sc_time stored =
          std::max(port_write_.transfer(bytes(w.store_port_bytes), true), l2_write_.transfer(bytes(w.store_bytes), true));
      dram_.transfer(bytes(w.store_hbm_bytes), true);
      if (stored > sc_core::sc_time_stamp()) sc_core::wait(stored - sc_core::sc_time_stamp());
      duration = sc_core::sc_time_stamp() - previous_end;
      previous_end = sc_core::sc_time_stamp();
    }
    return duration;
  }

  // Split-K reduction pass over all SMs: read every partial, write C. Bandwidth-bound in L2
  // (or HBM when the partials spilled).
  void reduce(const GemmPlan& p) {
    sc_core::sc_time done = std::max(l2_.transfer(bytes(p.reduction_read_bytes), false),
                                     l2_write_.transfer(bytes(p.reduction_write_bytes), true));
    done = std::max(done, dram_.transfer(bytes(p.workspace_hbm_bytes), false));
    dram_.transfer(bytes(p.reduction_write_bytes), true);
    if (done > sc_core::sc_time_stamp()) sc_core::wait(done - sc_core::sc_time_stamp());
  }

  static uint64_t bytes(double b) { return static_cast<uint64_t>(std::llround(b)); }

  static uint64_t wave_compute_cycles(const WavePlan& w, const GemmPlan& p) {
    return w.full.cycles() * static_cast<uint64_t>(p.ksteps - 1) + w.last.cycles();
  }

  LayerResult result(const Layer& layer, const GemmShape& g, const GemmPlan& p, sc_core::sc_time elapsed,
                     uint64_t compute_cycles, int64_t simulated) const {
    LayerResult r;
    r.cycles = static_cast<uint64_t>(std::llround(elapsed / arch_.clock_period()));
    r.compute_cycles = std::min(compute_cycles, r.cycles);
    r.stall_cycles = r.cycles - r.compute_cycles;
    r.macs = static_cast<uint64_t>(g.macs());
    const double density = p.sparse ? p.format.density() : 1.0;
    r.effectual_macs = static_cast<uint64_t>(std::llround(static_cast<double>(r.macs) * density));
    // Physical multipliers per clock: utilization is then the fraction of the (sparse) peak.
    r.peak_macs_per_cycle = static_cast<double>(cfg_.tensor_cores() * cfg_.rate(layer.weights.dtype));

    double mmas = 0, smem = 0, l2_reads = 0, hbm_reads = 0, stores = 0;
    for (const WavePlan& w : p.waves) {
      mmas += w.mmas;
      smem += w.smem_bytes;
      l2_reads += w.l2_read_bytes;
      hbm_reads += w.hbm_read_bytes;
      stores += w.store_bytes;
    }
    l2_reads += p.reduction_read_bytes;
    stores += p.reduction_write_bytes;
    hbm_reads += p.workspace_hbm_bytes;
    const double steps = static_cast<double>(g.sequential_steps);
    mmas *= steps, smem *= steps, l2_reads *= steps, hbm_reads *= steps, stores *= steps;
    const Precision prec = arch_.precision_of(layer);
    const double mma_macs = static_cast<double>(p.mma.m * p.mma.n * p.mma.k);
    const double executed = mmas * mma_macs * density;  // multiplies the tensor cores performed (with padding)
    r.actions.add(mac_action(prec), executed);
    if (p.sparse) {
      // Each multiply selected its activation through an M-input mux: M-1 2:1 stages per bit.
      // tf32's 1:2 runs on the 2:4 hardware: both 16-bit halves pass a 4-input mux.
      const double bits = static_cast<double>(layer.activations.dtype.bits);
      const double stages = p.format.tf32_halves ? 3.0 : static_cast<double>(p.format.m - 1);
      r.actions.add("mux.bit_switches", executed * stages * bits);
    }
    // Register file: each mma reads both operand fragments and reads + writes its accumulators.
    const double frag_bytes = static_cast<double>(p.mma.m * p.mma.k) * p.weight_bytes_per_element +
                              static_cast<double>(p.mma.n * p.mma.k) * layer.activations.dtype.bytes() +
                              2.0 * static_cast<double>(p.mma.m * p.mma.n) * layer.accumulators.dtype.bytes();
    r.actions.add("rf.bytes", mmas * frag_bytes);
    r.actions.add("smem.bytes", smem);
    r.actions.add("l2.read_bytes", l2_reads);
    r.actions.add("l2.write_bytes", stores);

    const double waves = static_cast<double>(p.waves.size());
    const double wave_size = static_cast<double>(cfg_.sms * p.ctas_per_sm);
    r.counters["sparse"] = p.sparse ? 1 : 0;
    r.counters["mma_k"] = static_cast<double>(p.mma.k);
    r.counters["mma_instructions"] = mmas;
    r.counters["tile_k"] = static_cast<double>(p.bk);
    r.counters["k_steps"] = static_cast<double>(p.ksteps);
    r.counters["split_k"] = static_cast<double>(p.split_k);
    r.counters["ctas"] = static_cast<double>(p.ctas);
    r.counters["ctas_per_sm"] = static_cast<double>(p.ctas_per_sm);
    r.counters["stages"] = static_cast<double>(p.stages);
    r.counters["waves"] = waves * steps;
    r.counters["waves_simulated"] = static_cast<double>(simulated);
    // Fraction of CTA slots the waves fill (1 = no wave quantization loss).
    r.counters["wave_efficiency"] = static_cast<double>(p.ctas) / (waves * wave_size);
    r.counters["smem_bytes"] = smem;
    r.counters["l2_read_bytes"] = l2_reads;
    r.counters["l2_write_bytes"] = stores;
    r.counters["hbm_operand_read_bytes"] = hbm_reads;
    const double seconds = static_cast<double>(r.cycles) / arch_.clock_hz;
    // Dense-equivalent throughput (algorithmic MACs x 2 per second), as GPU vendors quote it.
    r.counters["throughput_tflops_dense_equiv"] = seconds > 0 ? 2.0 * static_cast<double>(r.macs) / seconds / 1e12 : 0;
    return r;
  }

  // Per tensor core: the widest datapath over the formats it runs (lanes x MAC area).
  double datapath_area_um2() const {
    double best = 0;
    for (const auto& [name, rate] : cfg_.fma_per_clk) {
      DType t;
      if (parse_dtype(name, t)) best = std::max(best, static_cast<double>(rate) * arch_.energy.mac_area_um2(t));
    }
    return best;
  }
  // Operand bits the selection muxes switch per tensor core: lanes x bits (equal for every
  // format, 4096 on the A100) times the M-1 2:1 stages of an M-input mux.
  double mux_bits_per_tensor_core() const {
    double lane_bits = 0;
    for (const auto& [name, rate] : cfg_.fma_per_clk) {
      DType t;
      if (parse_dtype(name, t)) lane_bits = std::max(lane_bits, static_cast<double>(rate * t.bits));
    }
    const int64_t width = cfg_.sparse_format == "nvidia" ? 4 : cfg_.sparse_m;
    return lane_bits * static_cast<double>(width - 1);
  }

  StcConfig cfg_;
  DramChannel l2_;
  DramChannel port_;
  // Stores travel the other direction of the crossbar and the SM port, with their own bandwidth.
  DramChannel l2_write_;
  DramChannel port_write_;
};

StcConfig read_config(ConfigNode& node) {
  StcConfig c;
  c.sms = node.get_positive("sms", c.sms, "SMs", "streaming multiprocessors");
  c.tensor_cores_per_sm = node.get_positive("tensor_cores_per_sm", c.tensor_cores_per_sm, "", "one per SM sub-partition");
  ConfigNode rates = node.child("fma_per_clk", "dense FMA per clock per tensor core, by operand format");
  if (rates.describing()) {
    rates.get_positive("fp16", int64_t{256}, "FMA/clk", "one entry per format the tensor core runs");
  } else {
    for (const auto& key : rates.keys()) {
      DType t;
      if (!parse_dtype(key, t)) rates.fail(key, "unknown format '" + key + "'");
      c.fma_per_clk[t.name] = rates.get_positive(key, int64_t{1}, "FMA/clk", "");
    }
    if (c.fma_per_clk.empty()) node.fail("fma_per_clk", "needs at least one format");
  }
  rates.finish();
  c.register_file_kb = node.get_positive("register_file_kb", c.register_file_kb, "KiB", "register file per SM");
  ConfigNode smem = node.child("shared_memory", "per-SM shared memory");
  c.smem_kb = smem.get_positive("size_kb", c.smem_kb, "KiB", "usable by thread blocks");
  c.smem_bytes_per_clk = smem.get_positive("bytes_per_clk", c.smem_bytes_per_clk, "B/clk", "bandwidth per SM");
  c.smem_banks = smem.get_positive("banks", c.smem_banks, "", "banks (energy per access follows bank size)");
  smem.finish();
  ConfigNode l2 = node.child("l2", "shared L2 cache");
  c.l2_mb = l2.get_positive("size_mb", c.l2_mb, "MiB", "capacity");
  c.l2_bytes_per_clk = l2.get_positive("bytes_per_clk", c.l2_bytes_per_clk, "B/clk", "aggregate read bandwidth");
  c.l2_latency_cycles = l2.get<double>("latency_cycles", c.l2_latency_cycles, "cycles", "hit latency");
  if (!l2.describing() && c.l2_latency_cycles < 0) l2.fail("latency_cycles", "must be >= 0");
  c.l2_bank_kb = l2.get_positive("slice_kb", c.l2_bank_kb, "KiB", "one slice (energy per access follows it)");
  c.sm_port_bytes_per_clk = l2.get_positive("sm_port_bytes_per_clk", c.sm_port_bytes_per_clk, "B/clk", "L2 -> one SM");
  l2.finish();
  ConfigNode tile = node.child("tile", "thread-block tile of the GEMM kernel");
  c.tile_m = tile.get_positive("m", c.tile_m, "elements", "tile rows (activation rows)");
  c.tile_n = tile.get_positive("n", c.tile_n, "elements", "tile columns (weight rows)");
  c.tile_k_bytes = tile.get_positive("k_bytes", c.tile_k_bytes, "B", "weight bytes per row per k-step (dense kernel)");
  c.warp_m = tile.get_positive("warp_m", c.warp_m, "elements", "warp tile rows");
  c.warp_n = tile.get_positive("warp_n", c.warp_n, "elements", "warp tile columns");
  c.warpgroup = tile.get<bool>("warpgroup", false, "",
                                "warp tiles are Hopper warpgroup (wgmma) tiles spread over all tensor cores");
  c.stages = tile.get_positive("stages", c.stages, "", "k-steps in flight (multistage pipeline)");
  c.max_ctas_per_sm = tile.get_positive("max_ctas_per_sm", c.max_ctas_per_sm, "", "occupancy cap");
  c.split_k_max = tile.get_positive("split_k_max", c.split_k_max, "", "most K slices for grids smaller than a wave (1 = off)");
  c.raster_group = tile.get_positive("raster_group", c.raster_group, "tiles", "tile rows per launch-order group");
  tile.finish();
  ConfigNode sp = node.child("sparsity", "structured-sparsity support");
  c.sparse_format = sp.get_choice("format", c.sparse_format, {"nvidia", "nm"},
                                  "nvidia: PTX mma.sp layouts per format; nm: n:m for every format");
  c.sparse_n = sp.get_positive("n", c.sparse_n, "", "nonzeros kept per group (format nm)");
  c.sparse_m = sp.get_positive("m", c.sparse_m, "", "group size = selection-mux width (format nm)");
  c.mux_area_um2_per_bit = sp.get<double>("mux_area_um2_per_bit", 0.0, "um^2", "area of one 2:1 mux bit");
  sp.finish();
  if (!node.describing()) {
    if (c.sparse_format == "nm" && c.sparse_n >= c.sparse_m) node.fail("sparsity", "needs n < m");
    if (c.tile_m % c.warp_m != 0 || c.tile_n % c.warp_n != 0) node.fail("tile", "warp tiles must divide the tile");
    if (c.warp_m % 16 != 0 || c.warp_n % 8 != 0) node.fail("tile", "warp tiles must be multiples of the m16n8 mma");
    if (c.mux_area_um2_per_bit < 0) node.fail("sparsity", "mux_area_um2_per_bit must be >= 0");
  }
  return c;
}

// The model is event-driven throughout (no per-cycle PE grid to step): sim.mode=cycle is an error
// from the declaration.
const ComputeRegistrar<StcConfig> stc_registrar(
    KindInfo{"sparse_tensor_core",
             "GPU of SMs with (2:4 / N:M sparse) tensor cores, shared memory, L2 and HBM; GEMMs as waves of thread-block tiles",
             {}, {"event"}, {"conv2d", "linear", "gemm", "matmul", "lstm", "gru"},
             {mac_action_decl(),
              {"mux.bit_switches", "bit", "mux", "operand bit through one 2:1 stage of the N:M selection mux: "
                                                 "energy table extra_pj.stc_mux2_per_bit"},
              rf_action_decl(),
              {"smem.bytes", "byte", "smem", "shared-memory byte read or written: energy table sram at one bank"},
              {"l2.*", "byte", "l2", "L2 byte read or written: energy table sram at one slice"}}},
    read_config, [](StcConfig c, const ArchContext& arch, MemoryModel& dram) -> std::unique_ptr<ComputeBlock> {
      return std::make_unique<SparseTensorCoreBlock>(arch, dram, std::move(c));
    });

}  // namespace
}  // namespace accsim
