// Real-weight files (.npz): the directory, then every tensor read as float.
#include "sim/import/weights_io.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  const WeightStore s = WeightStore::open(fuzz::input_file(data, size, "fuzz.npz"));
  for (const auto& [name, t] : s.tensors()) {
    int64_t n = 1;
    for (int64_t d : t.shape) n = n > 0 && d > 0 && n <= (int64_t{1} << 24) / d ? n * d : -1;
    if (n > 0) (void)s.get(name, 1, n);
  }
})
