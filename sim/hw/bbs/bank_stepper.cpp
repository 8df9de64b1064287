// Cycle stepping of bank reads (bank_stepper.hpp).
#include "sim/hw/bbs/bank_stepper.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace accsim {

namespace {

// Steps one row group; returns the cycles it took and fills each PE's busy cycles.
uint64_t step_group(const CsbMatrix& m, int64_t g0, int64_t g1, std::vector<uint64_t>& busy) {
  const auto k = static_cast<size_t>(m.banks);
  const size_t rows = static_cast<size_t>(g1 - g0);
  std::vector<int32_t> pending(rows * k);  // reads each PE still needs from each of its banks
  for (size_t p = 0; p < rows; ++p)
    for (size_t b = 0; b < k; ++b) pending[p * k + b] = m.nnz(g0 + static_cast<int64_t>(p), static_cast<int64_t>(b));
  busy.assign(rows, 0);
  uint64_t cycle = 0;
  for (bool any = true; any; ++cycle) {
    any = false;
    for (size_t p = 0; p < rows; ++p) {
      bool served = false;
      for (size_t b = 0; b < k; ++b) {
        int32_t& left = pending[p * k + b];
        if (left > 0) --left, served = true;  // the bank's single port serves one read this cycle
      }
      if (served) ++busy[p], any = true;
    }
  }
  return cycle - 1;  // the last iteration found nothing pending
}

}  // namespace

PassSchedule step_pass(const CsbMatrix& m, int64_t pes, int64_t row_begin, int64_t row_end) {
  if (pes < 1) throw std::invalid_argument("step_pass: need at least one PE");
  if (row_begin < 0 || row_end > m.rows || row_begin > row_end) throw std::invalid_argument("step_pass: bad rows");
  if (m.bank_nnz.size() != static_cast<size_t>(m.rows * m.banks)) throw std::invalid_argument("step_pass: no bank counts");
  PassSchedule s;
  const auto k = static_cast<uint64_t>(m.banks);
  std::vector<uint64_t> busy;
  for (int64_t g0 = row_begin; g0 < row_end; g0 += pes) {
    const int64_t g1 = std::min(row_end, g0 + pes);
    const uint64_t group = step_group(m, g0, g1, busy);
    for (int64_t r = g0; r < g1; ++r) {
      const auto nnz = static_cast<uint64_t>(m.row_nnz(r));
      const uint64_t b = busy[static_cast<size_t>(r - g0)], ideal = (nnz + k - 1) / k;
      s.busy_pe_cycles += b;
      s.ideal_pe_cycles += ideal;
      s.conflict_stall_pe_cycles += b - ideal;
      s.imbalance_idle_pe_cycles += group - b;
      s.nonzeros += nnz;
      s.padded_lane_slots += b * k - nnz;
    }
    s.underfill_idle_pe_cycles += static_cast<uint64_t>(pes - (g1 - g0)) * group;
    s.pass_cycles += group;
    s.group_cycles.push_back(group);
    s.group_first_row.push_back(g0);
  }
  return s;
}

}  // namespace accsim
