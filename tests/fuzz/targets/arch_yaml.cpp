// Architecture YAML: elaborated as a run would (every component reads its node), then a small
// layer checked against it (no simulation: the SystemC kernel runs once per process).
#include "sim/hw/accelerator.hpp"
#include "sim/hw/common/compute_block.hpp"
#include "sim/workload/trace.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  const std::string path = fuzz::input_file(data, size, "arch/fuzz.yaml");
  auto ctx = elaborate(load_arch_tree(path), path, {});
  const Workload w = parse_inline_workload("gemm:m=8,n=8,k=8");
  ctx->arch->mac->check(ctx->arch->precision_of(w.layers[0]), w.layers[0].origin);
  ctx->compute->check(w.layers[0]);
})
