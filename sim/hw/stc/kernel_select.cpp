#include "sim/hw/stc/kernel_select.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/error.hpp"
#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/stc/kernel_catalogue.hpp"

namespace accsim {

namespace {

// Split-K slice counts a library tries for grids smaller than one wave (cuBLAS/CUTLASS use
// serial or parallel split-K with small slice counts; CUTLASS's profiler sweeps 1..N).
const int64_t kSplits[] = {2, 3, 4, 6, 8, 12, 16};

// Candidates are timed from their first waves only (the rest at the steady-state wave time);
// the winner is then planned in full.
constexpr int64_t kEstimateWaves = 12;

}  // namespace

double estimate_cycles(const StcConfig& c, const GemmPlan& p, double hbm_bytes_per_clk, double launch_cycles) {
  // Launches and the first fill (counted per wave below where every wave waits for its own).
  double t = (prologue_overlaps(c, p) ? c.l2_latency_cycles : 0.0) + launch_cycles * (p.split_k > 1 ? 2.0 : 1.0);
  double wave_t = 0, dp_wave_t = 0, hbm_bytes = 0, dp_wave_bytes = 0;
  const double start = t;
  for (int64_t i = 0; i < p.wave_count(); ++i) {
    const WavePlan& w = p.wave(i);
    const double steps = static_cast<double>(p.steps_of(w) - 1);
    const auto compute = static_cast<double>(p.compute_cycles_of(w));
    const double l2 = w.l2_read_bytes / c.l2_bytes_per_clk;
    const double port = (w.full.port_bytes * steps + w.last.port_bytes) / c.sm_port_bytes_per_clk;
    // Reads only: L2 buffers the write-back and drains it in the bandwidth reads leave (the
    // whole kernel's traffic bounds it below).
    const double hbm = w.hbm_read_bytes / hbm_bytes_per_clk;
    hbm_bytes += w.hbm_read_bytes + w.store_hbm_bytes;
    if (w.steps == 0) dp_wave_bytes = w.hbm_read_bytes + w.store_hbm_bytes;
    // Then the stream-K fixup (partials waited for and read back) and the epilogue: its store
    // through the SM port, behind the tile's staging through shared memory.
    const double epilogue = std::max(w.store_port_bytes / c.sm_port_bytes_per_clk, w.epilogue_smem_bytes / c.smem_bytes_per_clk);
    wave_t = std::max({compute, l2, port, hbm}) + w.fixup_port_bytes / c.sm_port_bytes_per_clk + epilogue;
    // A wave that cannot start its prologue early waits for its first stage (prologue_overlaps).
    // Its first stage includes that k-step's share of the wave's HBM reads (no earlier wave's
    // time hides them).
    if (!prologue_overlaps(c, p))
      wave_t += c.l2_latency_cycles + w.full.port_bytes / c.sm_port_bytes_per_clk +
                w.hbm_read_bytes / static_cast<double>(p.steps_of(w)) / hbm_bytes_per_clk;
    t += wave_t;
    if (w.steps == 0) dp_wave_t = wave_t;
  }
  // A truncated plan: the data-parallel waves not planned take the last planned one's time.
  const auto unplanned = static_cast<double>(p.total_waves - p.wave_count());
  t += unplanned * dp_wave_t;
  t = std::max(t, start + (hbm_bytes + unplanned * dp_wave_bytes) / hbm_bytes_per_clk);
  if (p.split_k > 1)
    t += std::max({p.reduction_read_bytes / c.l2_bytes_per_clk, p.workspace_hbm_bytes / hbm_bytes_per_clk,
                   p.reduction_write_bytes / hbm_bytes_per_clk});
  return t;
}

double kernel_workspace_bytes(const GemmPlan& p) {
  auto line_up = [](double bytes) { return std::ceil(bytes / 128.0) * 128.0; };
  if (p.sk_units > 0) {
    const auto units = static_cast<double>(p.sk_units);
    return line_up(units * static_cast<double>(p.tile_m * p.tile_n) * p.partial_bytes) + line_up(units * 4.0);
  }
  return p.split_k > 1 ? p.reduction_read_bytes : 0.0;
}

KernelChoice select_kernel(const StcConfig& c, const Layer& layer, const GemmShape& g, bool sparse, const NmFormat& f,
                           double hbm_bytes_per_clk, double launch_cycles, const AtClock& at_clock) {
  KernelChoice best;
  if (c.library == "fixed") {
    best.config = c;
    try {
      best.plan = plan_gemm(c, layer, g, sparse, f);
    } catch (const PlanTooLarge& e) {
      layer_error(layer, e.what());
    }
    best.name = "configured_" + std::to_string(c.tile_m) + "x" + std::to_string(c.tile_n) +
                (best.plan.split_k > 1 ? "_splitk" + std::to_string(best.plan.split_k) : "");
    best.estimate_cycles = estimate_cycles(c, best.plan, hbm_bytes_per_clk, launch_cycles);
    best.candidates = 1;
    return best;
  }
  std::string last_error, too_large;
  bool found = false;
  // CUTLASS's sparse GEMMs (mma.sp, wgmma.sp) take the compressed operand as A: "The sparse
  // tensor cores ... A: row+sparse x B: col+dense = C:dense" (NVIDIA/cutlass issue 2029,
  // maintainer, 2025-01-08), so a sparse kernel's M tile is the weight side (cuSPARSELt's
  // structured matrix is A too). A what-if N:M core (format nm) has no library: its kernels are
  // tried both ways round, as a library written for it could tile either operand.
  const bool what_if = sparse && c.sparse_format != "nvidia";
  bool sparse_is_m = sparse;
  auto consider = [&](const KernelConfig& k, int64_t split, bool stream_k) {
    StcConfig kc = apply_kernel(c, k, sparse, split, sparse_is_m);
    kc.stream_k = stream_k;
    if (kc.tile_m % kc.warp_m != 0 || kc.warp_m % 16 != 0 || kc.warp_n % 8 != 0) return false;
    GemmPlan p;
    try {
      p = plan_gemm(kc, layer, g, sparse, f, kEstimateWaves);
    } catch (const PlanTooLarge& e) {
      too_large = e.what();
      return false;
    } catch (const InputError& e) {
      last_error = e.what();
      return false;
    }
    const bool small_grid = p.tiles_m * p.tiles_n * g.instances < c.sms;
    // The caller's workspace (e.g. PyTorch's 1 MiB for cuBLASLt) rules out kernels needing more.
    if (c.workspace_limit_bytes >= 0 && kernel_workspace_bytes(p) > c.workspace_limit_bytes) return small_grid;
    const double boost = estimate_cycles(kc, p, hbm_bytes_per_clk, launch_cycles);
    const double t = at_clock ? at_clock(kc, p, boost) : boost;
    ++best.candidates;
    if (!found || t < best.estimate_cycles) {  // strict: ties keep the earlier catalogue entry
      best.plan = std::move(p);
      best.config = kc;
      // "_sparseB": a what-if kernel with the sparse operand as B (the tile's N).
      best.name = kernel_name(c.library, k, sparse, split) + (stream_k ? "_streamk" : "") +
                  (sparse && !sparse_is_m ? "_sparseB" : "");
      best.estimate_cycles = t;
      found = true;
    }
    return small_grid;  // whether split-K is worth trying for this tile
  };
  for (const bool orientation : {true, false}) {
    if (!orientation && !what_if) break;
    sparse_is_m = sparse && orientation;
    for (const KernelConfig& k : kernel_catalogue(c.library, sparse)) {
      const bool small_grid = consider(k, 1, false);
      // Stream-K (CUTLASS ships it for sm80 and sm90, dense and sparse): one GEMM per launch.
      if (c.offer_stream_k && g.instances == 1 && g.sequential_steps == 1) consider(k, 1, true);
      // Split-K candidates only for grids that leave SMs idle.
      if (!small_grid || c.split_k_max <= 1 || g.sequential_steps != 1) continue;
      for (int64_t s : kSplits)
        if (s <= c.split_k_max) consider(k, s, false);
    }
  }
  if (found && best.plan.total_waves > best.plan.wave_count()) {
    try {
      best.plan = plan_gemm(best.config, layer, g, sparse, f);
    } catch (const PlanTooLarge& e) {
      layer_error(layer, e.what());
    }
  }
  if (!found && !too_large.empty()) layer_error(layer, too_large);
  if (!found)
    layer_error(layer, "no " + c.library + (sparse ? " sparse" : " dense") + " kernel configuration fits this GPU" +
                           (last_error.empty() ? std::string() : " (last tried: " + last_error + ")"));
  return best;
}

}  // namespace accsim
