#include "sim/hw/stc/pe_mesh_actions.hpp"

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

}  // namespace accsim
