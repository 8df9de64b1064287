#include "sim/workload/file_digest.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace accsim {

namespace {

// Lane seeds: the first hexadecimal digits of pi (nothing-up-my-sleeve constants); the multiplier
// is wyhash's first secret, an odd constant with mixed bits.
constexpr uint64_t kLaneSeed[4] = {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL};
constexpr uint64_t kMul = 0xa0761d6478bd642fULL;

inline uint64_t mum(uint64_t a, uint64_t b) {
  const unsigned __int128 t = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(t >> 64) ^ static_cast<uint64_t>(t);
}

inline uint64_t le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);  // compiles to one load on x86
  return v;
}

}  // namespace

void Mum64x4::block(const uint8_t* p) {
  for (int j = 0; j < 4; ++j) h_[j] = mum(h_[j] ^ le64(p + 8 * j), kMul);
}

void Mum64x4::update(const void* data, size_t n) {
  if (n == 0) return;  // data may be null for an empty piece; memcpy(dst, nullptr, 0) is UB
  const auto* p = static_cast<const uint8_t*>(data);
  length_ += n;
  if (tail_n_ > 0) {
    const size_t take = std::min(n, 32 - tail_n_);
    std::memcpy(tail_ + tail_n_, p, take);
    tail_n_ += take;
    p += take;
    n -= take;
    if (tail_n_ < 32) return;
    block(tail_);
    tail_n_ = 0;
  }
  uint64_t h0 = h_[0], h1 = h_[1], h2 = h_[2], h3 = h_[3];  // in registers: four independent chains
  for (; n >= 32; p += 32, n -= 32) {
    h0 = mum(h0 ^ le64(p), kMul);
    h1 = mum(h1 ^ le64(p + 8), kMul);
    h2 = mum(h2 ^ le64(p + 16), kMul);
    h3 = mum(h3 ^ le64(p + 24), kMul);
  }
  h_[0] = h0, h_[1] = h1, h_[2] = h2, h_[3] = h3;
  if (n > 0) std::memcpy(tail_, p, n);
  tail_n_ = n;
}

uint64_t Mum64x4::digest() const {
  uint64_t h[4] = {h_[0], h_[1], h_[2], h_[3]};
  if (tail_n_ > 0) {
    uint8_t last[32] = {};
    std::memcpy(last, tail_, tail_n_);
    for (int j = 0; j < 4; ++j) h[j] = mum(h[j] ^ le64(last + 8 * j), kMul);
  }
  uint64_t x = length_;
  for (int j = 0; j < 4; ++j) x = mum(x ^ h[j], kMul ^ kLaneSeed[j]);
  return x;
}

std::string mum64x4_text(uint64_t h) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "mum64x4:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace accsim
