// The side file's mum64x4 digest: streamed in any pieces it equals the definition in
// sim/workload/file_digest.hpp, written out here a second time, block by block.
#include <gtest/gtest.h>

#include <vector>

#include "sim/workload/file_digest.hpp"

namespace accsim {
namespace {

uint64_t mum_ref(uint64_t a, uint64_t b) {
  const unsigned __int128 t = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(t) ^ static_cast<uint64_t>(t >> 64);
}

// The definition, directly: pad to whole 32-byte blocks, four lanes, then the length and the lanes.
uint64_t reference(const std::vector<uint8_t>& bytes) {
  const uint64_t seed[4] = {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL};
  const uint64_t mul = 0xa0761d6478bd642fULL;
  uint64_t h[4] = {seed[0], seed[1], seed[2], seed[3]};
  std::vector<uint8_t> padded = bytes;
  padded.resize((bytes.size() + 31) / 32 * 32, 0);
  for (size_t b = 0; b < padded.size(); b += 32)
    for (size_t j = 0; j < 4; ++j) {
      uint64_t w = 0;
      for (size_t i = 0; i < 8; ++i) w |= static_cast<uint64_t>(padded[b + 8 * j + i]) << (8 * i);
      h[j] = mum_ref(h[j] ^ w, mul);
    }
  uint64_t x = bytes.size();
  for (size_t j = 0; j < 4; ++j) x = mum_ref(x ^ h[j], mul ^ seed[j]);
  return x;
}

std::vector<uint8_t> bytes_of(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 131 + 7);
  return v;
}

TEST(FileDigest, MatchesTheDefinitionForAnyPieces) {
  for (size_t n : {0, 1, 31, 32, 33, 64, 100, 1000}) {
    const auto v = bytes_of(n);
    Mum64x4 whole;
    whole.update(v.data(), v.size());
    EXPECT_EQ(whole.digest(), reference(v)) << n << " bytes";
    for (size_t piece : {1, 3, 32, 45}) {
      Mum64x4 parts;
      for (size_t at = 0; at < n; at += piece) parts.update(v.data() + at, std::min(piece, n - at));
      EXPECT_EQ(parts.digest(), whole.digest()) << n << " bytes in pieces of " << piece;
    }
  }
}

TEST(FileDigest, SeesEveryByteAndTheLength) {
  auto v = bytes_of(200);
  Mum64x4 a;
  a.update(v.data(), v.size());
  v[137] ^= 1;
  Mum64x4 b;
  b.update(v.data(), v.size());
  EXPECT_NE(a.digest(), b.digest());
  const std::vector<uint8_t> zero1(1, 0), zero2(2, 0);  // same padded block, different lengths
  Mum64x4 c, d;
  c.update(zero1.data(), 1);
  d.update(zero2.data(), 2);
  EXPECT_NE(c.digest(), d.digest());
  EXPECT_EQ(mum64x4_text(0xabcULL), "mum64x4:0000000000000abc");
}

}  // namespace
}  // namespace accsim
