#include "sim/workload/bit_mask.hpp"

#include <algorithm>
#include <cstring>

namespace accsim {

int64_t BitMask::count() const {
  int64_t n = 0;
  for (uint64_t w : words_) n += std::popcount(w);
  return n;
}

int64_t BitMask::count(size_t begin, size_t end) const {
  if (begin >= end) return 0;
  const size_t first = begin >> 6, last = (end - 1) >> 6;
  const uint64_t head = ~uint64_t{0} << (begin & 63);
  const uint64_t tail = (end & 63) ? ~(~uint64_t{0} << (end & 63)) : ~uint64_t{0};
  if (first == last) return std::popcount(words_[first] & head & tail);
  int64_t n = std::popcount(words_[first] & head) + std::popcount(words_[last] & tail);
  for (size_t w = first + 1; w < last; ++w) n += std::popcount(words_[w]);
  return n;
}

bool BitMask::fields_at_most(size_t width, int64_t limit) const {
  if (limit >= static_cast<int64_t>(width)) return true;
  if (limit < 0) return n_ == 0;
  constexpr uint64_t k01 = 0x5555555555555555ULL, k0011 = 0x3333333333333333ULL;
  if (width == 1 || limit == 0) {
    for (uint64_t w : words_)
      if (w) return false;
    return true;
  }
  if (width == 2) {  // limit is 1 here: no field may have both bits set
    for (uint64_t w : words_)
      if (w & (w >> 1) & k01) return false;
    return true;
  }
  if (width == 4) {
    // Per-nibble counts (<= 4); adding 7 - limit sets a nibble's top bit exactly when its count
    // exceeds the limit, and cannot carry into the next nibble (4 + 7 < 16).
    const uint64_t bias = 0x1111111111111111ULL * static_cast<uint64_t>(7 - limit);
    for (uint64_t w : words_) {
      uint64_t c = w - ((w >> 1) & k01);
      c = (c & k0011) + ((c >> 2) & k0011);
      if ((c + bias) & 0x8888888888888888ULL) return false;
    }
    return true;
  }
  for (size_t b = 0; b < n_; b += width)
    if (count(b, std::min(n_, b + width)) > limit) return false;
  return true;
}

BitMask BitMask::from_bytes(const std::vector<uint8_t>& bytes) {
  BitMask m(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i)
    if (bytes[i]) m.set(i);
  return m;
}

std::vector<uint8_t> BitMask::to_bytes() const {
  std::vector<uint8_t> out(n_, 0);
  for_each_set(0, n_, [&](size_t i) { out[i] = 1; });
  return out;
}

BitMask BitMask::from_packed(const uint8_t* bits, size_t n) {
  BitMask m(n);
  if (n == 0) return m;  // an empty vector's data() may be null, and memcpy from null is UB
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(m.words_.data(), bits, (n + 7) / 8);  // the words' bytes are the packed layout
  } else {
    for (size_t b = 0; b < (n + 7) / 8; ++b) m.words_[b >> 3] |= uint64_t{bits[b]} << (8 * (b & 7));
  }
  m.clear_tail();
  return m;
}

void BitMask::to_packed(uint8_t* out) const {
  if (n_ == 0) return;  // see from_packed
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, words_.data(), (n_ + 7) / 8);
    return;
  }
  for (size_t b = 0; b < (n_ + 7) / 8; ++b) out[b] = static_cast<uint8_t>(words_[b >> 3] >> (8 * (b & 7)));
}

}  // namespace accsim
