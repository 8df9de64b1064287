// BitMask, the 1-bit-per-weight storage of weight masks: every operation checked against a plain
// byte vector, on lengths and ranges that start and end inside words and on word boundaries.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <random>
#include <vector>

#include "sim/workload/bit_mask.hpp"
#include "sim/workload/weight_mask.hpp"

namespace accsim {
namespace {

std::vector<uint8_t> random_bytes(size_t n, unsigned seed, double p) {
  std::mt19937 rng(seed);
  std::bernoulli_distribution bit(p);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = bit(rng) ? 1 : 0;
  return v;
}

TEST(BitMask, MatchesByteVectorOnAllOperations) {
  for (size_t n : {0, 1, 63, 64, 65, 127, 128, 200, 1000}) {
    const std::vector<uint8_t> ref = random_bytes(n, static_cast<unsigned>(n) + 1, 0.3);
    const BitMask m = BitMask::from_bytes(ref);
    ASSERT_EQ(m.size(), n);
    EXPECT_EQ(m.to_bytes(), ref);
    int64_t total = 0;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(m.test(i), ref[i] != 0) << n << " " << i;
      total += ref[i];
    }
    EXPECT_EQ(m.count(), total);
    // Every range [b, e) with ends near word boundaries.
    for (size_t b : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, n / 2})
      for (size_t e : {b, b + 1, size_t{64}, size_t{128}, size_t{129}, n}) {
        if (b > n || e > n) continue;
        int64_t want = 0;
        std::vector<size_t> want_idx, got_idx;
        for (size_t i = b; i < e; ++i)
          if (ref[i]) ++want, want_idx.push_back(i);
        EXPECT_EQ(m.count(b, e), e >= b ? want : 0) << n << " [" << b << "," << e << ")";
        m.for_each_set(b, e, [&](size_t i) { got_idx.push_back(i); });
        EXPECT_EQ(got_idx, want_idx) << n << " [" << b << "," << e << ")";
      }
  }
}

TEST(BitMask, PackedLayoutIsTheSideFiles) {
  // Element i is bit i % 8 of byte i / 8: elements 0, 3, 9 and 12 of 13 -> bytes 0x09, 0x12.
  BitMask m(13);
  for (size_t i : {0, 3, 9, 12}) m.set(i);
  std::vector<uint8_t> packed(2, 0xFF);
  m.to_packed(packed.data());
  EXPECT_EQ(packed, (std::vector<uint8_t>{0x09, 0x12}));
  // Bits past the length in the last byte are ignored on reading, so masks compare equal.
  const uint8_t with_garbage[2] = {0x09, 0xF2};
  EXPECT_EQ(BitMask::from_packed(with_garbage, 13), m);
  EXPECT_EQ(BitMask::from_packed(with_garbage, 13).count(), 4);
}

TEST(BitMask, SetResetAssignKeepTheTailClear) {
  BitMask m(70, true);
  EXPECT_EQ(m.count(), 70);  // not 128: the unused bits of the last word stay clear
  m.reset(69);
  m.set(5, false);
  EXPECT_EQ(m.count(), 68);
  EXPECT_FALSE(m.test(69));
  m.set(69, true);
  EXPECT_TRUE(m[69]);
  EXPECT_EQ(m, BitMask::from_bytes([] {
              std::vector<uint8_t> v(70, 1);
              v[5] = 0;
              return v;
            }()));
  m.assign(3, false);
  EXPECT_EQ(m.count(), 0);
  EXPECT_EQ(m.words().size(), 1u);
}

TEST(BitMask, FieldsAtMostMatchesCountingEachField) {
  // The word-parallel paths (widths 1, 2, 4) and the counting one (others), every limit, on masks
  // dense enough that some fields exceed each limit and sparse enough that some masks pass.
  for (double p : {0.05, 0.3, 0.6})
    for (size_t width : {1, 2, 3, 4, 5, 8, 16, 64})
      for (unsigned seed = 1; seed <= 4; ++seed) {
        const size_t n = width * 37;
        const std::vector<uint8_t> ref = random_bytes(n, seed * 100 + static_cast<unsigned>(width), p);
        const BitMask m = BitMask::from_bytes(ref);
        int64_t most = 0;
        for (size_t b = 0; b < n; b += width) {
          int64_t c = 0;
          for (size_t i = b; i < b + width; ++i) c += ref[i];
          most = std::max(most, c);
        }
        for (int64_t limit = 0; limit <= static_cast<int64_t>(width); ++limit)
          EXPECT_EQ(m.fields_at_most(width, limit), most <= limit) << "p " << p << " width " << width << " limit " << limit;
      }
}

TEST(BitMask, WeightMaskCountsRows) {
  // 2 x 70: row 1 keeps columns 60..69, a range that crosses the word boundary at element 128.
  WeightMask w;
  w.rows = 2, w.cols = 70;
  w.keep.assign(140, false);
  for (int64_t c = 60; c < 70; ++c) w.keep.set(static_cast<size_t>(70 + c));
  EXPECT_EQ(w.nonzeros(), 10);
  EXPECT_EQ(w.row_nonzeros(1, 0, 70), 10);
  EXPECT_EQ(w.row_nonzeros(1, 58, 64), 4);
  EXPECT_EQ(w.row_nonzeros(0, 0, 70), 0);
  EXPECT_TRUE(w.at(1, 69));
  EXPECT_FALSE(w.at(1, 59));
  EXPECT_DOUBLE_EQ(w.density(), 10.0 / 140.0);
  // Groups of 10 columns: row 1's columns 60..69 are one full group.
  EXPECT_TRUE(w.groups_at_most(10, 10));
  EXPECT_FALSE(w.groups_at_most(10, 9));
  EXPECT_FALSE(w.groups_at_most(7, 6));  // columns 56..62 hold 3, 63..69 hold 7
  EXPECT_TRUE(w.groups_at_most(7, 7));
  EXPECT_THROW(w.groups_at_most(4, 2), std::logic_error);  // 4 does not divide 70
}

}  // namespace
}  // namespace accsim
