#include "sim/hw/bitfusion/loop_tiling.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Which operand's block grows along which tile loop (an act block spans batch, output rows/columns
// and input channels; a weight block input and output channels; an output block all but input channels).
constexpr bool kDepends[5][3] = {
    {true, false, true},   // batch
    {true, false, true},   // output rows
    {true, false, true},   // output columns
    {true, true, false},   // input channels
    {false, true, true},   // output channels
};

const char* const kLoopNames[5] = {"b", "oh", "ow", "ic", "oc"};

// Candidate tile sizes along one dimension: powers of two times `unit`, capped at the dimension.
std::vector<int64_t> candidates(int64_t dim, int64_t unit) {
  std::vector<int64_t> out;
  for (int64_t t = unit;; t *= 2) {
    out.push_back(std::min(t, dim));
    if (t >= dim) break;
  }
  return out;
}

// Fewer cycles; then fewer DRAM bits; then fewer OBUF accumulate passes (input-channel tiles).
bool better(const LoopTilingPlan& a, const LoopTilingPlan& b) {
  if (a.cycles != b.cycles) return a.cycles < b.cycles;
  if (a.dram_bits() != b.dram_bits()) return a.dram_bits() < b.dram_bits();
  return a.count[kInChannels] < b.count[kInChannels];
}

}  // namespace

std::string LoopTilingPlan::describe() const {
  std::string s;
  for (int i = 0; i < 5; ++i) s += std::string(i ? ">" : "") + kLoopNames[order[i]];
  s += ", tiles";
  for (int i = 0; i < 5; ++i) s += " " + std::string(kLoopNames[i]) + std::to_string(tile[i]);
  return s;
}

LoopTilingPlan evaluate_loop_tiling(const LoopNest& nest, const LoopTilingInputs& in, const std::array<int64_t, 5>& tile,
                                    const std::array<int, 5>& order) {
  LoopTilingPlan p;
  p.tile = tile;
  p.order = order;
  const int64_t dims[5] = {nest.b, nest.oh, nest.ow, nest.ic, nest.oc};
  for (int i = 0; i < 5; ++i) p.count[i] = ceil_div(dims[i], tile[i]);
  const int64_t lanes = in.rows * in.pack;  // reduction elements one array column sums per cycle
  // One block of each operand: the input window with its halo, the weights padded to whole row
  // tiles of the array, the outputs padded to whole columns and held as accumulator words.
  const double ih = static_cast<double>(nest.kh + (tile[kOutRows] - 1) * nest.sh);
  const double iw = static_cast<double>(nest.kw + (tile[kOutCols] - 1) * nest.sw);
  const double block[3] = {
      ih * iw * static_cast<double>(tile[kInChannels] * tile[kBatch]) * in.a_bits,
      static_cast<double>(ceil_div(nest.kh * nest.kw * tile[kInChannels], lanes) * lanes * tile[kOutChannels]) * in.w_bits,
      static_cast<double>(tile[kOutRows] * tile[kOutCols] * ceil_div(tile[kOutChannels], in.cols) * in.cols * tile[kBatch]) *
          in.acc_bits};
  const double cap[3] = {in.act_capacity_bits, in.wgt_capacity_bits, in.out_capacity_bits};
  for (int o = 0; o < 3; ++o)
    if (block[o] > cap[o]) return p;
  double traffic[3] = {block[0], block[1], block[2]};
  double resident_block[3] = {block[0], block[1], block[2]};  // loaded before the first tile computes
  bool resident[3] = {true, true, true};
  for (int i = 4; i >= 0; --i) {  // innermost loop first
    const int loop = order[i];
    const auto n = static_cast<double>(p.count[loop]);
    for (int o = 0; o < 3; ++o) {
      if (!resident[o]) {
        traffic[o] *= n;  // evicted: fetched again at every iteration of every outer loop
      } else if (kDepends[loop][o]) {
        traffic[o] *= n;  // new data along this loop; does the grown block still fit?
        if (traffic[o] > cap[o]) resident[o] = false;
        else resident_block[o] = traffic[o];
      }  // else: the block is reused across this loop
    }
  }
  for (int o = 0; o < 3; ++o) p.dram_read_bits[o] = traffic[o];
  p.dram_write_bits = traffic[kOut];
  // Per tile, every tap and every row tile of input channels is a temporal step of each output
  // column tile (per-tap channel mapping, as conv_reduction: channels).
  const double per_tile = static_cast<double>(tile[kBatch] * tile[kOutRows] * tile[kOutCols] *
                                              ceil_div(tile[kOutChannels], in.cols) * nest.kh * nest.kw *
                                              ceil_div(tile[kInChannels], lanes));
  p.compute_cycles = per_tile * static_cast<double>(p.tiles());
  // The first blocks load before compute starts and the last outputs drain after it; the rest
  // overlaps compute and stalls it only where it needs longer.
  // Whole interface cycles, rounded up per transfer as the authors' get_stats_fast does
  // (optimizer.py: ceil_a_by_b(middle, mem_if_width), get_mem_read_cycles / get_mem_write_cycles),
  // so tilings tie exactly where theirs do.
  const double first = resident_block[0] + resident_block[1] + resident_block[2];
  const double last = resident_block[2];
  const double middle = std::max(0.0, p.dram_bits() - first - last);
  if (in.dram_bits_per_cycle > 0) {
    const auto whole = [&](double bits) { return std::ceil(bits / in.dram_bits_per_cycle); };
    p.cycles = p.compute_cycles + std::max(0.0, whole(middle) - p.compute_cycles) + whole(first) + whole(last);
  } else
    p.cycles = p.compute_cycles;
  p.found = true;
  return p;
}

