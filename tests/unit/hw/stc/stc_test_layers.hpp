#pragma once
// Shared by the sparse tensor core's unit tests: the A100's tensor-core rates and GEMM layers
// with the dtypes a trace would give them (accumulators fp32 for floats, int32 for integers).
#include <cstdint>
#include <string>

#include "sim/hw/stc/gpu_config.hpp"
#include "sim/workload/layer.hpp"

namespace accsim::stc_test {

// StcConfig's defaults are the A100 figures; the FMA rates are those of configs/arch/a100.yaml.
inline StcConfig a100_rates() {
  StcConfig c;
  c.fma_per_clk = {{"fp16", 256}, {"bf16", 256}, {"tf32", 128}, {"int8", 512}, {"int4", 1024}};
  return c;
}

inline Layer gemm_layer(OpKind op, int64_t m, int64_t n, int64_t k, int64_t batch, const std::string& dtype) {
  Layer l;
  l.op = op;
  l.m = m, l.n = n, l.k = k, l.batch = batch;
  DType t, acc;
  parse_dtype(dtype, t);
  parse_dtype(t.is_float() ? "fp32" : "int32", acc);
  l.weights.dtype = l.activations.dtype = l.outputs.dtype = t;
  l.accumulators.dtype = acc;
  return l;
}

}  // namespace accsim::stc_test
