// A GPU of streaming multiprocessors with (sparse) tensor cores, shared memory, an L2 and HBM,
// running one GEMM per layer as waves of thread blocks (compute.kind: sparse_tensor_core).
//
// One sc_module. The per-SM work is plain C++ (gemm_plan.cpp); this block plays each wave's
// k-steps through three bandwidth/latency channels in simulated time: the HBM channel shared with
// the accelerator, the aggregate L2 -> SM crossbar, and the L2 port of the busiest SM (each
// direction on its own: stores do not take read bandwidth). A k-step's
// operands must have arrived before its mma work starts; `stages` k-steps may be in flight (the
// multistage cp.async pipeline), so latency shows as pipeline fill at the start of every wave.
// A memory that wants addresses (dram.kind timing) gets every HBM transfer as an address stream
// over the operands' layout (stc_streams.hpp); the bandwidth queue gets byte counts, as before.
#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/memory/dram_channel.hpp"
#include "sim/hw/stc/gemm_plan.hpp"
#include "sim/hw/stc/gpu_config.hpp"
#include "sim/hw/stc/kernel_select.hpp"
#include "sim/hw/stc/pe_mesh_actions.hpp"
#include "sim/hw/stc/stc_actions.hpp"
#include "sim/hw/stc/stc_streams.hpp"
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
    choose(layer, g, sparse, f);  // throws when no kernel configuration fits the SM
  }

  double area_um2() const override {
    return static_cast<double>(cfg_.tensor_cores()) * (stc_datapath_area_um2(cfg_, arch_) + stc_mux_bits_per_tensor_core(cfg_) * cfg_.mux_area_um2_per_bit);
  }

  double leakage_uw() const override {
    // A board with cited static figures (compute.power): constant board power plus per-SM chip
    // static power. The energy stage's `static` component then holds all of it.
    if (cfg_.sm_static_w > 0) return (cfg_.constant_w + static_cast<double>(cfg_.sms) * cfg_.sm_static_w) * 1e6;
    // Logic at the table's leakage density, plus SRAM.
    const double density = arch_.energy.logic_leakage_uw_per_um2();
    const double sram_kb = static_cast<double>(cfg_.sms) * (cfg_.smem_kb + cfg_.register_file_kb) + cfg_.l2_mb * 1024.0;
    return area_um2() * density + sram_kb * arch_.energy.sram_leakage_uw_per_kb();
  }

  LayerResult execute(const Layer& layer) override {
    const GemmShape g = lower_to_gemm(layer);
    const bool sparse = is_sparse(layer);
    const NmFormat f = sparse ? checked_format(layer) : NmFormat{};
    const KernelChoice& choice = choose(layer, g, sparse, f);
    const GemmPlan stepped = arch_.sim_mode == "cycle" ? step_waves(choice.plan) : GemmPlan{};
    const GemmPlan& chosen = arch_.sim_mode == "cycle" ? stepped : choice.plan;
    // compute.pe_mesh.staged_dram: DRAM traffic of Sparseloop's DRAM loop (pe_mesh_actions.hpp).
    const bool restage = cfg_.pe_mesh.staged_dram;
    const GemmPlan restaged = restage ? pe_mesh_dram_plan(cfg_, layer, g, chosen) : GemmPlan{};
    const GemmPlan& plan = restage ? restaged : chosen;
    l2_.reset_counters();

    // Waves identical in timing to the two before them are not simulated again: they take the
    // time the last simulated one took (steady state). Decided from the plan alone.
    // Aggregated plans are walked wave by wave here (cheap bookkeeping; only the plan is stored once).
    const size_t n = static_cast<size_t>(plan.wave_count());
    std::vector<bool> skip(n, false);
    for (size_t i = 2; i < n; ++i)
      skip[i] = plan.wave(i).same_timing(plan.wave(i - 1)) && plan.wave(i - 1).same_timing(plan.wave(i - 2));

    const sc_core::sc_time start = sc_core::sc_time_stamp();
    const uint64_t compute_cycles = plan.planned_compute_cycles() * static_cast<uint64_t>(g.sequential_steps);
    // dram.kind timing: every HBM transfer carries its operands' addresses (stc_streams.hpp).
    std::optional<StcStreams> streams;
    if (dram_.wants_addresses())
      streams.emplace(plan, g, cfg_.dram_layout == "tiled" ? GpuDramLayout::Tiled : GpuDramLayout::RowMajor);
    streams_ = streams ? &*streams : nullptr;
    const int64_t simulated = play(plan, g, skip);
    streams_ = nullptr;
    const sc_core::sc_time end = std::max(sc_core::sc_time_stamp(), dram_.idle_at());
    if (end > sc_core::sc_time_stamp()) sc_core::wait(end - sc_core::sc_time_stamp());
    LayerResult r = result(layer, g, plan, end - start, compute_cycles, simulated);
    if (cfg_.library != "fixed") {  // a configured tile keeps its outputs as they were
      r.kernel = choice.name;
      r.counters["kernel_candidates"] = choice.candidates;
      const double kernels = static_cast<double>(g.sequential_steps) * (plan.split_k > 1 ? 2.0 : 1.0);
      r.counters["launch_cycles"] = kernels * std::round(cfg_.launch_us * 1e-6 * arch_.clock_hz);
    }
    if (cfg_.board_limit_w > 0) apply_power_limit(r, plan);
    mark_per_layer_counters(r);
    return r;
  }

 double unit_price_pj(const std::string& action) const override {
    if (action == "mux.bit_switches") return arch_.energy.extra_pj("stc_mux2_per_bit");
    if (action == "smem.bytes") return arch_.energy.sram_pj_per_byte(cfg_.smem_kb / static_cast<double>(cfg_.smem_banks));
    if (action.rfind("l2.", 0) == 0) return arch_.energy.sram_pj_per_byte(cfg_.l2_bank_kb);
    if (action == "issue.warp_instructions") return cfg_.gpu_overheads ? arch_.energy.extra_pj("gpu_warp_instruction") : 0.0;
    // The per-cycle overhead of an active SM grows with its tensor datapath (operand bits per clock).
    if (action == "sm.active_cycles")
      return cfg_.gpu_overheads ? arch_.energy.extra_pj("gpu_active_cycle_per_datapath_bit") *
                                      stc_lane_bits_per_tensor_core(cfg_) * static_cast<double>(cfg_.tensor_cores_per_sm)
                                : 0.0;
    if (action == "sm.datapath_bit_toggles") return cfg_.gpu_overheads ? arch_.energy.extra_pj("gpu_datapath_bit_toggle") : 0.0;
    return ComputeBlock::unit_price_pj(action);
  }

 private:
  // Library kernel choice, memoized per distinct GEMM (transformer traces repeat shapes).
  const KernelChoice& choose(const Layer& layer, const GemmShape& g, bool sparse, const NmFormat& f) const {
    const std::string key = std::to_string(g.m) + "," + std::to_string(g.n) + "," + std::to_string(g.k) + "," +
                            std::to_string(g.instances) + "," + std::to_string(g.sequential_steps) + "," +
                            (g.b_is_activation ? "a" : "w") + "," + std::to_string(static_cast<int>(layer.op)) + "," +
                            layer.weights.dtype.name + "," + layer.activations.dtype.name + "," +
                            layer.accumulators.dtype.name + "," + layer.outputs.dtype.name + "," +
                            (sparse ? f.name + std::to_string(f.n) + ":" + std::to_string(f.m) : "dense") + "," +
                            std::to_string(layer.batch) + "," + std::to_string(layer.in_channels) + "," +
                            std::to_string(layer.groups) + "," + std::to_string(layer.in_h) + "," + std::to_string(layer.in_w);
    auto it = choices_.find(key);
    if (it != choices_.end()) return it->second;
    return choices_.emplace(key, select_kernel(cfg_, layer, g, sparse, f, hbm_bytes_per_clk(), cfg_.launch_us * 1e-6 * arch_.clock_hz, at_clock(layer, g))).first->second;
  }

  // Plays every wave of the plan (once per sequential step) with its launches and split-K
  // reduction; returns how many waves were simulated rather than repeated.
  int64_t play(const GemmPlan& plan, const GemmShape& g, const std::vector<bool>& skip) {
    const size_t n = static_cast<size_t>(plan.wave_count());
    int64_t simulated = 0;
    for (int64_t step = 0; step < g.sequential_steps; ++step) {
      // An RNN step needs the previous step's results in memory.
      if (step > 0 && dram_.idle_at() > sc_core::sc_time_stamp()) sc_core::wait(dram_.idle_at() - sc_core::sc_time_stamp());
      launch();
      sc_core::sc_time steady;
      for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && skip[j] == skip[i]) ++j;
        if (skip[i]) {
          for (size_t k = i; k < j; ++k) {
            const auto wave = static_cast<int64_t>(k);
            const uint64_t read = bytes(plan.wave(wave).hbm_read_bytes);
            hbm_read(wave, 0, plan.ksteps, read);
            drain_writes(static_cast<double>(plan.compute_cycles_of(plan.wave(wave))));
            hbm_store(wave, bytes(plan.wave(wave).store_hbm_bytes));
            if (wave == plan.wave_count() - 1) flush_writes();
          }
          sc_core::wait(steady * static_cast<double>(j - i));
        } else {
          steady = run_waves(plan, i, j);
          simulated += static_cast<int64_t>(j - i);
        }
        i = j;
      }
      flush_writes();  // L2 writes its dirty lines back before the next kernel depends on them
      if (plan.split_k > 1) {
        launch();  // the reduction is a kernel of its own
        reduce(plan);
      }
    }
    return simulated;
  }

  // Board power limit: when the layer's average power (priced actions and HBM traffic over its
  // time, plus leakage and the board's constant power) exceeds board_limit_w, the clock drops until
  // it fits, as the GPU's power management does. The core voltage drops with the clock
  // (compute.power.voltage_slope, v(s) = 1 - slope x (1 - s) at s = f / f_boost), so the block's
  // priced actions cost v(s)^2 each: core power ~ s v(s)^2, HBM power ~ s (its own rail), leakage
  // and constant power unchanged. Memory-bound time is stretched too (an approximation).
  void apply_power_limit(LayerResult& r, const GemmPlan& plan) {
    const double seconds = static_cast<double>(r.cycles) / arch_.clock_hz;
    if (seconds <= 0) return;
    const double scale = clock_scale(r, plan, seconds);
    if (scale < 1) {
      const double extra = seconds / scale - seconds;
      sc_core::wait(sc_core::sc_time(extra, sc_core::SC_SEC));
      r.cycles = static_cast<uint64_t>(std::llround(seconds / scale * arch_.clock_hz));
      r.compute_cycles = static_cast<uint64_t>(std::llround(static_cast<double>(r.compute_cycles) / scale));
      r.stall_cycles = r.cycles - std::min(r.cycles, r.compute_cycles);
      r.counters["throughput_tflops_dense_equiv"] *= scale;
      // Only when the limit binds: below it the run is clock-independent of the energy table, so
      // `accsim reprice` stays exact (it cannot re-simulate a clock change a new table would force).
      r.counters["board_power_w"] = cfg_.board_limit_w;
      r.counters["sustained_clock_mhz"] = arch_.clock_hz * scale / 1e6;
      // The energy stage prices the block's actions at the lowered voltage (energy_stage.hpp).
      const double v = voltage(scale);
      if (v < 1) r.figures["core_energy_scale"] = v * v;
    }
  }

  // Core voltage at clock fraction s of boost, relative to the voltage at boost.
  double voltage(double s) const { return 1.0 - cfg_.voltage_slope * (1.0 - s); }

  // The clock's fraction of boost under the board limit (1 when the limit does not bind): energy
  // of the result's actions (core) and the plan's HBM bytes over `seconds` at the boost clock.
  double clock_scale(const LayerResult& r, const GemmPlan& plan, double seconds) const {
    double core_pj = 0;
    for (const auto& [action, count] : r.actions.items()) core_pj += count * unit_price_pj(action);
    double hbm = 0;
    for (int64_t i = 0; i < plan.wave_count(); ++i) hbm += plan.wave(i).hbm_read_bytes + plan.wave(i).store_hbm_bytes;
    const double hbm_pj = (hbm + plan.workspace_hbm_bytes + plan.reduction_write_bytes) * 8.0 * arch_.dram.pj_per_bit;
    const double fixed_w = leakage_uw() * 1e-6 + (cfg_.sm_static_w > 0 ? 0.0 : cfg_.constant_w);
    const double limit = cfg_.board_limit_w;
    const double power_w = (core_pj + hbm_pj) * 1e-12 / seconds + fixed_w;
    if (power_w <= limit) return 1.0;
    // Voltage fixed: power is linear in the clock, solved in closed form.
    if (cfg_.voltage_slope == 0) return (limit - fixed_w) / (power_w - fixed_w);
    const double core_w = core_pj * 1e-12 / seconds, hbm_w = hbm_pj * 1e-12 / seconds;
    // Otherwise fixed + core_w s v(s)^2 + hbm_w s rises monotonically in s (v >= 0 and rising):
    // bisection, a fixed number of halvings so the result is deterministic.
    const auto power = [&](double s) { return fixed_w + core_w * s * voltage(s) * voltage(s) + hbm_w * s; };
    double lo = 0, hi = 1;
    for (int i = 0; i < 64; ++i) {
      const double mid = 0.5 * (lo + hi);
      (power(mid) > limit ? hi : lo) = mid;
    }
    return lo;
  }

  // Kernel selection's view of the power limit: a candidate's boost-clock estimate stretched by
  // the clock its own power forces, as apply_power_limit does to the run. A candidate plan covers
  // its first waves only; their energy is set against their share of the estimate.
  AtClock at_clock(const Layer& layer, const GemmShape& g) const {
    if (!(cfg_.board_limit_w > 0)) return {};
    return [this, &layer, &g](const StcConfig& kc, const GemmPlan& p, double boost) {
      const uint64_t compute = p.planned_compute_cycles() * static_cast<uint64_t>(g.sequential_steps);
      const double planned = boost * static_cast<double>(p.wave_count()) / static_cast<double>(std::max<int64_t>(p.total_waves, p.wave_count()));
      const LayerResult r = stc_layer_result(kc, arch_, layer, g, p, static_cast<uint64_t>(std::llround(planned)), compute, p.wave_count());
      const double seconds = planned / arch_.clock_hz;
      return seconds > 0 ? boost / clock_scale(r, p, seconds) : boost;
    };
  }

  // sim.mode: cycle: each wave's busiest-SM k-steps (full and last) have their tensor-core time
  // stepped mma by mma through the warp schedulers instead of taken from the plan's formula.
  GemmPlan step_waves(const GemmPlan& plan) const {
    GemmPlan p = plan;
    const int sps = static_cast<int>(cfg_.tensor_cores_per_sm);
    for (WavePlan& w : p.waves)
      for (SmStep* s : {&w.full, &w.last}) s->math_cycles = step_mma_issue(s->warps, sps, p.cycles_per_mma);
    return p;
  }

  // Kernel launch and prologue: the GPU is idle for launch_us before the first CTA runs.
  void launch() {
    if (cfg_.launch_us > 0) sc_core::wait(sc_core::sc_time(cfg_.launch_us, sc_core::SC_US));
  }

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
    // Checked once per layer (check() and execute() both get here); nm_select only to name the
    // offending group when the fast scan fails.
    if (!c.mask_file.empty() && masks_checked_.insert(layer.name + "\n" + c.mask_file).second) {
      const auto mask = weight_mask(layer);
      try {
        // Element-wise layouts on whole groups are checked on the mask's words; pairwise ones, and
        // naming the offending group, on bytes.
        const bool words = f.unit == 1 && mask->cols % f.m == 0;
        if (!words || !mask->groups_at_most(f.m, f.n)) {
          const std::vector<uint8_t> nz = mask->keep.to_bytes();
          if (!nm_conforms(f, nz, mask->rows, mask->cols))
            nm_select(f, nz, mask->rows, mask->cols, "layer '" + layer.name + "' weights");
        }
      } catch (const InputError& e) {
        layer_error(layer, e.what());
      }
    }
    return f;
  }

  // Plays waves [first, last) as one continuous stream of k-steps: stage fills are issued up to
  // `stages` k-steps ahead, across wave boundaries where the next CTAs can start early
  // (prologue_overlaps; else after the wave's epilogue) (the next CTAs' prologue overlaps the current
  // ones' tail, as co-resident or persistent CTAs do); each wave ends with its epilogue, the C
  // tiles going through the SM port into L2 (L2 writes them back to HBM behind later waves).
  // Returns the duration of the last wave (end of previous epilogue to end of its own).
  sc_core::sc_time run_waves(const GemmPlan& p, size_t first, size_t last) {
    using sc_core::sc_time;
    std::deque<sc_time> in_flight;  // arrival times of issued stage fills, oldest first
    size_t issue_wave = first;
    int64_t issue_step = 0;
    auto issue = [&]() {
      const WavePlan& w = p.wave(static_cast<int64_t>(issue_wave));
      const int64_t steps = p.steps_of(w);
      const bool tail = issue_step == steps - 1;
      // A stream-K wave's units fetch their panels evenly over their k-steps (whole bytes, summing
      // to the wave's).
      const double k_share = static_cast<double>(tail ? p.last_k : p.bk) / static_cast<double>(p.k_slice);
      const double step = static_cast<double>(issue_step), n = static_cast<double>(steps);
      const uint64_t hbm_bytes = w.steps > 0 ? bytes(w.hbm_read_bytes * (step + 1) / n) - bytes(w.hbm_read_bytes * step / n)
                                             : bytes(w.hbm_read_bytes * k_share);
      const int64_t s0 = std::min(issue_step, p.ksteps - 1);
      const sc_time l2 = l2_.transfer(bytes(tail ? w.l2_bytes_last : w.l2_bytes_full), false);
      const sc_time port = port_.transfer(bytes(tail ? w.last.port_bytes : w.full.port_bytes), false);
      const sc_time hbm = hbm_read(static_cast<int64_t>(issue_wave), s0, s0 + 1, hbm_bytes);
      in_flight.push_back(std::max({l2, port, hbm}));
      if (++issue_step == steps) issue_step = 0, ++issue_wave;
    };
    sc_time previous_end = sc_core::sc_time_stamp(), duration;
    const bool overlap = prologue_overlaps(cfg_, p);
    for (size_t wi = first; wi < last; ++wi) {
      const WavePlan& w = p.wave(static_cast<int64_t>(wi));
      const int64_t steps = p.steps_of(w);
      for (int64_t s = 0; s < steps; ++s) {
        while (issue_wave < last && in_flight.size() < static_cast<size_t>(p.stages) && (overlap || issue_wave == wi)) issue();
        const sc_time ready = in_flight.front();
        if (ready > sc_core::sc_time_stamp()) sc_core::wait(ready - sc_core::sc_time_stamp());
        const uint64_t cycles = (s == steps - 1 ? w.last : w.full).cycles();
        sc_core::wait(arch_.clock_period() * static_cast<double>(cycles));
        drain_writes(static_cast<double>(cycles));
        in_flight.pop_front();
      }
      while (issue_wave < last && in_flight.size() < static_cast<size_t>(p.stages) && overlap) issue();
      if (w.fixup_port_bytes > 0) {  // stream-K: wait for the peers' partial tiles and read them back
        const sc_time fixed = std::max(port_.transfer(bytes(w.fixup_port_bytes), false),
                                       l2_.transfer(bytes(w.fixup_l2_bytes), false));
        if (fixed > sc_core::sc_time_stamp()) sc_core::wait(fixed - sc_core::sc_time_stamp());
      }
      // The epilogue stages the tiles through shared memory; its stores drain behind that.
      const sc_time staged = sc_core::sc_time_stamp() + arch_.clock_period() * std::ceil(w.epilogue_smem_bytes / cfg_.smem_bytes_per_clk);
      const sc_time stored = std::max({port_write_.transfer(bytes(w.store_port_bytes), true),
                                       l2_write_.transfer(bytes(w.store_bytes), true), staged});
      hbm_store(static_cast<int64_t>(wi), bytes(w.store_hbm_bytes));
      // No reads follow the last wave: the controller writes everything back at once.
      if (static_cast<int64_t>(wi) == p.wave_count() - 1) flush_writes();
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
    const uint64_t spilled = bytes(p.workspace_hbm_bytes), written = bytes(p.reduction_write_bytes);
    done = std::max(done, streams_ ? dram_.transfer(streams_->workspace_reads(spilled), false) : dram_.transfer(spilled, false));
    if (streams_) dram_.transfer(streams_->reduction_stores(written), true);
    else dram_.transfer(written, true);
    if (done > sc_core::sc_time_stamp()) sc_core::wait(done - sc_core::sc_time_stamp());
  }

  static uint64_t bytes(double b) { return static_cast<uint64_t>(std::llround(b)); }

  // HBM reads of a wave's k-steps [s0, s1) and its epilogue stores: with addresses when the
  // memory wants them, else the byte count alone (the bandwidth queue, unchanged).
  sc_core::sc_time hbm_read(int64_t wave, int64_t s0, int64_t s1, uint64_t n) {
    read_since_drain_ += n;
    return streams_ ? dram_.transfer(streams_->reads(wave, s0, s1, n), false) : dram_.transfer(n, false);
  }
  // Write-back L2 and a read-first HBM controller (bandwidth memory): a wave's C write-back is
  // buffered as dirty L2 lines instead of queueing ahead of the next wave's operand reads; the
  // buffer drains in the bandwidth the reads leave (drain_writes). dram.kind timing keeps the
  // stores in order with their addresses (stc_streams.hpp).
  void hbm_store(int64_t wave, uint64_t n) {
    if (streams_) dram_.transfer(streams_->stores(wave, n), true);
    else pending_writes_ += n;
  }
  // After `cycles` of SM work (a k-step): the buffered writes that fit in the HBM bandwidth the
  // reads issued meanwhile leave over those cycles go out behind them, so reads are not delayed.
  // Dirty bytes past the L2's capacity (l2.size_mb) are evicted by the lines those reads bring in,
  // byte for byte, whether or not bandwidth is left.
  void drain_writes(double cycles) {
    const uint64_t read = read_since_drain_;
    read_since_drain_ = 0;
    if (pending_writes_ == 0) return;
    const double slack = arch_.dram.unlimited() ? 1e30 : cycles * hbm_bytes_per_clk() - static_cast<double>(read);
    const auto capacity = static_cast<uint64_t>(cfg_.l2_mb * 1024.0 * 1024.0);
    const double evicted = pending_writes_ > capacity ? static_cast<double>(std::min(pending_writes_ - capacity, read)) : 0.0;
    const double budget = std::max(slack, evicted);
    if (budget < 1) return;
    const uint64_t n = std::min(pending_writes_, static_cast<uint64_t>(budget));
    dram_.transfer(n, true);
    pending_writes_ -= n;
  }
  void flush_writes() {
    if (pending_writes_ > 0) dram_.transfer(pending_writes_, true);
    pending_writes_ = read_since_drain_ = 0;
  }
  double hbm_bytes_per_clk() const { return arch_.dram.unlimited() ? 1e30 : arch_.dram.bandwidth_gb_s * 1e9 / arch_.clock_hz; }


  LayerResult result(const Layer& layer, const GemmShape& g, const GemmPlan& p, sc_core::sc_time elapsed,
                     uint64_t compute_cycles, int64_t simulated) const {
    const auto cycles = static_cast<uint64_t>(std::llround(elapsed / arch_.clock_period()));
    return stc_layer_result(cfg_, arch_, layer, g, p, cycles, compute_cycles, simulated);
  }

  StcConfig cfg_;
  const StcStreams* streams_ = nullptr;  // the layer's address streams while it plays (timing DRAM)
  uint64_t pending_writes_ = 0;          // dirty C bytes in L2 not yet written back (bandwidth DRAM)
  uint64_t read_since_drain_ = 0;        // HBM read bytes issued since the last drain_writes
  mutable std::map<std::string, KernelChoice> choices_;
  mutable std::set<std::string> masks_checked_;
  DramChannel l2_;
  DramChannel port_;
  // Stores travel the other direction of the crossbar and the SM port, with their own bandwidth.
  DramChannel l2_write_;
  DramChannel port_write_;
};

