// Row-stationary mapping and per-level access counts (docs/models/eyeriss.md, "Mapping").
#include "sim/hw/eyeriss/rs_plan.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The largest count <= limit that wastes the fewest slots when `total` is cut into chunks of it.
int64_t best_chunk(int64_t total, int64_t limit) {
  limit = std::clamp<int64_t>(limit, 1, std::max<int64_t>(total, 1));
  int64_t best = 1, best_padded = total;
  for (int64_t v = 1; v <= limit; ++v) {
    const int64_t padded = ceil_div(total, v) * v;
    if (padded <= best_padded) best = v, best_padded = padded;
  }
  return best;
}

// Folding and pass timing for n images per PE per pass (p, q, strips already set on entry for q).
void map_passes(const RsShape& s, const RsArray& a, int64_t n, RsPlan& p) {
  const int64_t mg = s.m / s.g, cg = s.c / s.g;
  p.n_img = n;
  p.p = best_chunk(mg, std::min(a.psum_spad / n, a.filter_spad / (p.q * s.s)));
  const int64_t mgroups_per_group = ceil_div(mg, p.p), cgroups = ceil_div(cg, p.q);
  // Blocks in order strip (innermost), channel group, filter-row part, image group: sets stacked
  // in one pass hold different channels of the same outputs and sum their psums through the array.
  const int64_t blocks_per_mgroup = cgroups * p.r_parts * ceil_div(s.n, n) * p.strips;
  // A pass may hold blocks of several m-groups (different filters on different PEs); only the
  // last pass of a group and step runs part-empty.
  p.m_groups = static_cast<uint64_t>(s.steps * s.g * mgroups_per_group);
  p.passes = static_cast<uint64_t>(s.steps * s.g) *
             static_cast<uint64_t>(ceil_div(mgroups_per_group * blocks_per_mgroup, p.blocks_per_pass));
  const int64_t last_width = s.e - p.strip_width * (p.strips - 1);
  p.active_pes = 0;
  const int64_t in_pass = std::min(p.blocks_per_pass, mgroups_per_group * blocks_per_mgroup);
  for (int64_t b = 0; b < in_pass; ++b)
    p.active_pes += p.r_rows * (b % p.strips == p.strips - 1 ? last_width : p.strip_width);
  p.pass_compute_cycles = static_cast<uint64_t>(n * p.p * p.q * s.f * s.s);
  // The filter scratchpad holds exactly one pass's filters, so the next pass's filters load after
  // it ends; the strips of one filter set share them by multicast, other sets need their own.
  const int64_t distinct_sets = ceil_div(in_pass, p.strips);
  const int64_t filter_words = distinct_sets * p.r_rows * p.p * p.q * s.s;
  const int64_t fill = ceil_div(filter_words, a.noc_words_per_cycle) + p.r_rows;
  // When one pass's filters take at most half the filter scratchpad, the next pass's filters load
  // while this one computes: only the part of the load longer than the pass shows.
  const bool double_buffered = 2 * p.p * p.q * s.s <= a.filter_spad;
  p.pass_fill_cycles = static_cast<uint64_t>(
      double_buffered ? std::max<int64_t>(0, fill - static_cast<int64_t>(p.pass_compute_cycles)) : fill);
}

}  // namespace

RsShape rs_shape_of(const Layer& l) {
  RsShape s;
  if (l.op == OpKind::Conv2d) {
    s.n = l.batch, s.m = l.out_channels, s.c = l.in_channels, s.g = l.groups;
    s.h = l.in_h + 2 * l.pad_h, s.w = l.in_w + 2 * l.pad_w;
    s.r = l.kernel_h, s.s = l.kernel_w, s.e = l.out_h(), s.f = l.out_w(), s.u = l.stride_h;
    return s;
  }
  // Fully connected, GEMM, matmul, RNN step: a 1x1 convolution over a 1x1 map, one "image" per
  // row of the activation operand (Eyeriss runs FC layers this way: JSSC'17 Sec. IV).
  const GemmShape g = lower_to_gemm(l);
  s.n = g.m, s.m = g.n, s.c = g.k;
  // Shared-weight batches (linear) are more images; distinct-operand instances (matmul) repeat.
  if (g.b_is_activation) s.steps = g.instances * g.sequential_steps;
  else s.n *= g.instances, s.steps = g.sequential_steps;
  return s;
}

