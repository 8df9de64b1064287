#pragma once
// Row-stationary mapping of one layer onto an Eyeriss-style PE array (Chen et al., ISCA'16 and
// JSSC'17; docs/models/eyeriss.md). Plain C++: no SystemC, no YAML.
//
// A logical PE set is R filter rows x E output rows: PE (r, e) convolves filter row r with ifmap
// row e*U + r and passes its partial sums up the column. Sets wider than the array are cut into
// strips of at most `cols` output rows; as many strips (R x width blocks) as fit are placed side by
// side and stacked, and each pass runs p filters x q channels per PE out of its scratchpads.
#include <cstdint>

#include "sim/workload/layer.hpp"

namespace accsim {

struct RsArray {
  int64_t rows = 12, cols = 14;                              // physical PE array
  int64_t ifmap_spad = 12, filter_spad = 224, psum_spad = 24;  // words per PE
  int64_t noc_words_per_cycle = 4;                          // GLB/filter bus into the array
  double glb_words = 55296;                                 // global buffer capacity in words
};

// A layer seen as a convolution: N images, G groups of M/G filters over C/G channels.
struct RsShape {
  int64_t n = 1, m = 1, c = 1, g = 1;  // images, filters, input channels, groups
  int64_t h = 1, w = 1;                // ifmap rows/cols (padded)
  int64_t r = 1, s = 1, e = 1, f = 1;  // filter rows/cols, ofmap rows/cols
  int64_t u = 1;                       // stride
  int64_t steps = 1;                   // dependent repetitions (RNN steps)
  int64_t macs() const { return steps * n * m * (c / g) * r * s * e * f; }
  bool fully_connected() const { return r == 1 && s == 1 && e == 1 && f == 1; }  // 1x1 filter on a 1x1 map
};
RsShape rs_shape_of(const Layer& layer);

struct RsPlan {
  // Mapping.
  int64_t r_parts = 1, r_rows = 1;       // filter rows folded when R exceeds the array height
  int64_t strip_width = 1, strips = 1;   // output rows per strip, strips per set
  int64_t blocks_per_pass = 1;           // R' x width blocks placed on the array at once
  int64_t p = 1, q = 1, n_img = 1;       // filters, channels and images per PE per pass
  int64_t active_pes = 0;                // PEs busy in a full pass
  uint64_t passes = 0;                   // over the whole layer (all steps)
  uint64_t pass_compute_cycles = 0;      // p x q x F x S: one MAC per PE per cycle
  uint64_t pass_fill_cycles = 0;         // filter scratchpad load + psum chain not hidden by the pass
  uint64_t m_groups = 1;                 // ceil(M/G / p) x G x steps: one DRAM tile each
  int64_t psum_tiles = 1;                // GLB psum tiles per m-group (filters refetched per tile)
  bool ifmap_resident = true;            // all ifmaps fit half the GLB: read from DRAM once
  double group_weight_words = 0;         // DRAM words each m-group loads before it starts
  double group_ifmap_words = 0;          // ifmap words each m-group streams (0 when resident)
  double first_ifmap_words = 0;          // ifmap words loaded before the first m-group
  double group_output_words = 0;         // ofmap words each m-group writes back
  // Actions (words), whole layer.
  double macs = 0;
  double rf_accesses = 0;                // scratchpad reads and writes
  double noc_words = 0;                  // words delivered into / moved between PEs
  double glb_accesses = 0;               // global buffer reads and writes
  double ifmap_multicast = 1;            // FC: PEs (filter sets) one GLB ifmap read feeds
  double dram_read_words = 0, dram_write_words = 0;
  uint64_t compute_cycles() const { return passes * (pass_compute_cycles + pass_fill_cycles); }
};

RsPlan plan_row_stationary(const RsShape& s, const RsArray& a);

// Run-length coding of activations in DRAM (JSSC'17: zero runs as run/level pairs, three 5-bit
// runs + three 16-bit levels + 1 termination bit per 64-bit word). Expected encoded bits per raw
// bit of a tensor whose values are zero with probability `zero_fraction`, independently (an
// assumption): a pair covers min(G, 2^run_bits - 1) zeros and one level, G geometric, so
// (1 - z^(2^run_bits)) / (1 - z) values per pair; 4/3 at z = 0, 0.82 at z = 0.387.
double rlc_encoded_ratio(double zero_fraction, int run_bits = 5, int level_bits = 16, int pairs_per_word = 3,
                         int word_bits = 64);

}  // namespace accsim
