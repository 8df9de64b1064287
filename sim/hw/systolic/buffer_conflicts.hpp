#pragma once
// Bank conflicts of the systolic array's operand buffers (docs/models/systolic.md, "SRAM banks and
// ports"). Each buffer holds its tile lane by lane, in the order the array streams it (lane l's
// element t at l x T + t; a stationary tile row by row), and the array's skew decides which
// elements one cycle asks for. When a cycle's words need more accesses of one bank than it has
// ports, the whole array waits: those cycles are added to the fold. Pure arithmetic, no SystemC.
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "sim/hw/memory/sram_buffer.hpp"
#include "sim/hw/systolic/fold_model.hpp"
#include "sim/hw/systolic/traffic_plan.hpp"

namespace accsim {

struct ConflictInputs {
  Dataflow dataflow = Dataflow::OutputStationary;
  BufferSpec ifmap, filter, ofmap;
  double a_bytes = 1, b_bytes = 1, acc_bytes = 4;  // element sizes: A, B, partial sums/outputs
  int64_t k_pack = 1;          // reduction elements a lane takes per step (adjacent: one element)
  int64_t temporal_scale = 1;  // cycles per temporal step: a bank has that many cycles per step
  bool modelled() const { return ifmap.ports > 0 || filter.ports > 0 || ofmap.ports > 0; }
};

struct FoldConflicts {
  int64_t stall_cycles = 0;           // cycles the fold takes longer
  int64_t conflict_cycles[3] = {0, 0, 0};  // per buffer (ifmap, filter, ofmap): sum of (cycles - 1)
};

// One fold (or temporal chunk) of the region's size; `accumulate`: ws/is partial sums read back.
FoldConflicts fold_conflicts(const ConflictInputs& in, const FoldRegion& r);

// Per tile of `plan`, memoised by region size.
std::vector<FoldConflicts> plan_conflicts(const ConflictInputs& in, const TrafficPlan& plan);

}  // namespace accsim
