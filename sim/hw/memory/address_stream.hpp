#pragma once
// Where a transfer's bytes live in DRAM: `count` segments of `bytes` each, `stride` bytes apart,
// starting at `base`. A block hands the memory one stream per operand fill or result store; the
// timing DRAM model cuts each segment into burst-sized requests, the bandwidth queue only sums it.
#include <cstdint>
#include <vector>

namespace accsim {

struct Extent {
  uint64_t base = 0;
  uint64_t bytes = 0;   // one segment
  uint64_t stride = 0;  // distance between segment starts
  uint64_t count = 1;   // segments
  uint64_t total() const { return bytes * count; }
};

using AddressStream = std::vector<Extent>;

inline uint64_t stream_bytes(const AddressStream& s) {
  uint64_t sum = 0;
  for (const Extent& e : s) sum += e.total();
  return sum;
}

}  // namespace accsim
