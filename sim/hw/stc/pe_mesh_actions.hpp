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

// DRAM reads with compute.pe_mesh.staged_dram, as Sparseloop's DRAM loop moves data: the L2-level
// buffer (l2.size_mb) is explicitly managed. It holds one activation block of `weight_reuse` rows
// (the rows a weight serves from its LRF, all K) and beside it as many weight rows (with metadata)
// as fit. Of the two loop orders the one moving fewer bytes is taken: weight blocks outermost
// (each weight read once, the activations once per weight block: Sparseloop's mapping of
// M512-K1024-N256 with 2:4 weights) or activation blocks outermost (the weights once per
// activation block). accsim's L2 is an LRU cache whose CTAs step activation blocks outermost, so
// without staged_dram it reads the weights once per activation block when they do not fit.
// Returns `p` with every wave's HBM reads scaled so that they add up to the staged bytes (the
// spread over waves stays the L2 plan's: a timing approximation); unchanged without staged_dram
// or when one activation block alone does not fit.
GemmPlan pe_mesh_dram_plan(const StcConfig& cfg, const Layer& layer, const GemmShape& g, const GemmPlan& p);

}  // namespace accsim