namespace {

// DRAM words and the GLB traffic they add; `glb_array` = the GLB accesses of the array side.
void plan_dram(const RsShape& s, const RsArray& a, double glb_array, RsPlan& p) {
  const int64_t cg = s.c / s.g;
  // DRAM: half the GLB holds psums of an m-group, half the ifmaps (JSSC'17: the GLB stores
  // ifmaps and psums; filters go from DRAM to the PEs).
  const double half = a.glb_words / 2.0;
  const double image_words = static_cast<double>(s.c * s.h * s.w);
  const double all_ifmaps = static_cast<double>(s.n) * image_words;
  p.psum_tiles = std::max<int64_t>(1, static_cast<int64_t>(
      (static_cast<double>(s.n * p.p * s.e * s.f) + half - 1) / half));
  p.ifmap_resident = all_ifmaps <= half;
  p.group_weight_words = static_cast<double>(p.p * cg * s.r * s.s * p.psum_tiles);
  p.first_ifmap_words = p.ifmap_resident ? all_ifmaps : 0;
  // Streamed ifmaps pass once per GLB psum tile of m-groups: as many m-groups as half the GLB
  // holds psums for share one pass over the ifmaps.
  const int64_t mg = s.m / s.g;
  const double group_psums = static_cast<double>(s.n * p.p * s.e * s.f);
  const int64_t groups_per_tile = std::max<int64_t>(1, static_cast<int64_t>(half / group_psums));
  const double streams = static_cast<double>(ceil_div(ceil_div(mg, p.p), groups_per_tile));
  const double group_share = streams / static_cast<double>(ceil_div(mg, p.p));
  p.group_ifmap_words = p.ifmap_resident ? 0 : all_ifmaps / static_cast<double>(s.g) * group_share;
  p.group_output_words = static_cast<double>(s.n * p.p * s.e * s.f);
  const double steps = static_cast<double>(s.steps);
  const double mgroups = static_cast<double>(p.m_groups);
  p.dram_read_words = mgroups * (p.group_weight_words + p.group_ifmap_words) + steps * p.first_ifmap_words;
  p.dram_write_words = mgroups * p.group_output_words;
  // GLB: ifmap reads into the array, psum read-modify-writes, DRAM fills and write-back reads.
  p.glb_accesses = glb_array + mgroups * p.group_ifmap_words + steps * p.first_ifmap_words +
                   p.dram_write_words;
}

// Per-level accesses of the whole layer (words), and its DRAM tiling. Blocks run (all steps,
// groups, m-groups) with the average strip width.
void count_accesses(const RsShape& s, const RsArray& a, int64_t blocks_per_mgroup, int64_t cgroups, RsPlan& p) {
  const double blocks = static_cast<double>(p.m_groups * blocks_per_mgroup);
  const double width = static_cast<double>(s.e) / static_cast<double>(p.strips);
  const double pes = static_cast<double>(p.r_rows) * width;
  const double nimg = static_cast<double>(p.n_img);
  const double ifmap_per_pe = nimg * static_cast<double>(p.q * ((s.f - 1) * s.u + s.s));
  const double filter_per_pe = static_cast<double>(p.p * p.q * s.s);
  const double psum_hops = nimg * static_cast<double>(p.r_rows - 1) * width * static_cast<double>(p.p * s.f);
  p.macs = static_cast<double>(s.macs());
  // NoC words are bus transfers. The global input network is a Y bus feeding one X bus per PE row,
  // and a multicast reaches every PE of a row whose ID matches in one X-bus transfer (JSSC'17
  // Sec. IV). A filter row goes to all PEs of its row in a block: one transfer per row (the fill
  // time counts the same). Ifmap rows go diagonally, one PE per row: one transfer per PE. Psums
  // hop between vertical neighbours.
  const double filter_transfers = static_cast<double>(p.r_rows) * filter_per_pe;
  p.noc_words = blocks * (pes * ifmap_per_pe + filter_transfers + psum_hops);
  // Every MAC reads an ifmap, a filter and a psum word and writes the psum; delivered words are
  // written into the scratchpads.
  p.rf_accesses = 4.0 * p.macs + blocks * pes * (ifmap_per_pe + filter_per_pe);
  const double ifmap_rows = static_cast<double>((p.strip_width - 1) * s.u + p.r_rows);
  const double glb_ifmap_reads = blocks * nimg * static_cast<double>(p.q) * ifmap_rows * static_cast<double>(s.w);
  const double psum_words = blocks * nimg * static_cast<double>(p.p * s.f) * width;
  // Channel groups in one pass reduce inside the array: the GLB sees one read-modify-write per
  // pass and strip instead of one per block.
  const double in_array = static_cast<double>(std::clamp<int64_t>(p.blocks_per_pass / p.strips, 1, cgroups * p.r_parts));
  const double visits = static_cast<double>(cgroups * p.r_parts) / in_array;
  double glb_psum = psum_words / in_array * (2.0 - 1.0 / std::max(1.0, visits));
  double glb_ifmap = glb_ifmap_reads;
  // Fully connected (1x1 map, 1x1 filter): the blocks of a pass may instead hold different
  // filters of the same channels and images; the GLB then reads each ifmap word once per pass and
  // the bus multicasts it to every PE (ISCA'16 multicast NoC). With a 1x1 map a pass leaves whole
  // outputs of its block in the psum spad (n x p words); the next pass of the same filters and
  // images (the next channel group, run next) adds into them there, so each block's psums go to
  // the GLB once, after its last channel group. The mapper keeps the order with fewer GLB accesses.
  if (s.fully_connected()) {
    const double sharing = static_cast<double>(std::min<int64_t>(p.blocks_per_pass, ceil_div(s.m / s.g, p.p)));
    const double all_visits = static_cast<double>(cgroups * p.r_parts);
    const double psum_stacked = psum_words / all_visits;
    if (glb_ifmap_reads / sharing + psum_stacked < glb_ifmap + glb_psum) {
      glb_ifmap = glb_ifmap_reads / sharing;
      glb_psum = psum_stacked;
      p.ifmap_multicast = sharing;
      // The shared blocks fill whole rows of the array (floor(cols / width) side by side): one
      // X-bus transfer per row they occupy.
      const auto per_row = static_cast<double>(std::max<int64_t>(1, a.cols / p.strip_width));
      const double rows_reached = std::ceil(sharing / per_row) * static_cast<double>(p.r_rows);
      p.noc_words = blocks * (pes * ifmap_per_pe / sharing * rows_reached + filter_transfers + psum_hops);
    }
  }

  plan_dram(s, a, glb_ifmap + glb_psum, p);
}

}  // namespace

