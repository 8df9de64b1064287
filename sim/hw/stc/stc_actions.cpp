#include "sim/hw/stc/stc_actions.hpp"

#include <algorithm>
#include <cmath>

#include "sim/hw/stc/pe_mesh_actions.hpp"

namespace accsim {

namespace {

// The figures summary.json shows per layer: tiling, waves, bytes and dense-equivalent throughput.
void add_counters(LayerResult& r, const StcConfig& cfg, const ArchContext& arch, const GemmPlan& p, const GemmShape& g,
                  double mmas, double smem, double l2_reads, double stores, double hbm_reads, int64_t simulated) {
  const double steps = static_cast<double>(g.sequential_steps);
  const double waves = static_cast<double>(p.wave_count());
  const double wave_size = static_cast<double>(cfg.sms * p.ctas_per_sm);
  r.counters["sparse"] = p.sparse ? 1 : 0;
  r.counters["mma_k"] = static_cast<double>(p.mma.k);
  r.counters["mma_instructions"] = mmas;
  r.counters["tile_k"] = static_cast<double>(p.bk);
  r.counters["k_steps"] = static_cast<double>(p.ksteps);
  r.counters["split_k"] = static_cast<double>(p.split_k);
  // Stream-K kernels only: units, tiles they share, partial-tile bytes written to the workspace
  // (and read back by the finishing units).
  if (p.sk_units > 0) {
    r.counters["stream_k_units"] = static_cast<double>(p.sk_units);
    r.counters["stream_k_tiles"] = static_cast<double>(p.sk_tiles);
    r.counters["stream_k_partial_bytes"] = p.sk_partial_bytes;
  }
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
  const double seconds = static_cast<double>(r.cycles) / arch.clock_hz;
  // Dense-equivalent throughput (algorithmic MACs x 2 per second), as GPU vendors quote it.
  r.counters["throughput_tflops_dense_equiv"] = seconds > 0 ? 2.0 * static_cast<double>(r.macs) / seconds / 1e12 : 0;
}

}  // namespace

void mark_per_layer_counters(LayerResult& r) {
  static const char* const kPerLayer[] = {"sparse",        "mma_k",          "tile_k",
                                          "k_steps",       "split_k",        "stream_k_units",
                                          "stream_k_tiles", "ctas_per_sm",   "stages",
                                          "wave_efficiency", "throughput_tflops_dense_equiv", "board_power_w",
                                          "sustained_clock_mhz", "kernel_candidates"};
  for (const char* name : kPerLayer) {
    auto it = r.counters.find(name);
    if (it != r.counters.end()) r.figures[name] = it->second;
  }
}

// The two operands' bits toggle independently; the datapath carries both in equal parts.
double operand_toggle_probability(const Layer& layer) {
  const TensorSpec& a = has_weights(layer) ? layer.weights : layer.activations;
  return 0.5 * (bit_toggle_probability(a.values, a.dtype) +
                bit_toggle_probability(layer.activations.values, layer.activations.dtype));
}

// Operand bits an mma brings to the tensor core per multiply it performs, relative to a dense mma:
// 1 when dense. mma.sp's sparse operand (PTX: A, the m16 side) arrives compressed with its
// metadata while the dense operand comes at the doubled k, so m16n8k32 fp16 brings
// (16 x 1.125 + 8 x 2) / (0.5 x (16 x 2 + 8 x 2)) = 1.42x the bits of m16n8k16 per multiply.
double operand_bits_per_multiply_ratio(const GemmPlan& p, const Layer& layer) {
  if (!p.sparse) return 1.0;
  const double m = static_cast<double>(p.mma.m), n = static_cast<double>(p.mma.n);
  const double act = layer.activations.dtype.bytes(), weight = layer.weights.dtype.bytes();
  return (m * p.weight_bytes_per_element + n * act) / (p.format.density() * (m * weight + n * act));
}

// SM-cycles during which an SM holds CTAs and steps their k-loop: per wave, the SMs it occupies
// times its k-steps' cycles (tensor-core or shared-memory bound, whichever is longer). Memory
// stalls are not counted (clock-gated pipelines), nor launches.
double sm_active_cycles(const StcConfig& cfg, const GemmPlan& p) {
  double total = 0;
  for (int64_t i = 0; i < p.wave_count(); ++i) {
    const WavePlan& w = p.wave(i);
    const double sms = std::min(static_cast<double>(cfg.sms),
                                std::ceil(static_cast<double>(w.ctas) / static_cast<double>(std::max<int64_t>(1, p.ctas_per_sm))));
    const auto cycles = static_cast<double>(p.compute_cycles_of(w));
    total += sms * cycles;
  }
  return total;
}

LayerResult stc_layer_result(const StcConfig& cfg, const ArchContext& arch, const Layer& layer, const GemmShape& g,
                             const GemmPlan& p, uint64_t cycles, uint64_t compute_cycles, int64_t simulated) {
  LayerResult r;
  r.cycles = cycles;
  r.compute_cycles = std::min(compute_cycles, r.cycles);
  r.stall_cycles = r.cycles - r.compute_cycles;
  r.macs = static_cast<uint64_t>(g.macs());
  const double density = p.sparse ? p.format.density() : 1.0;
  r.effectual_macs = static_cast<uint64_t>(std::llround(static_cast<double>(r.macs) * density));
  // Physical multipliers per clock: utilization is then the fraction of the (sparse) peak.
  r.peak_macs_per_cycle = static_cast<double>(cfg.tensor_cores() * cfg.rate(layer.weights.dtype));

  double mmas = 0, smem = 0, l2_reads = 0, hbm_reads = 0, stores = 0;
  for (int64_t i = 0; i < p.wave_count(); ++i) {
    const WavePlan& w = p.wave(i);
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
  const Precision prec = arch.precision_of(layer);
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
  // Plus PE-local operand register accesses per executed MAC where the design declares them
  // (compute.pe_operand_accesses_per_mac; Sparseloop's one-word LRFs: 4).
  // Warp instructions issued: every mma, plus the copies that feed it at 512 B per warp
  // instruction (cp.async: 32 threads x 16 B; ldmatrix.x4: four 8x8 b16 matrices). Address
  // arithmetic and loop control are left out (a lower bound).
  const auto add_issue_actions = [&] {
    r.actions.add("issue.warp_instructions", mmas + smem / 512.0);
    const double active = sm_active_cycles(cfg, p) * steps;
    r.actions.add("sm.active_cycles", active);
    r.actions.add("sm.datapath_bit_toggles", active * stc_lane_bits_per_tensor_core(cfg) *
                                                 static_cast<double>(cfg.tensor_cores_per_sm) * operand_toggle_probability(layer) *
                                                 operand_bits_per_multiply_ratio(p, layer));
  };
  if (cfg.pe_mesh.on) {
    add_pe_mesh_actions(cfg.pe_mesh, layer, g, p, executed, hbm_reads, r);
    add_issue_actions();
  } else {
    r.actions.add("rf.bytes",
                  mmas * frag_bytes + executed * cfg.pe_operand_accesses_per_mac * layer.activations.dtype.bytes());
    r.actions.add("smem.bytes", smem);
    add_issue_actions();
    r.actions.add("l2.read_bytes", l2_reads);
    r.actions.add("l2.write_bytes", stores);
  }

  add_counters(r, cfg, arch, p, g, mmas, smem, l2_reads, stores, hbm_reads, simulated);
  return r;
}

// Per tensor core: the widest datapath over the formats it runs (lanes x MAC area).
double stc_datapath_area_um2(const StcConfig& cfg, const ArchContext& arch) {
  double best = 0;
  for (const auto& [name, rate] : cfg.fma_per_clk) {
    DType t;
    if (parse_dtype(name, t)) best = std::max(best, static_cast<double>(rate) * arch.energy.mac_area_um2(t));
  }
  return best;
}
// Operand bits one tensor core takes per clock: lanes x bits, the widest over its formats
// (4096 on the A100: 256 fp16 = 512 int8 = 1024 int4 lanes; 8192 on the H100).
double stc_lane_bits_per_tensor_core(const StcConfig& cfg) {
  double lane_bits = 0;
  for (const auto& [name, rate] : cfg.fma_per_clk) {
    DType t;
    if (parse_dtype(name, t)) lane_bits = std::max(lane_bits, static_cast<double>(rate * t.bits));
  }
  return lane_bits;
}
// Operand bits the selection muxes switch per tensor core: lane bits times the M-1 2:1 stages
// of an M-input mux.
double stc_mux_bits_per_tensor_core(const StcConfig& cfg) {
  const int64_t width = cfg.sparse_format == "nvidia" ? 4 : cfg.sparse_m;
  return stc_lane_bits_per_tensor_core(cfg) * static_cast<double>(width - 1);
}

}  // namespace accsim
