// N:M compressed formats of the sparse tensor core (sim/hw/stc/nm_format.hpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "sim/hw/stc/nm_format.hpp"

namespace accsim {
namespace {

DType dt(const std::string& name) {
  DType t;
  EXPECT_TRUE(parse_dtype(name, t)) << name;
  return t;
}

// A random matrix (fixed seed) of small integers, about 30% zeros before any pruning.
template <class T>
std::vector<T> random_matrix(int64_t rows, int64_t cols, int lo, int hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<T> v(static_cast<size_t>(rows * cols));
  for (auto& x : v) x = static_cast<T>(d(rng));
  return v;
}

TEST(StcNmFormat, StorageFractionsMatchNvidiaFigures) {
  // By hand, per group: fp16 2:4 keeps 2 x 16 bits + 4 metadata bits of 64 -> 36/64 = 56.25%;
  // tf32 1:2 keeps 32 + 4 of 64 -> 56.25%; int8/fp8 2:4: 2 x 8 + 4 of 32 -> 62.5%;
  // int4 pairwise 4:8: 2 pairs x 8 bits + 2 x 2 bits of 32 -> 62.5% (the domain brief's figures).
  EXPECT_DOUBLE_EQ(nvidia_nm_format(dt("fp16")).storage_fraction(), 0.5625);
  EXPECT_DOUBLE_EQ(nvidia_nm_format(dt("bf16")).storage_fraction(), 0.5625);
  EXPECT_DOUBLE_EQ(nvidia_nm_format(dt("tf32")).storage_fraction(), 0.5625);
  EXPECT_DOUBLE_EQ(nvidia_nm_format(dt("int8")).storage_fraction(), 0.625);
  EXPECT_DOUBLE_EQ(nvidia_nm_format(dt("fp8_e4m3")).storage_fraction(), 0.625);
  EXPECT_DOUBLE_EQ(nvidia_nm_format(dt("int4")).storage_fraction(), 0.625);
  EXPECT_THROW(nvidia_nm_format(dt("fp32")), InputError);
  // Generalized 2:8 with 3-bit indices at fp16: (2 x 16 + 6) / 128.
  EXPECT_DOUBLE_EQ(generic_nm_format(2, 8, dt("fp16")).storage_fraction(), 38.0 / 128.0);
}

TEST(StcNmFormat, StoredBytesOfCompressedMatricesMatchFractions) {
  // 8 x 64 matrices: the bytes actually held (values + 32-bit metadata words) over dense bytes.
  const int64_t rows = 8, cols = 64;
  auto fraction = [&](const std::string& type, double dense_bytes_per_element) {
    const NmFormat f = nvidia_nm_format(dt(type));
    const auto w = random_matrix<int32_t>(rows, cols, -7, 7, 1);
    const NmMatrix<int32_t> c = nm_prune_and_compress(f, w, rows, cols);
    return c.stored_bytes() / (static_cast<double>(rows * cols) * dense_bytes_per_element);
  };
  EXPECT_DOUBLE_EQ(fraction("fp16", 2.0), 0.5625);  // 512 B values + 64 B metadata of 1024 B
  EXPECT_DOUBLE_EQ(fraction("tf32", 4.0), 0.5625);  // 1024 + 128 of 2048
  EXPECT_DOUBLE_EQ(fraction("int8", 1.0), 0.625);   // 256 + 64 of 512
  EXPECT_DOUBLE_EQ(fraction("int4", 0.5), 0.625);   // 128 + 32 of 256
}

TEST(StcNmFormat, MetadataBitsFollowPtxDescriptors) {
  // fp16 2:4, one row [0 5 0 7 | 1 0 0 2]: group 0 keeps indices 1, 3 -> 0b11'01 = 0xD;
  // group 1 keeps 0, 3 -> 0b11'00 = 0xC; packed low nibble first -> 0xCD.
  const NmFormat f = nvidia_nm_format(dt("fp16"));
  const NmMatrix<int> c = nm_compress(f, std::vector<int>{0, 5, 0, 7, 1, 0, 0, 2}, 1, 8);
  ASSERT_EQ(c.metadata.size(), 1u);
  EXPECT_EQ(c.metadata[0], 0xCDu);
  EXPECT_EQ(c.values, (std::vector<int>{5, 7, 1, 2}));
  // tf32 1:2, row [0 3 | 4 0]: element 1 of pair 0 -> 0b1110, element 0 of pair 1 -> 0b0100 -> 0x4E.
  const NmMatrix<int> t = nm_compress(nvidia_nm_format(dt("tf32")), std::vector<int>{0, 3, 4, 0}, 1, 4);
  EXPECT_EQ(t.metadata[0], 0x4Eu);
  EXPECT_EQ(t.values, (std::vector<int>{3, 4}));
  // Short groups are padded with the lowest unused index: [0 0 9 0] keeps (0, 2) -> 0b10'00 = 0x8;
  // an all-zero group keeps (0, 1) -> 0b01'00 = 0x4.
  const NmMatrix<int> p = nm_compress(f, std::vector<int>{0, 0, 9, 0, 0, 0, 0, 0}, 1, 8);
  EXPECT_EQ(p.metadata[0], 0x48u);
  EXPECT_EQ(p.values, (std::vector<int>{0, 9, 0, 0}));
}

TEST(StcNmFormat, RejectsTensorsThatAreNotNmSparse) {
  const NmFormat f = nvidia_nm_format(dt("int8"));
  // Row 1, columns 4..7 hold three nonzeros.
  const std::vector<int> w = {1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3, 0, 4, 5};
  try {
    nm_compress(f, w, 2, 8, "layer fc1 weights");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("layer fc1 weights is not 2:4 sparse"), std::string::npos) << msg;
    EXPECT_NE(msg.find("row 1, columns 4..7"), std::string::npos) << msg;
    EXPECT_NE(msg.find("prune=nm:2:4"), std::string::npos) << msg;
  }
  EXPECT_FALSE(nm_conforms(f, nm_detail::nonzero_mask(w), 2, 8));
  // Asked to prune, the same tensor compresses: the two largest of {3, 0, 4, 5} are 4 and 5.
  const NmMatrix<int> c = nm_prune_and_compress(f, w, 2, 8);
  EXPECT_EQ(nm_decompress(c), (std::vector<int>{1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 4, 5}));
}

TEST(StcNmFormat, Int4IsPairwise) {
  const NmFormat f = nvidia_nm_format(dt("int4"));
  // Elements 0,1 and 2,3 are pairs 0 and 1: four nonzeros, two pairs -> valid 4:8.
  EXPECT_NO_THROW(nm_compress(f, std::vector<int>{1, 2, 3, 4, 0, 0, 0, 0}, 1, 8));
  // Elements 0, 2, 4 touch three pairs -> not pairwise 4:8 although only three are nonzero.
  EXPECT_THROW(nm_compress(f, std::vector<int>{1, 0, 3, 0, 5, 0, 0, 0}, 1, 8), InputError);
  // Pairs 1 and 3 -> pair indices 1, 3 -> 0b11'01.
  const NmMatrix<int> c = nm_compress(f, std::vector<int>{0, 0, 1, 2, 0, 0, 3, 4}, 1, 8);
  EXPECT_EQ(c.metadata[0], 0xDu);
  EXPECT_EQ(c.values, (std::vector<int>{1, 2, 3, 4}));
}

TEST(StcNmFormat, InvalidDescriptorsAreRejected) {
  const NmFormat f = nvidia_nm_format(dt("fp16"));
  // 0b0101 (indices 1, 1) and 0b0001 (1, 0: descending) are undefined in mma.sp.
  EXPECT_THROW(nm_validate_metadata(f, {0x5u}, 1, 1), InputError);
  EXPECT_THROW(nm_validate_metadata(f, {0x1u}, 1, 1), InputError);
  EXPECT_NO_THROW(nm_validate_metadata(f, {0xDu}, 1, 1));
  EXPECT_THROW(nm_validate_metadata(nvidia_nm_format(dt("tf32")), {0x5u}, 1, 1), InputError);
  EXPECT_NO_THROW(nm_validate_metadata(nvidia_nm_format(dt("tf32")), {0xEu}, 1, 1));
}

TEST(StcNmFormat, RoundTripAllLayouts) {
  const int64_t rows = 16, cols = 72;  // 72 is not a multiple of 8 or 16: exercises padding
  for (const NmFormat& f : {nvidia_nm_format(dt("fp16")), nvidia_nm_format(dt("tf32")), nvidia_nm_format(dt("int4")),
                            generic_nm_format(1, 4, dt("int8")), generic_nm_format(2, 8, dt("int8")),
                            generic_nm_format(4, 8, dt("int8"))}) {
    const auto w = random_matrix<int32_t>(rows, cols, -9, 9, 7);
    const NmMatrix<int32_t> c = nm_prune_and_compress(f, w, rows, cols);
    nm_validate_metadata(f, c.metadata, rows, c.groups_per_row);
    const std::vector<int32_t> d = nm_decompress(c);
    EXPECT_TRUE(nm_conforms(f, nm_detail::nonzero_mask(d), rows, cols)) << f.name;
    // Recompressing the decompressed tensor gives back the same bits.
    const NmMatrix<int32_t> again = nm_compress(f, d, rows, cols);
    EXPECT_EQ(again.metadata, c.metadata) << f.name;
    // Every surviving value is the original one.
    for (size_t i = 0; i < d.size(); ++i)
      if (d[i] != 0) EXPECT_EQ(d[i], w[i]) << f.name;
  }
}

TEST(StcNmFormat, SparseMmaEqualsDenseMmaOnPrunedMatrixBitExact) {
  // m16n8k32 (s8 mma.sp shape) and a larger 64 x 48 x 128 product; int8 operands, int32 accumulators.
  struct Case {
    NmFormat f;
    int64_t m, n, k;
    int lo, hi;
  };
  const std::vector<Case> cases = {
      {nvidia_nm_format(dt("int8")), 16, 8, 32, -128, 127},
      {nvidia_nm_format(dt("int8")), 64, 48, 128, -128, 127},
      {nvidia_nm_format(dt("int4")), 16, 8, 64, -8, 7},
      {generic_nm_format(2, 8, dt("int8")), 32, 16, 96, -128, 127},
      {generic_nm_format(1, 4, dt("int8")), 32, 16, 96, -128, 127},
  };
  uint32_t seed = 11;
  for (const Case& c : cases) {
    const auto a = random_matrix<int8_t>(c.m, c.k, c.lo, c.hi, seed++);
    const auto b = random_matrix<int8_t>(c.k, c.n, c.lo, c.hi, seed++);
    const auto acc = random_matrix<int32_t>(c.m, c.n, -1000, 1000, seed++);
    const NmMatrix<int8_t> sa = nm_prune_and_compress(c.f, a, c.m, c.k);
    const auto sparse = sparse_mma(sa, b, c.n, acc);
    const auto dense = dense_mma(nm_decompress(sa), c.m, c.k, b, c.n, acc);
    EXPECT_EQ(sparse, dense) << c.f.name;
    // The pruned product differs from the unpruned one: the test would notice a no-op prune.
    EXPECT_NE(sparse, dense_mma(a, c.m, c.k, b, c.n, acc)) << c.f.name;
  }
}

}  // namespace
}  // namespace accsim
