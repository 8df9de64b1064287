#include "sim/hw/bbs/bank_schedule.hpp"

#include <algorithm>
#include <stdexcept>

namespace accsim {

PassSchedule& PassSchedule::operator+=(const PassSchedule& o) {
  pass_cycles += o.pass_cycles;
  busy_pe_cycles += o.busy_pe_cycles;
  ideal_pe_cycles += o.ideal_pe_cycles;
  conflict_stall_pe_cycles += o.conflict_stall_pe_cycles;
  imbalance_idle_pe_cycles += o.imbalance_idle_pe_cycles;
  underfill_idle_pe_cycles += o.underfill_idle_pe_cycles;
  nonzeros += o.nonzeros;
  padded_lane_slots += o.padded_lane_slots;
  group_cycles.insert(group_cycles.end(), o.group_cycles.begin(), o.group_cycles.end());
  group_first_row.insert(group_first_row.end(), o.group_first_row.begin(), o.group_first_row.end());
  return *this;
}

PassSchedule schedule_pass(const CsbMatrix& m, int64_t pes, int64_t row_begin, int64_t row_end) {
  if (pes < 1) throw std::invalid_argument("schedule_pass: need at least one PE");
  if (row_begin < 0 || row_end > m.rows || row_begin > row_end) throw std::invalid_argument("schedule_pass: bad rows");
  PassSchedule s;
  const auto k = static_cast<uint64_t>(m.banks);
  for (int64_t g0 = row_begin; g0 < row_end; g0 += pes) {
    const int64_t g1 = std::min(row_end, g0 + pes);
    uint64_t group = 0, sum = 0;
    for (int64_t r = g0; r < g1; ++r) {
      const auto slots = static_cast<uint64_t>(m.row_slots[static_cast<size_t>(r)]);
      const auto nnz = static_cast<uint64_t>(m.row_nnz(r));
      const uint64_t ideal = (nnz + k - 1) / k;
      group = std::max(group, slots);
      sum += slots;
      s.ideal_pe_cycles += ideal;
      s.conflict_stall_pe_cycles += slots - ideal;
      s.nonzeros += nnz;
      s.padded_lane_slots += slots * k - nnz;
    }
    const auto rows_in_group = static_cast<uint64_t>(g1 - g0);
    s.busy_pe_cycles += sum;
    s.imbalance_idle_pe_cycles += group * rows_in_group - sum;
    s.underfill_idle_pe_cycles += (static_cast<uint64_t>(pes) - rows_in_group) * group;
    s.pass_cycles += group;
    s.group_cycles.push_back(group);
    s.group_first_row.push_back(g0);
  }
  return s;
}

}  // namespace accsim
