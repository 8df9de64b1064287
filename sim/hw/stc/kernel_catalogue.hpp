#pragma once
// The GEMM kernel configurations a library ships, per GPU generation, the way cuBLAS/cuSPARSELt
// pick among CUTLASS-generated kernels: CTA tile, warp tile, K per stage, pipeline stages.
// Plain C++. Each list is the tile list of CUTLASS's kernel generator (see the .cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/hw/stc/gpu_config.hpp"

namespace accsim {

struct KernelConfig {
  int64_t tile_m = 128, tile_n = 128;
  int64_t tile_k16 = 32;  // K per stage counted in 16-bit elements of the dense-equivalent K
  int64_t stages = 3;
  int64_t warps_m = 2, warps_n = 2;
};

// Generation: "sm80" (Ampere: mma.sync / mma.sp, cp.async multistage), "sm90" (Hopper: wgmma,
// TMA, warp-specialized persistent kernels). Sparse lists are the mma.sp / wgmma.sp kernels.
// Returns an empty list for an unknown generation.
const std::vector<KernelConfig>& kernel_catalogue(const std::string& generation, bool sparse);

// The StcConfig with this kernel's tile, warp tile, stages and split-K fixed to `split_k`.
// `sparse`: K per stage is dense-equivalent (a sparse stage holds half the weight bytes per K).
// `sparse_is_m`: the kernel's M is the sparse (weight) operand, as in CUTLASS's sparse GEMMs, so
// its M maps to accsim's N (weight rows) and its N to accsim's M (activation rows).
StcConfig apply_kernel(const StcConfig& base, const KernelConfig& k, bool sparse, int64_t split_k,
                       bool sparse_is_m = false);

// e.g. "sm80_tensorop_128x128x32_5stage_w64x64" or "..._spgemm_..._splitk4".
std::string kernel_name(const std::string& generation, const KernelConfig& k, bool sparse, int64_t split_k);

}  // namespace accsim
