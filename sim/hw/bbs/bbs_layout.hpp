#pragma once
// Where a bbs layer's operands live in DRAM, for memories that want addresses (`dram.kind:
// timing`); docs/models/bbs.md "DRAM layout". Regions, each starting on a 64 KiB boundary:
//   values  : the CSB weight values, weight set after weight set, each set's row chunks in order
//   indices : the CSB in-bank indices, laid out like the values (absent for an activation operand)
//   inputs  : per (step, instance) the M x K input vectors, row-major, activation width
//   outputs : per (step, instance) the M x N results, row-major (recurrent: M x hidden h_t)
// A tile's load is its chunk's values and indices (when it fetches weights) plus its vector tile's
// inputs (x_t only after the first recurrent step: the first input_size elements of each row);
// its store is its chunk's rows of its vector tile's outputs (N-strided unless the chunk is all N).
#include <cstdint>

#include "sim/hw/memory/address_stream.hpp"

namespace accsim {

struct BbsLayout {
  uint64_t values = 0, indices = 0, inputs = 0, outputs = 0;  // region bases
  uint64_t set_values = 0, set_indices = 0;                   // one weight set's bytes in a region
  double value_share = 1;                                     // value bits / (value + index bits)
  uint64_t m = 0, k = 0, n = 0, instances = 1;
  double a_bytes = 1, o_bytes = 1;  // per element (sub-byte types pack)

  // `max_set_bytes`: the largest weight set's CSB bytes (values + indices); `sets`: sets stored.
  static BbsLayout make(double max_set_bytes, double value_share, uint64_t sets, uint64_t steps, uint64_t m, uint64_t k,
                        uint64_t n, uint64_t instances, double a_bytes, double o_bytes);

  // Appends chunk bytes [off, off + bytes) of weight set `set` (values then indices).
  void weights(AddressStream& s, uint64_t set, double off, double bytes) const;
  // Appends the inputs of vectors [v0, v0 + nv) of (step, instance): `elems` per vector.
  void inputs_of(AddressStream& s, uint64_t step, uint64_t inst, uint64_t v0, uint64_t nv, uint64_t elems) const;
  // Appends rows [r0, r0 + rows) of the outputs of vectors [v0, v0 + nv); `width` = N (or hidden).
  void outputs_of(AddressStream& s, uint64_t step, uint64_t inst, uint64_t v0, uint64_t nv, uint64_t r0, uint64_t rows,
                  uint64_t width) const;
};

}  // namespace accsim
