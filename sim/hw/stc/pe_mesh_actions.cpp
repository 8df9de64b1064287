#include "sim/hw/stc/pe_mesh_actions.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

void add_pe_mesh_actions(const StcConfig::PeMesh& mesh, const Layer& layer, const GemmShape& g, const GemmPlan& p,
                         double executed, double dram_fill_bytes, LayerResult& r) {
  const double gemms = static_cast<double>(g.instances * g.sequential_steps);
  const double density = p.sparse ? p.format.density() : 1.0;
  // Weight bytes with their metadata (2:4 int8: 0.625 B per dense element), activations dense.
  const double weight_bytes = static_cast<double>(g.n * g.k) * p.weight_bytes_per_element * gemms;
  const double act_bytes = static_cast<double>(g.m * g.k) * layer.activations.dtype.bytes() * gemms;
  // Shared-memory reads into the mesh: each weight once per `weight_reuse` activation rows (it
  // then sits in its PE's LRF), each activation once per `activation_multicast` weight rows.
  const double weight_passes = std::ceil(static_cast<double>(g.m) / mesh.weight_reuse);
  const double act_passes = std::ceil(static_cast<double>(g.n) / mesh.activation_multicast);
  const double smem_reads = weight_bytes * weight_passes + act_bytes * act_passes;
  // LRF: the kept weight and its index read per multiply, and written once per pass.
  const double lrf = executed * p.weight_bytes_per_element / density + weight_bytes * weight_passes;
  // Register file: one read and one update of a partial sum per `psum_update_k` dense K.
  const double updates = static_cast<double>(g.m * g.n) * std::ceil(static_cast<double>(g.k) / mesh.psum_update_k) * gemms;
  r.actions.add("rf.bytes", lrf);
  r.actions.add("smem.bytes", 2.0 * updates * mesh.psum_bytes);
  r.actions.add("l2.read_bytes", smem_reads);
  r.actions.add("l2.write_bytes", dram_fill_bytes);
  r.counters["pe_mesh.lrf_bytes"] = lrf;
  r.counters["pe_mesh.psum_updates"] = updates;
  r.counters["pe_mesh.smem_read_bytes"] = smem_reads;
}

// Weight blocks the staged buffer needs (0: one activation block alone does not fit).
double staged_weight_blocks(const StcConfig& cfg, double weight_bytes, double act_block_bytes) {
  const double room = cfg.l2_mb * 1024.0 * 1024.0 - act_block_bytes;
  if (room <= 0) return 0;
  return std::ceil(weight_bytes / room - 1e-9);
}

GemmPlan pe_mesh_dram_plan(const StcConfig& cfg, const Layer& layer, const GemmShape& g, const GemmPlan& p) {
  GemmPlan out = p;
  if (!cfg.pe_mesh.on || !cfg.pe_mesh.staged_dram) return out;
  // Per GEMM instance and sequential step, as the plan's waves count them.
  const double row_bytes = static_cast<double>(g.k) * layer.activations.dtype.bytes();
  const double weight_bytes = static_cast<double>(g.n * g.k) * p.weight_bytes_per_element;
  const double act_bytes = static_cast<double>(g.m) * row_bytes;
  const double act_block = std::min(static_cast<double>(g.m), cfg.pe_mesh.weight_reuse) * row_bytes;
  const double blocks = staged_weight_blocks(cfg, weight_bytes, act_block);
  double planned = 0;
  for (int64_t i = 0; i < p.wave_count(); ++i) planned += p.wave(i).hbm_read_bytes;
  if (blocks <= 0 || planned <= 0) return out;
  // Of the two DRAM loop orders the cheaper one, as a mapper searching for the least energy
  // picks: weight blocks outermost (weights once, activations once per weight block) or activation
  // blocks outermost (activations once, the weights streamed past each activation block).
  const double act_blocks = std::ceil(static_cast<double>(g.m) / cfg.pe_mesh.weight_reuse);
  const double target = std::min(weight_bytes + act_bytes * blocks, act_bytes + weight_bytes * act_blocks) *
                        static_cast<double>(g.instances);
  // Every wave's share scaled alike, in whole bytes per k-step (the block hands DRAM one k-step's
  // share at a time). Without repeated runs of waves the rounding carries over, so the total is
  // exact; an aggregated plan (p.cycle_*) rounds each stored wave, which its repetitions share.
  const double scale = target / planned, unit = static_cast<double>(std::max<int64_t>(1, p.ksteps));
  double exact = 0, moved = 0;
  for (WavePlan& w : out.waves) {
    if (p.cycle_count > 1) {
      w.hbm_read_bytes = std::round(w.hbm_read_bytes * scale / unit) * unit;
      continue;
    }
    exact += w.hbm_read_bytes * scale;
    w.hbm_read_bytes = std::round(exact / unit) * unit - moved;
    moved += w.hbm_read_bytes;
  }
  return out;
}

}  // namespace accsim
