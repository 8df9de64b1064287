// Sweep result rows (results.jsonl, as merge and --resume read them) and their CSV rendering.
#include <filesystem>

#include "sim/app/sweep/result_store.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  std::filesystem::create_directories(fuzz::scratch() / "rows");
  fuzz::input_file(data, size, "rows/results.jsonl");
  int torn = 0;
  (void)sweep::read_rows((fuzz::scratch() / "rows").string(), &torn);
})
