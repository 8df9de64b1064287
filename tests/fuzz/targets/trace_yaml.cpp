// Trace YAML (docs/trace-format.md): read, then each layer's size checks and GEMM lowering.
#include "sim/workload/trace.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  const Workload w = read_trace_file(fuzz::input_file(data, size, "trace.yaml"));
  for (const auto& l : w.layers) {
    check_layer_size(l);
    (void)layer_weight_count(l);
  }
})
