// SCALE-Sim .cfg architecture files, converted to an accsim arch tree.
#include "sim/import/scalesim_cfg.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({ (void)accsim::scalesim_cfg_to_arch(accsim::fuzz::input_file(data, size, "fuzz.cfg")); })
