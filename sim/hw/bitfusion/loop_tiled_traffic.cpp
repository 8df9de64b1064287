#include "sim/hw/bitfusion/loop_tiled_traffic.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

LoopNest loop_nest_of(const Layer& layer, const GemmShape& g) {
  LoopNest n;
  if (layer.op == OpKind::Conv2d) {
    n.b = layer.batch;
    n.oh = layer.out_h();
    n.ow = layer.out_w();
    n.ic = layer.in_channels / layer.groups;
    n.oc = layer.out_channels / layer.groups;
    n.kh = layer.kernel_h;
    n.kw = layer.kernel_w;
    n.sh = layer.stride_h;
    n.sw = layer.stride_w;
  } else {
    n.b = g.m;
    n.ic = g.k;
    n.oc = g.n;
  }
  return n;
}

namespace {

// `total` split over `n` tiles: the first carries the remainder.
void split(uint64_t total, uint64_t n, uint64_t& first, uint64_t& rest) {
  rest = total / n;
  first = total - rest * (n - 1);
}

}  // namespace

uint64_t loop_tiled_compute_cycles(const LoopTilingPlan& tiling, const TrafficInputs& in) {
  // Bit Fusion's array streams its folds: every Fusion Unit reads its weights from a WBUF bank of
  // its own (one per unit, N x M banks; one IBUF bank per row, one OBUF bank per column:
  // github.com/hsharma35/bitfusion simulator.py get_energy_cost), and partial sums accumulate in
  // the OBUF, so the next kernel tap, row tile of channels or column tile only changes buffer
  // addresses: nothing is preloaded or drained between folds, and the double-buffered IBUF/WBUF/
  // OBUF hold the next tile's operands when the current one ends. The array fills and drains once
  // (R + C - 2 cycles of skew, as an os fold); every step in between is one per cycle, stretched
  // by a lane slower than one product per cycle.
  const double steps = tiling.compute_cycles * static_cast<double>(in.temporal_scale);
  return static_cast<uint64_t>(std::llround(steps)) + static_cast<uint64_t>(in.rows + in.cols - 2);
}

TrafficPlan loop_tiled_traffic(const Layer& layer, const GemmShape& g, const TrafficPlan& folds, const TrafficInputs& in,
                               double dram_bytes_per_cycle, LoopTilingPlan& tiling) {
  LoopTilingInputs li;
  li.rows = in.rows;
  li.cols = in.cols;
  li.pack = in.k_pack;
  li.a_bits = in.a_bytes * 8;
  li.w_bits = in.b_bytes * 8;
  li.acc_bits = in.acc_bytes * 8;
  li.act_capacity_bits = in.ifmap.tile_capacity_bytes() * 8;
  li.wgt_capacity_bits = in.filter.tile_capacity_bytes() * 8;
  li.out_capacity_bits = in.ofmap.tile_capacity_bytes() * 8;
  li.dram_bits_per_cycle = dram_bytes_per_cycle * 8;
  tiling = plan_loop_tiling(loop_nest_of(layer, g), li);
  if (!tiling.found) return folds;  // the caller reports it (check())

  TrafficPlan tr;
  const double bits_in[3] = {tiling.dram_read_bits[0], tiling.dram_read_bits[1], tiling.dram_read_bits[2]};
  const auto load = static_cast<uint64_t>(std::ceil((bits_in[0] + bits_in[1] + bits_in[2]) / 8));
  const auto store = static_cast<uint64_t>(std::ceil(tiling.dram_write_bits / 8));
  // The DMA queues the transfers of consecutive tiles back to back as far as the buffers' free
  // halves hold them, so one pipeline step is a group of tiles moving up to that many bytes (a
  // tile of a few hundred bytes would otherwise pay the full DRAM latency on its own).
  const auto tiles = static_cast<uint64_t>(tiling.tiles());
  const double per_tile = static_cast<double>(load + store) / static_cast<double>(tiles);
  const double queue = in.ifmap.tile_capacity_bytes() + in.filter.tile_capacity_bytes() + in.ofmap.tile_capacity_bytes();
  const auto group = std::max<uint64_t>(1, std::min<uint64_t>(tiles, static_cast<uint64_t>(queue / std::max(per_tile, 1.0))));
  const uint64_t n = (tiles + group - 1) / group;
  Tile first, rest;
  split(loop_tiled_compute_cycles(tiling, in), n, first.compute_cycles, rest.compute_cycles);
  split(load, n, first.load_bytes, rest.load_bytes);
  split(store, n, first.store_bytes, rest.store_bytes);
  tr.tiles.push_back(first);
  if (n > 1) {
    rest.repeat = n - 1;
    tr.tiles.push_back(rest);
  }
  // SRAM: the array reads operands as in the fold plan; the buffers are filled from DRAM; the OBUF
  // accumulates each output once per input-channel tile and is read out for every store.
  const double acc_pass = static_cast<double>(g.m * ((g.n + in.cols - 1) / in.cols) * in.cols) * in.acc_bytes;
  const auto ic_tiles = static_cast<double>(tiling.count[kInChannels]);
  for (int b = 0; b < 2; ++b) {
    tr.sram_read_bytes[b] = folds.sram_read_bytes[b];
    tr.sram_write_bytes[b] = bits_in[b] / 8;
  }
  tr.sram_write_bytes[2] = bits_in[2] / 8 + acc_pass * ic_tiles;
  tr.sram_read_bytes[2] = tiling.dram_write_bits / 8 + acc_pass * (ic_tiles - 1);
  tr.spills = tiling.dram_write_bits / 8 > acc_pass * 1.000001;  // outputs stored more than once
  return tr;
}

}  // namespace accsim
