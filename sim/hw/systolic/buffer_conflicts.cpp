#include "sim/hw/systolic/buffer_conflicts.hpp"

#include <algorithm>

#include "sim/hw/memory/sram_banks.hpp"

namespace accsim {

namespace {

enum { kIfmap = 0, kFilter = 1, kOfmap = 2 };

// One step's bank cycles per buffer folded into the fold's totals.
void settle(BankCycle* b, int64_t scale, FoldConflicts& f) {
  int64_t step = scale;
  for (int i = 0; i < 3; ++i) {
    const int64_t c = b[i].cycles();
    if (c > 1) f.conflict_cycles[i] += c - 1;
    step = std::max(step, c);
    b[i].clear();
  }
  f.stall_cycles += step - scale;
}

// Streamed lanes: at step c lane l < lanes asks for its element t = c - l (0 <= t < T).
void stream(BankCycle& b, int64_t c, int64_t lanes, int64_t t_len, int accesses = 1) {
  for (int64_t l = std::max<int64_t>(0, c - t_len + 1); l < lanes && l <= c; ++l) b.touch(l * t_len + (c - l), accesses);
}

}  // namespace

FoldConflicts fold_conflicts(const ConflictInputs& in, const FoldRegion& r) {
  FoldConflicts f;
  const double kp = static_cast<double>(in.k_pack);
  // os: ifmap lanes are array rows (M), filter lanes array columns (N), both stream K.
  // ws/is: the stationary tile (filter / ifmap) is preloaded one array row per step, then the
  // other operand streams along the rows and outputs leave the columns R steps later.
  const bool os = in.dataflow == Dataflow::OutputStationary;
  const bool ws = in.dataflow == Dataflow::WeightStationary;
  BankCycle b[3] = {BankCycle(in.ifmap, in.a_bytes * (os || ws ? kp : 1.0)),
                    BankCycle(in.filter, in.b_bytes * (os || !ws ? kp : 1.0)),
                    BankCycle(in.ofmap, in.acc_bytes)};
  const int64_t R = r.r_used, C = r.c_used, T = r.t_len, scale = in.temporal_scale;
  if (os) {
    for (int64_t c = 0; c < T + std::max(R, C) - 1; ++c) {
      stream(b[kIfmap], c, R, T);
      stream(b[kFilter], c, C, T);
      settle(b, scale, f);
    }
    return f;
  }
  const int stationary = ws ? kFilter : kIfmap, streamed = ws ? kIfmap : kFilter;
  for (int64_t p = 0; p < R; ++p) {
    for (int64_t j = 0; j < C; ++j) b[stationary].touch(p * C + j);
    settle(b, 1, f);  // the preload is not stretched by a slow lane
  }
  const int out_accesses = r.fr > 0 ? 2 : 1;  // read the partial sum, write it back
  for (int64_t c = 0; c < T + R + C - 1; ++c) {
    stream(b[streamed], c, R, T);
    if (c >= R) stream(b[kOfmap], c - R, C, T, out_accesses);
    settle(b, scale, f);
  }
  return f;
}

std::vector<FoldConflicts> plan_conflicts(const ConflictInputs& in, const TrafficPlan& plan) {
  std::vector<FoldConflicts> out;
  out.reserve(plan.regions.size());
  std::map<std::tuple<int64_t, int64_t, int64_t, bool>, FoldConflicts> memo;
  for (const FoldRegion& r : plan.regions) {
    const auto key = std::make_tuple(r.r_used, r.c_used, r.t_len, r.fr > 0);
    auto it = memo.find(key);
    if (it == memo.end()) it = memo.emplace(key, fold_conflicts(in, r)).first;
    out.push_back(it->second);
  }
  return out;
}

}  // namespace accsim