const ComputeRegistrar<StcConfig> stc_registrar(
    KindInfo{"sparse_tensor_core",
             "GPU of SMs with (2:4 / N:M sparse) tensor cores, shared memory, L2 and HBM; GEMMs as waves of thread-block tiles",
             {}, {"event", "cycle"}, {"conv2d", "linear", "gemm", "matmul", "lstm", "gru"},
             {mac_action_decl(),
              {"mux.bit_switches", "bit", "mux", "operand bit through one 2:1 stage of the N:M selection mux: "
                                                 "energy table extra_pj.stc_mux2_per_bit"},
              rf_action_decl(),
              {"smem.bytes", "byte", "smem", "shared-memory byte read or written: energy table sram at one bank"},
              {"l2.*", "byte", "l2", "L2 byte read or written: energy table sram at one slice"},
              {"issue.warp_instructions", "instruction", "issue",
               "warp instruction fetched, decoded, scheduled (mma, cp.async, ldmatrix): energy table "
               "extra_pj.gpu_warp_instruction when compute.power.overheads, else 0"},
              {"sm.active_cycles", "SM-cycle", "sm_active",
               "cycle of one SM stepping resident CTAs (clock tree, pipeline registers, operand collectors): "
               "energy table extra_pj.gpu_active_cycle_per_datapath_bit x tensor-datapath operand bits per SM "
               "when compute.power.overheads, else 0"},
              {"sm.datapath_bit_toggles", "bit", "sm_toggle",
               "operand bit of an active SM's tensor datapath that changes value from one cycle to the next "
               "(SM-cycles x datapath bits x the operands' bit-toggle probability, which follows the workload's "
               "value distribution): energy table extra_pj.gpu_datapath_bit_toggle when compute.power.overheads, else 0"}}},
    read_stc_config, [](StcConfig c, const ArchContext& arch, MemoryModel& dram) -> std::unique_ptr<ComputeBlock> {
      return std::make_unique<SparseTensorCoreBlock>(arch, dram, std::move(c));
    });

}  // namespace
}  // namespace accsim