RsPlan plan_row_stationary(const RsShape& s, const RsArray& a) {
  RsPlan p;
  const int64_t cg0 = s.c / s.g;
  p.r_parts = ceil_div(s.r, a.rows);
  p.r_rows = ceil_div(s.r, p.r_parts);
  p.strips = ceil_div(s.e, a.cols);
  p.strip_width = ceil_div(s.e, p.strips);
  p.blocks_per_pass = (a.cols / p.strip_width) * (a.rows / p.r_rows);
  // Scratchpads: q channels of S ifmap words; p x q x S filter words; p psum words.
  p.q = best_chunk(cg0, a.ifmap_spad / s.s);
  // Images per PE per pass (n): each filter word then serves n images, but p <= psum_spad / n
  // filters fit, so more m-groups stream the ifmaps again. Only a layer whose passes are bound by
  // the filter bus, or a fully connected layer (no other filter reuse) whose filter load is not
  // hidden, takes n > 1: the n with the fewest array cycles, smallest n on ties. (With n = 1 the
  // largest p rarely fits the filter scratchpad twice, so its load shows even on a fast bus.)
  RsPlan best = p;
  map_passes(s, a, 1, best);
  if (best.pass_fill_cycles > best.pass_compute_cycles || (s.fully_connected() && best.pass_fill_cycles > 0)) {
    for (int64_t n = 2; n <= std::min(s.n, a.psum_spad); ++n) {
      RsPlan t = p;
      map_passes(s, a, n, t);
      if (t.compute_cycles() * 100 < best.compute_cycles() * 99) best = t;
    }
  }
  p = best;
  const int64_t cg = cg0;
  const int64_t cgroups = ceil_div(cg, p.q);
  const int64_t blocks_per_mgroup = cgroups * p.r_parts * ceil_div(s.n, p.n_img) * p.strips;

  count_accesses(s, a, blocks_per_mgroup, cgroups, p);
  return p;
}

double rlc_encoded_ratio(double zero_fraction, int run_bits, int level_bits, int pairs_per_word, int word_bits) {
  const double z = zero_fraction;
  const double max_run_plus_one = std::ldexp(1.0, run_bits);
  const double values_per_pair = (1.0 - std::pow(z, max_run_plus_one)) / (1.0 - z);  // 1 at z = 0
  const double bits_per_value = static_cast<double>(word_bits) / pairs_per_word / values_per_pair;
  return bits_per_value / level_bits;
}

}  // namespace accsim
