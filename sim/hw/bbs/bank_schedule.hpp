#pragma once
// Cycle rules of the bank-balanced PE array for one pass of one input vector through a CSB matrix.
// Rows go to PEs in groups of P (row g*P+p on PE p); a PE spends one cycle per slot of its row
// (one nonzero from each of its K banks per cycle), and a group ends when its slowest row ends.
//
//   row cycles        = slots(row) = max over banks of nonzeros in the bank
//   ideal row cycles  = ceil(nonzeros(row) / K)           (if the nonzeros could spread over lanes)
//   conflict stalls   = row cycles - ideal row cycles     (bank conflicts: several nonzeros per bank)
//   group cycles      = max over the group's rows of row cycles
//   imbalance idle    = sum over the group's rows of (group cycles - row cycles)
//   underfill idle    = (P - rows in the group) x group cycles   (last group only)
// All in PE-cycles except `pass_cycles` (array cycles). Bank-balanced rows give zero conflicts and,
// at equal density in every row, zero imbalance. Pure C++.
#include <cstdint>
#include <vector>

#include "sim/hw/bbs/csb_format.hpp"

namespace accsim {

struct PassSchedule {
  uint64_t pass_cycles = 0;               // array cycles for one vector, all groups
  uint64_t busy_pe_cycles = 0;            // sum of row cycles (slots executed)
  uint64_t ideal_pe_cycles = 0;           // sum of ideal row cycles
  uint64_t conflict_stall_pe_cycles = 0;  // busy - ideal
  uint64_t imbalance_idle_pe_cycles = 0;
  uint64_t underfill_idle_pe_cycles = 0;
  uint64_t nonzeros = 0;                  // effectual MACs per vector
  uint64_t padded_lane_slots = 0;         // busy slots x K - nonzeros: lanes idle inside a slot
  std::vector<uint64_t> group_cycles;     // per row group, in order
  std::vector<int64_t> group_first_row;   // first row of each group

  PassSchedule& operator+=(const PassSchedule& o);
};

// Schedule of rows [row_begin, row_end) of `m` on `pes` PEs.
PassSchedule schedule_pass(const CsbMatrix& m, int64_t pes, int64_t row_begin, int64_t row_end);

}  // namespace accsim
