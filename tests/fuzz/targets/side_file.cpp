// Mask/weights side file (*.weights.bin): the index, then every entry's mask and codes.
#include "sim/workload/side_file.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  const auto f = SideFile::open(fuzz::input_file(data, size, "fuzz.weights.bin"));
  for (const auto& e : f->entries()) {
    (void)f->mask(e);
    (void)f->codes(e);
  }
})
