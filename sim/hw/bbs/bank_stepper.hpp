#pragma once
// Cycle-by-cycle stepping of the bank-balanced array's bank reads (sim.mode: cycle). Each PE works
// on one row; every cycle each of its K single-port vector banks serves at most one of the reads
// that row still needs from it (one per nonzero in the bank). A row ends when all its banks are
// drained, a row group when all its PEs are done. Conflicts (several nonzeros wanted from one bank)
// are not computed from a formula here: they show up as extra cycles in which some banks still
// have reads pending while others are idle. The result has the same fields as schedule_pass()
// (bank_schedule.hpp), which event mode uses; tests check that both agree. Pure C++.
#include <cstdint>

#include "sim/hw/bbs/bank_schedule.hpp"
#include "sim/hw/bbs/csb_format.hpp"

namespace accsim {

// Steps rows [row_begin, row_end) of `m` (which must still hold its per-bank counts) on `pes` PEs.
PassSchedule step_pass(const CsbMatrix& m, int64_t pes, int64_t row_begin, int64_t row_end);

}  // namespace accsim
