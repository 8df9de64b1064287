#pragma once
// The side file's checksum "mum64x4" (docs/workloads.md, "Side file format"): a streamed 64-bit
// digest that reads eight bytes per multiply in four independent lanes, so an 800 MB side file
// hashes in well under 0.1 s (byte-serial FNV-1a took about 1 s of the trace's critical path).
//
// Definition: the bytes are read as 32-byte blocks of four little-endian u64 words w0..w3 (the last
// block zero-padded; an empty input has no block). Lane j starts at kLaneSeed[j] and takes
// h_j = mum(h_j ^ w_j, kMul) per block, where mum(a, b) = low64(a*b) ^ high64(a*b) of the 128-bit
// product. The digest is x after x = byte count; x = mum(x ^ h_j, kMul ^ kLaneSeed[j]) for j = 0..3.
// It detects a stale or corrupted side file; it is not a cryptographic hash.
#include <cstddef>
#include <cstdint>
#include <string>

namespace accsim {

class Mum64x4 {
 public:
  void update(const void* data, size_t n);
  uint64_t digest() const;  // of everything so far (the state is not changed)

 private:
  void block(const uint8_t* p);
  uint64_t h_[4] = {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL};
  uint8_t tail_[32] = {};
  size_t tail_n_ = 0;
  uint64_t length_ = 0;
};

// "mum64x4:<16 hex digits>"
std::string mum64x4_text(uint64_t h);

}  // namespace accsim
