// Library-style kernel selection (sim/hw/stc/kernel_select.hpp) on the A100 parameters.
#include <gtest/gtest.h>

#include "sim/core/error.hpp"
#include "sim/hw/stc/kernel_catalogue.hpp"
#include "sim/hw/stc/kernel_select.hpp"
#include "tests/unit/hw/stc/stc_test_layers.hpp"

namespace accsim {
namespace {

StcConfig a100() {
  StcConfig c = stc_test::a100_rates();
  c.split_k_max = 16;
  c.library = "sm80";
  return c;
}

Layer gemm(int64_t m, int64_t n, int64_t k, const std::string& dtype) {
  Layer l = stc_test::gemm_layer(OpKind::Gemm, m, n, k, 1, dtype);
  l.name = "g";
  return l;
}

const double kHbm = 1555e9 / 1.41e9;  // A100 SXM4 HBM2, bytes per clock

TEST(StcKernelSelect, CataloguesFollowCutlassGenerator) {
  // GenerateSM80_TensorOp_16816 lists 16 f16 tiles, GenerateSM80_SparseTensorOp_16832 13.
  EXPECT_EQ(kernel_catalogue("sm80", false).size(), 16u);
  EXPECT_EQ(kernel_catalogue("sm80", true).size(), 13u);
  EXPECT_FALSE(kernel_catalogue("sm90", true).empty());
  EXPECT_TRUE(kernel_catalogue("sm70", false).empty());
  // 128x128x32, 5 stages, 2x2 warps: warp tile 64x64; dense K 32 x 2 B = 64 B per stage row.
  const StcConfig c = apply_kernel(a100(), {128, 128, 32, 5, 2, 2}, false, 1);
  EXPECT_EQ(c.warp_m, 64);
  EXPECT_EQ(c.tile_k_bytes, 64);
  // Sparse 128x128x64 (dense-equivalent K 64 = 32 kept fp16 per row): same 64 B per stage row.
  EXPECT_EQ(apply_kernel(a100(), {128, 128, 64, 3, 2, 2}, true, 1).tile_k_bytes, 64);
  EXPECT_EQ(kernel_name("sm80", {128, 128, 64, 3, 2, 2}, true, 4), "sm80_spgemm_128x128x64_3stage_w64x64_splitk4");
}

TEST(StcKernelSelect, SparseKernelsTileTheWeightsWithTheirM) {
  // CUTLASS sparse GEMMs take the compressed operand as A (cutlass issue 2029): the sparse
  // 64x256 kernel with 1x4 warps tiles 64 weight rows (accsim N) by 256 activation rows (accsim M),
  // warp tile 64 (weights) x 64 (activations). A dense kernel keeps M on the activations.
  const StcConfig s = apply_kernel(a100(), {64, 256, 64, 4, 1, 4}, true, 1, true);
  EXPECT_EQ(s.tile_n, 64);
  EXPECT_EQ(s.tile_m, 256);
  EXPECT_EQ(s.warp_n, 64);
  EXPECT_EQ(s.warp_m, 64);
  const StcConfig d = apply_kernel(a100(), {64, 256, 32, 4, 1, 4}, false, 1, true);
  EXPECT_EQ(d.tile_m, 64);
  EXPECT_EQ(d.tile_n, 256);
  // Selection on the 2:4 hardware: the name keeps CUTLASS's M x N, so the first number is the
  // weight side. 4096^3 picks the asymmetric sm80_spgemm_256x128 (stage: 256 weight rows at
  // 0.5625 x 128 B + 128 activation rows x 128 B = 34.8 KB, against 41.0 KB the other way round).
  const Layer l = gemm(4096, 4096, 4096, "fp16");
  const KernelChoice k = select_kernel(a100(), l, lower_to_gemm(l), true, nvidia_nm_format(l.weights.dtype), kHbm);
  EXPECT_EQ(k.name.rfind("sm80_spgemm_256x128x64_", 0), 0u) << k.name;
  EXPECT_EQ(k.config.tile_n, 256);
  EXPECT_EQ(k.config.tile_m, 128);
}

TEST(StcKernelSelect, FastestCandidateBeatsTheFixedTile) {
  const Layer l = gemm(4096, 4096, 4096, "fp16");
  StcConfig fixed = a100();
  fixed.library = "fixed";
  const KernelChoice f = select_kernel(fixed, l, lower_to_gemm(l), false, NmFormat{}, kHbm);
  const KernelChoice s = select_kernel(a100(), l, lower_to_gemm(l), false, NmFormat{}, kHbm);
  // Every sm80 tile fits 164 KiB at this shape, no split-K (grid > SMs); each tile may add one
  // stream-K candidate where CUTLASS's rule finds stream-K work (stream_k_test.cpp).
  EXPECT_GE(s.candidates, 16);
  EXPECT_LE(s.candidates, 32);
  EXPECT_LE(s.estimate_cycles, f.estimate_cycles);
  EXPECT_EQ(s.name.rfind("sm80_gemm_", 0), 0u);
}

TEST(StcKernelSelect, SparseSmallGemmIsNotSlowerThroughSplitK) {
  // Issue #11: A100 int8 8x768x768 took 1,566 cycles dense and 1,967 with 2:4 because the split-K
  // rule wanted >= `stages` k-steps per CTA and the sparse kernel has half the k-steps. With
  // split-K candidates for both, the sparse choice is at least as fast as the dense one.
  for (const auto& shape : {std::array<int64_t, 3>{8, 768, 768}, std::array<int64_t, 3>{128, 2304, 768}}) {
    const Layer l = gemm(shape[0], shape[1], shape[2], "int8");
    const NmFormat f = nvidia_nm_format(l.weights.dtype);
    const KernelChoice d = select_kernel(a100(), l, lower_to_gemm(l), false, NmFormat{}, kHbm);
    const KernelChoice s = select_kernel(a100(), l, lower_to_gemm(l), true, f, kHbm);
    EXPECT_LE(s.estimate_cycles, d.estimate_cycles) << shape[0] << "x" << shape[1] << "x" << shape[2];
  }
}

TEST(StcKernelSelect, WorkspaceOfStreamKAndSplitKKernels) {
  // 3072x768x3072 fp16: 144 tiles of 128x128 on 108 SMs; the fastest candidate is stream-K over
  // 108 units (one per SM). CUTLASS's workspace: one fp32 accumulator tile per unit, 108 x 128 x
  // 128 x 4 B = 7,077,888 B, plus one 4-byte flag per unit, 432 B rounded up to 128 B = 512 B.
  const Layer l = gemm(3072, 768, 3072, "fp16");
  const KernelChoice k = select_kernel(a100(), l, lower_to_gemm(l), false, NmFormat{}, kHbm);
  ASSERT_EQ(k.name, "sm80_gemm_128x128x64_4stage_w64x64_streamk");
  EXPECT_EQ(k.plan.sk_units, 108);
  EXPECT_DOUBLE_EQ(kernel_workspace_bytes(k.plan), 7078400.0);
  // 128x128x8192 is one tile: split-K 16 on the 64x64 tile, 16 partial 128 x 128 fp32 C matrices
  // = 16 x 65,536 B = 1 MiB; a data-parallel kernel needs none.
  const Layer s = gemm(128, 128, 8192, "fp16");
  const KernelChoice ks = select_kernel(a100(), s, lower_to_gemm(s), false, NmFormat{}, kHbm);
  ASSERT_EQ(ks.plan.split_k, 16);
  EXPECT_DOUBLE_EQ(kernel_workspace_bytes(ks.plan), 1048576.0);
  StcConfig fixed = a100();
  fixed.library = "fixed";
  fixed.split_k_max = 1;
  EXPECT_DOUBLE_EQ(kernel_workspace_bytes(select_kernel(fixed, l, lower_to_gemm(l), false, NmFormat{}, kHbm).plan), 0.0);
}

TEST(StcKernelSelect, CallersWorkspaceLimitRulesOutKernelsNeedingMore) {
  // PyTorch grants cuBLASLt 1 MiB (CUDABlas.cpp, PR 73439): the 7 MB stream-K kernel above is out,
  // a data-parallel kernel runs, at more estimated cycles than the unlimited choice.
  const Layer l = gemm(3072, 768, 3072, "fp16");
  StcConfig c = a100();
  const KernelChoice unlimited = select_kernel(c, l, lower_to_gemm(l), false, NmFormat{}, kHbm);
  c.workspace_limit_bytes = 1048576;
  const KernelChoice lim = select_kernel(c, l, lower_to_gemm(l), false, NmFormat{}, kHbm);
  EXPECT_EQ(lim.name.find("_streamk"), std::string::npos) << lim.name;
  EXPECT_EQ(lim.plan.sk_units, 0);
  EXPECT_LT(lim.candidates, unlimited.candidates);
  EXPECT_GT(lim.estimate_cycles, unlimited.estimate_cycles);
  // The limit is inclusive: split-K 16 needs exactly 1 MiB and stays; one byte less rules it out.
  const Layer s = gemm(128, 128, 8192, "fp16");
  EXPECT_EQ(select_kernel(c, s, lower_to_gemm(s), false, NmFormat{}, kHbm).plan.split_k, 16);
  c.workspace_limit_bytes = 1048575;
  const KernelChoice under = select_kernel(c, s, lower_to_gemm(s), false, NmFormat{}, kHbm);
  EXPECT_LT(under.plan.split_k, 16);
  EXPECT_LE(kernel_workspace_bytes(under.plan), 1048575.0);
  // No workspace at all (cuBLASLt's default preference): data-parallel kernels only.
  c.workspace_limit_bytes = 0;
  const KernelChoice none = select_kernel(c, s, lower_to_gemm(s), false, NmFormat{}, kHbm);
  EXPECT_EQ(none.plan.split_k, 1);
  EXPECT_EQ(none.plan.sk_units, 0);
}

TEST(StcKernelSelect, LibraryWithoutStreamKKeepsSplitK) {
  // cuSPARSELt 0.4.0 offers split-K only (cusparseLtSplitKMode_t): no stream-K candidate, while
  // small grids still split K.
  StcConfig c = a100();
  const Layer l = gemm(3072, 768, 3072, "fp16");
  const NmFormat f = nvidia_nm_format(l.weights.dtype);
  ASSERT_NE(select_kernel(c, l, lower_to_gemm(l), true, f, kHbm).name.find("_streamk"), std::string::npos);
  c.offer_stream_k = false;
  const KernelChoice k = select_kernel(c, l, lower_to_gemm(l), true, f, kHbm);
  EXPECT_EQ(k.name.find("_streamk"), std::string::npos) << k.name;
  EXPECT_EQ(k.plan.sk_units, 0);
  const Layer s = gemm(128, 128, 8192, "fp16");
  EXPECT_GT(select_kernel(c, s, lower_to_gemm(s), false, NmFormat{}, kHbm).plan.split_k, 1);
}

TEST(StcKernelSelect, NoFittingKernelIsAClearError) {
  StcConfig c = a100();
  c.smem_kb = 8;  // no sm80 tile's two stages fit 8 KiB
  const Layer l = gemm(1024, 1024, 1024, "fp16");
  try {
    select_kernel(c, l, lower_to_gemm(l), false, NmFormat{}, kHbm);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no sm80 dense kernel configuration fits"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace accsim
