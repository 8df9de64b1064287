// SCALE-Sim topology CSVs (conv and GEMM forms) as workloads.
#include "sim/workload/trace.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  const Workload w = read_scalesim_topology(fuzz::input_file(data, size, "fuzz.csv"));
  for (const auto& l : w.layers) check_layer_size(l);
})
