#pragma once
// A fixed-length vector of bits, 64 to a word: the storage of weight masks (weight_mask.hpp), so a
// mask costs 1 bit per weight instead of a byte (issue #16: 2^30-weight masks in 128 MiB, not 1 GiB).
// Element i is bit i % 64 of word i / 64; on a little-endian machine the words' bytes are exactly the
// side file's packed layout (element i = bit i % 8 of byte i / 8). Bits past size() are always zero,
// so equality and counting can work on whole words.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace accsim {

class BitMask {
 public:
  BitMask() = default;
  explicit BitMask(size_t n, bool value = false) { assign(n, value); }

  void assign(size_t n, bool value) {
    n_ = n;
    words_.assign((n + 63) / 64, value ? ~uint64_t{0} : 0);
    clear_tail();
  }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }

  bool test(size_t i) const { return (words_[i >> 6] >> (i & 63)) & 1u; }
  bool operator[](size_t i) const { return test(i); }
  void set(size_t i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }
  void reset(size_t i) { words_[i >> 6] &= ~(uint64_t{1} << (i & 63)); }
  void set(size_t i, bool v) { v ? set(i) : reset(i); }

  // Set bits in all / in [begin, end): popcounts of whole words, the partial words masked.
  int64_t count() const;
  int64_t count(size_t begin, size_t end) const;

  // f(i) for every set bit i in [begin, end), ascending: skips clear words 64 elements at a time.
  template <class F>
  void for_each_set(size_t begin, size_t end, F&& f) const {
    if (begin >= end) return;
    size_t w = begin >> 6;
    uint64_t bits = words_[w] & (~uint64_t{0} << (begin & 63));
    const size_t last = (end - 1) >> 6;
    for (;;) {
      if (w == last && (end & 63)) bits &= ~(~uint64_t{0} << (end & 63));
      while (bits) {
        f((w << 6) + static_cast<size_t>(std::countr_zero(bits)));
        bits &= bits - 1;
      }
      if (++w > last) return;
      bits = words_[w];
    }
  }

  // Whether every field of `width` bits (aligned to element 0) has at most `limit` set bits.
  bool fields_at_most(size_t width, int64_t limit) const;

  // One byte per element (nonzero = set) to and from the mask: for code that works on bytes.
  static BitMask from_bytes(const std::vector<uint8_t>& bytes);
  std::vector<uint8_t> to_bytes() const;
  // The side file's packed layout: ceil(size / 8) bytes, element i = bit i % 8 of byte i / 8.
  static BitMask from_packed(const uint8_t* bits, size_t n);
  void to_packed(uint8_t* out) const;

  const std::vector<uint64_t>& words() const { return words_; }
  friend bool operator==(const BitMask&, const BitMask&) = default;

 private:
  void clear_tail() {
    if (n_ & 63) words_.back() &= ~(~uint64_t{0} << (n_ & 63));
  }
  size_t n_ = 0;
  std::vector<uint64_t> words_;
};

}  // namespace accsim