LoopTilingPlan plan_loop_tiling(const LoopNest& nest, const LoopTilingInputs& in) {
  LoopTilingPlan best;
  std::array<int, 5> first_order{0, 1, 2, 3, 4};
  const int64_t o_max = std::max(nest.oh, nest.ow);
  for (int64_t b : candidates(nest.b, 1))
    for (int64_t o : candidates(o_max, 1))  // square output tiles, as the authors' compiler
      for (int64_t ic : candidates(nest.ic, 1))
        for (int64_t oc : candidates(nest.oc, in.cols)) {
          const std::array<int64_t, 5> tile{b, std::min(o, nest.oh), std::min(o, nest.ow), ic, oc};
          const int64_t dims[5] = {nest.b, nest.oh, nest.ow, nest.ic, nest.oc};
          // A loop of one tile multiplies nothing, wherever it sits: order only the others (the
          // single-tile loops go outermost), k! orders instead of 5!.
          std::array<int, 5> order = first_order;
          int trivial = 0;
          for (int i = 0; i < 5; ++i)
            if (tile[i] >= dims[i]) order[trivial++] = i;
          for (int i = 0, k = trivial; i < 5; ++i)
            if (tile[i] < dims[i]) order[k++] = i;
          do {
            const LoopTilingPlan p = evaluate_loop_tiling(nest, in, tile, order);
            if (!p.found) break;  // a block does not fit: no order helps
            // The authors' rule (optimizer.py _optimize_for_order and optimize_for_order): fewest
            // cycles; on an exact tie, lower Stats.get_energy (DRAM bits x 15 pJ plus buffer
            // accesses and core energy). accsim compares DRAM bits, then the OBUF's accumulate
            // passes (one per input-channel tile: their output-stationary reads['out'] and
            // writes['out'] scale with it), a proxy for the rest; a full tie keeps the first
            // found (theirs: tilings b, o, ic, oc ascending within an order, orders in Python set
            // order, i.e. arbitrary; accsim: tilings outer, orders lexicographic, deterministic).
            if (!best.found || better(p, best)) best = p;
          } while (std::next_permutation(order.begin() + trivial, order.end()));
        }
  return best;
}

}  // namespace accsim
