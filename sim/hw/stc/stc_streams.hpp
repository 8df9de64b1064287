#pragma once
// Where the GPU model's GEMM operands live in HBM, and the address stream of every transfer the
// block issues (`dram.kind: timing`; the bandwidth queue only counts bytes and never asks).
// Operands, in the layer's terms and CUTLASS's (docs/models/sparse-tensor-core.md, "HBM requests"):
//   W  weights, n x K (the sparse kernel's A, "row+sparse": row-major, K contiguous); compressed
//      values plus any group-wise scales;
//   E  2:4 metadata of W, CUTLASS's ColumnMajorInterleaved<2>: the metadata of 256 bits of kept
//      values (two ElementE columns) for all n rows is one contiguous block, blocks along K;
//   X  activations, m x K (the sparse kernel's B, column-major = K contiguous per activation row);
//   Y  outputs, m x n row-major (the sparse kernel's D, column-major in its M x N);
//   P  split-K workspace: one m x n partial-sum matrix per K slice, row-major.
// `row_major` stores each as above; `tiled` stores every tile row-block K-chunk by K-chunk, so a
// thread block's k-step fill of one operand is one contiguous run. K is padded to whole k-steps
// as the plan counts it. Requests are the bytes the plan moves, at 32 B sector granularity (the
// timing model cuts them into bursts); every transfer's bytes equal the bandwidth path's.
#include <cstdint>

#include "sim/hw/memory/address_stream.hpp"
#include "sim/hw/stc/gemm_plan.hpp"

namespace accsim {

enum class GpuDramLayout { RowMajor, Tiled };

class StcStreams {
 public:
  StcStreams(const GemmPlan& p, const GemmShape& g, GpuDramLayout layout);

  // HBM reads of wave `wave`'s k-steps [s0, s1): the K range of the panels it misses in L2.
  AddressStream reads(int64_t wave, int64_t s0, int64_t s1, uint64_t bytes) const;
  // The wave's epilogue stores that reach HBM: output tiles, or split-K partials that spill.
  AddressStream stores(int64_t wave, uint64_t bytes) const;
  // Split-K reduction: the workspace read back (when it spilled) and the outputs written.
  AddressStream workspace_reads(uint64_t bytes) const;
  AddressStream reduction_stores(uint64_t bytes) const;
  // Bytes fit_stream added or trimmed so far: 0 unless per-element sizes are fractional.
  uint64_t adjusted_bytes() const { return adjusted_; }

 private:
  void fit(AddressStream& s, uint64_t bytes) const;
  struct Matrix {
    uint64_t base = 0;
    int64_t cols = 0;         // elements per row
    double elem = 0;          // bytes per element
  };
  // Rows [r0, r0 + rows) x columns [c0, c1) of `m`, rows of a block of `block_rows` (tiled).
  void block(AddressStream& s, const Matrix& m, int64_t r0, int64_t rows, int64_t c0, int64_t c1) const;
  void metadata(AddressStream& s, uint64_t base, int64_t r0, int64_t rows, int64_t k0, int64_t k1) const;
  void panel(AddressStream& s, const PanelMiss& miss, int64_t shift, int64_t k0, int64_t k1) const;
  uint64_t weight_base(int64_t inst) const { return inst * weight_stride_; }
  uint64_t instance_base(int64_t inst) const { return weight_end_ + inst * instance_stride_; }

  const GemmPlan& p_;
  GemmShape g_;
  GpuDramLayout layout_;
  Matrix w_, x_, y_, ws_;          // bases relative to their instance's
  uint64_t e_base_ = 0;            // metadata, relative to the weights of its instance
  int64_t meta_cover_k_ = 0;       // dense K one interleaved metadata block covers
  uint64_t weight_stride_ = 0, weight_end_ = 0, instance_stride_ = 0;
  uint64_t workspace_bytes_ = 0;   // one instance's split-K workspace
  mutable uint64_t adjusted_ = 0;
};

// Trims or extends `s` (sequentially after its last segment) to exactly `bytes`: rounding of
// fractional per-element sizes (implicit-GEMM convolution, group scales) is reconciled so that a
// transfer moves what the bandwidth path would.
void fit_stream(AddressStream& s, uint64_t bytes);

}  // namespace accsim
