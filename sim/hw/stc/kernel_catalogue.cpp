#include "sim/hw/stc/kernel_catalogue.hpp"

namespace accsim {

namespace {

// CUTLASS python/cutlass_library/generator.py, GenerateSM80_TensorOp_16816 (f16/bf16 dense,
// m16n8k16): threadblock [M, N, K], stages, warps [M, N]. The int8 list
// (GenerateSM80_TensorOp_16832_TN) has the same tiles with K doubled in elements, i.e. the same
// bytes per stage, which is how K is counted here (16-bit elements).
const std::vector<KernelConfig> kSm80Dense = {
    {256, 128, 32, 3, 4, 2}, {128, 256, 32, 3, 2, 4}, {256, 64, 32, 4, 4, 1}, {64, 256, 32, 4, 1, 4},
    {128, 128, 32, 5, 2, 2}, {128, 64, 32, 6, 2, 2},  {64, 128, 32, 6, 2, 2}, {64, 64, 32, 10, 2, 2},
    {256, 128, 64, 3, 4, 2}, {128, 256, 64, 3, 2, 4}, {256, 64, 64, 4, 4, 1}, {64, 256, 64, 4, 1, 4},
    {128, 128, 64, 4, 2, 2}, {128, 64, 64, 3, 2, 2},  {64, 128, 64, 3, 2, 2}, {64, 64, 64, 5, 2, 2},
};
// GenerateSM80_SparseTensorOp_16832 (f16/bf16 mma.sp m16n8k32); K is the dense-equivalent K
// (the int8 list, GenerateSM80_SparseTensorOp_16864_TN, doubles it in elements: same bytes).
const std::vector<KernelConfig> kSm80Sparse = {
    {64, 128, 64, 6, 2, 2},   {256, 128, 64, 3, 4, 2},  {128, 256, 64, 3, 2, 4}, {128, 128, 64, 3, 2, 2},
    {256, 64, 64, 3, 4, 1},   {64, 256, 64, 4, 1, 4},   {128, 64, 64, 3, 2, 2},  {64, 64, 64, 4, 2, 2},
    {128, 128, 128, 3, 2, 4}, {256, 64, 128, 3, 4, 1},  {128, 64, 128, 4, 2, 2}, {64, 128, 128, 3, 2, 2},
    {64, 64, 128, 3, 2, 2},
};
// Hopper: generate_tile_descriptions_sm90 (python/cutlass_library/sm90_utils.py) stamps CTA tiles
// = wgmma instruction shape (m64 nN k16 for 16-bit) x multipliers, at most 256 per side, with
// stages = 0 ("auto": as many as fit shared memory) and one warpgroup per 64 rows. Listed: the
// M 64/128/256 x N 128/256 tiles with K 64 (dense) and 128 dense-equivalent (wgmma.sp); stages 8
// is an upper bound that plan_gemm lowers to what fits, as the auto carveout does.
const std::vector<KernelConfig> kSm90Dense = {
    {64, 128, 64, 8, 1, 1},  {64, 256, 64, 8, 1, 1},  {128, 128, 64, 8, 2, 1},
    {128, 256, 64, 8, 2, 1}, {256, 128, 64, 8, 2, 1},
};
const std::vector<KernelConfig> kSm90Sparse = {
    {64, 128, 128, 8, 1, 1},  {64, 256, 128, 8, 1, 1},  {128, 128, 128, 8, 2, 1},
    {128, 256, 128, 8, 2, 1}, {256, 128, 128, 8, 2, 1},
};
const std::vector<KernelConfig> kNone;

}  // namespace

const std::vector<KernelConfig>& kernel_catalogue(const std::string& generation, bool sparse) {
  if (generation == "sm80") return sparse ? kSm80Sparse : kSm80Dense;
  if (generation == "sm90") return sparse ? kSm90Sparse : kSm90Dense;
  return kNone;
}

StcConfig apply_kernel(const StcConfig& base, const KernelConfig& k, bool sparse, int64_t split_k, bool sparse_is_m) {
  StcConfig c = base;
  const bool swap = sparse && sparse_is_m;
  c.tile_m = swap ? k.tile_n : k.tile_m;
  c.tile_n = swap ? k.tile_m : k.tile_n;
  // tile_k_bytes counts bytes of the dense weight operand per k-step; plan_gemm doubles K for mma.sp.
  c.tile_k_bytes = (sparse ? k.tile_k16 / 2 : k.tile_k16) * 2;
  c.warp_m = swap ? k.tile_n / k.warps_n : k.tile_m / k.warps_m;
  c.warp_n = swap ? k.tile_m / k.warps_m : k.tile_n / k.warps_n;
  c.stages = k.stages;
  c.split_k_fixed = split_k;
  return c;
}

std::string kernel_name(const std::string& generation, const KernelConfig& k, bool sparse, int64_t split_k) {
  std::string s = generation + (sparse ? "_spgemm_" : "_gemm_") + std::to_string(k.tile_m) + "x" + std::to_string(k.tile_n) +
                  "x" + std::to_string(k.tile_k16) + "_" + std::to_string(k.stages) + "stage_w" +
                  std::to_string(k.tile_m / k.warps_m) + "x" + std::to_string(k.tile_n / k.warps_n);
  if (split_k > 1) s += "_splitk" + std::to_string(split_k);
  return s;
}

}  // namespace accsim
