#include "sim/workload/bit_mask.hpp"

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
  for (size_t b = 0; b < (n + 7) / 8; ++b) m.words_[b >> 3] |= uint64_t{bits[b]} << (8 * (b & 7));
  m.clear_tail();
  return m;
}

void BitMask::to_packed(uint8_t* out) const {
  for (size_t b = 0; b < (n_ + 7) / 8; ++b) out[b] = static_cast<uint8_t>(words_[b >> 3] >> (8 * (b & 7)));
}

}  // namespace accsim
