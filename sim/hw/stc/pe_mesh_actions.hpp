#pragma once
// Energy-only accounting of a Sparseloop-style PE mesh (compute.pe_mesh), for comparing the
// sparse_tensor_core model with Sparseloop's STC-like design (Wu et al., MICRO'22): there the
// operands do not travel as mma fragments through a register file. Each PE keeps one weight (its
// value and its 2:4 index) in a one-word LRF and reads it for every MAC; the weight stays while
// `weight_reuse` activation rows stream past, so shared memory reads each weight once per that
// many rows; one shared-memory activation read is multicast to `activation_multicast` weight rows;
// products are summed across the PEs of a column over `psum_update_k` dense K, then the partial
// sum is read and updated in the sub-partition register file (an SRAM), `psum_bytes` per word.
// Actions (same names and prices as the fragment path): rf.bytes = LRF accesses, smem.bytes =
// register-file partial-sum accesses, l2.* = the shared-memory level (reads into the mesh, fills
// from DRAM). Timing is not affected. docs/models/sparse-tensor-core.md §5.
#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/stc/gemm_plan.hpp"

namespace accsim {

// `executed`: multiplies performed; `dram_fill_bytes`: operand bytes read from DRAM (each fills
// the shared-memory level once).
void add_pe_mesh_actions(const StcConfig::PeMesh& mesh, const Layer& layer, const GemmShape& g, const GemmPlan& p,
                         double executed, double dram_fill_bytes, LayerResult& r);

}  // namespace accsim
