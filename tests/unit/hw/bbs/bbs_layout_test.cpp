// Where the bbs array's operands live in DRAM (sim/hw/bbs/bbs_layout.hpp); addresses by hand.
#include <gtest/gtest.h>

#include "sim/hw/bbs/bbs_layout.hpp"

namespace accsim {
namespace {

constexpr uint64_t kRegion = 64 * 1024;

// 2 weight sets of at most 38912 CSB bytes, 16 value bits of 19 (3 index bits); 2 steps,
// M = 4 vectors of K = 256 int16 inputs, N = 64 int16 outputs, 3 instances.
BbsLayout layout() { return BbsLayout::make(38912, 16.0 / 19, 2, 2, 4, 256, 64, 3, 2, 2); }

TEST(BbsLayout, RegionsFollowEachOtherOnFreshRows) {
  const BbsLayout l = layout();
  // Values per set 38912 x 16/19 = 32768 B -> 64 KiB; indices 6144 B -> 64 KiB.
  EXPECT_EQ(l.set_values, kRegion);
  EXPECT_EQ(l.set_indices, kRegion);
  EXPECT_EQ(l.values, 0u);
  EXPECT_EQ(l.indices, 2 * kRegion);
  EXPECT_EQ(l.inputs, 4 * kRegion);
  // Inputs: 2 steps x 3 instances x 4 vectors x 512 B = 12288 B -> one region.
  EXPECT_EQ(l.outputs, 5 * kRegion);
}

TEST(BbsLayout, ChunkValuesAndIndicesAtTheSameFraction) {
  const BbsLayout l = layout();
  AddressStream s;
  // Set 1, second chunk of 19456 CSB bytes: values [16384, 32768), indices [3072, 6144).
  l.weights(s, 1, 19456, 19456);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].base, kRegion + 16384);
  EXPECT_EQ(s[0].total(), 16384u);
  EXPECT_EQ(s[1].base, 2 * kRegion + kRegion + 3072);
  EXPECT_EQ(s[1].total(), 3072u);
}

TEST(BbsLayout, InputsWholeRowsOrTheirFirstElements) {
  const BbsLayout l = layout();
  AddressStream s;
  // Step 1, instance 2, vectors 2..3: row (1 x 3 + 2) x 4 + 2 = 22 of 512 B.
  l.inputs_of(s, 1, 2, 2, 2, 256);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].base, 4 * kRegion + 22 * 512);
  EXPECT_EQ(s[0].total(), 1024u);
  // x_t only: the first 100 elements (200 B) of each of the 2 rows, 512 B apart.
  s.clear();
  l.inputs_of(s, 1, 2, 2, 2, 100);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].bytes, 200u);
  EXPECT_EQ(s[0].stride, 512u);
  EXPECT_EQ(s[0].count, 2u);
}

TEST(BbsLayout, OutputsAreRowMajorPerStepAndInstance) {
  const BbsLayout l = layout();
  AddressStream s;
  // Step 0, instance 1, vectors 0..3, weight rows 16..47 of N = 64: output row 4 of 128 B, plus
  // 16 x 2 B; one 64 B segment per vector, 128 B apart.
  l.outputs_of(s, 0, 1, 0, 4, 16, 32, 64);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].base, 5 * kRegion + 4 * 128 + 32);
  EXPECT_EQ(s[0].bytes, 64u);
  EXPECT_EQ(s[0].stride, 128u);
  EXPECT_EQ(s[0].count, 4u);
  // All N rows: the vectors' outputs are contiguous.
  s.clear();
  l.outputs_of(s, 0, 1, 0, 4, 0, 64, 64);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].total(), 512u);
  EXPECT_EQ(s[0].count, 1u);
}

}  // namespace
}  // namespace accsim
