// The inline `gemm:` workload form and prune specs (docs/trace-format.md, "The inline form").
#include <gtest/gtest.h>

#include "sim/workload/trace.hpp"
#include "tests/unit/test_support.hpp"

namespace accsim {
namespace {

using test::input_error;

TEST(InlineSpec, MinimalGemm) {
  const Workload w = load_workload("gemm:m=12,n=34,k=56");
  ASSERT_EQ(w.layers.size(), 1u);
  const Layer& l = w.layers[0];
  EXPECT_EQ(l.m, 12); EXPECT_EQ(l.n, 34); EXPECT_EQ(l.k, 56);
  EXPECT_EQ(l.weights.dtype.name, "int8");
  EXPECT_EQ(l.activations.dtype.name, "int8");
  EXPECT_EQ(l.accumulators.dtype.name, "int32");
  EXPECT_TRUE(l.weights.compression.is_dense());
  EXPECT_EQ(layer_macs(l), 12 * 34 * 56);
}

TEST(InlineSpec, AllKeys) {
  const Layer l = load_workload("gemm:m=2,n=3,k=4,batch=5,dtype=fp16,acc=fp16,seed=9,prune=nm:2:4").layers[0];
  EXPECT_EQ(l.batch, 5);
  EXPECT_EQ(layer_macs(l), 2 * 3 * 4 * 5);
  EXPECT_EQ(l.weights.dtype.name, "fp16");
  EXPECT_EQ(l.accumulators.dtype.name, "fp16");
  EXPECT_EQ(l.weights.compression.seed, 9u);
  EXPECT_EQ(l.weights.compression.pattern, SparsityPattern::NM);
  const Layer f = load_workload("gemm:m=1,n=1,k=1,dtype=bf16").layers[0];
  EXPECT_EQ(f.accumulators.dtype.name, "fp32");  // float operands accumulate in fp32 by default
}

TEST(InlineSpec, MixedBitWidths) {
  const Layer l = load_workload("gemm:m=1,n=1,k=1,wbits=3,abits=6").layers[0];
  EXPECT_EQ(l.weights.dtype.name, "int3");
  EXPECT_EQ(l.activations.dtype.name, "int6");
  EXPECT_EQ(l.outputs.dtype.name, "int6");
}

TEST(InlineSpec, PruneForms) {
  const SourceLocation at{"--workload", 0, "x"};
  const Compression bank = parse_prune_spec("bank:64:0.875", at);
  EXPECT_EQ(bank.pattern, SparsityPattern::BankBalanced); EXPECT_EQ(bank.bank_size, 64); EXPECT_DOUBLE_EQ(bank.density, 0.125);
  const Compression un = parse_prune_spec("unstructured:0.9", at);
  EXPECT_EQ(un.pattern, SparsityPattern::Unstructured); EXPECT_NEAR(un.density, 0.1, 1e-12);
  const Compression block = parse_prune_spec("block:4x2:0.75", at);
  EXPECT_EQ(block.block_rows, 4); EXPECT_EQ(block.block_cols, 2); EXPECT_DOUBLE_EQ(block.density, 0.25);
  EXPECT_TRUE(parse_prune_spec("dense", at).is_dense());
}

TEST(InlineSpecErrors, EachMalformedFormNamesTheSpec) {
  struct Case { const char* spec; const char* reason; };
  const Case cases[] = {
      {"conv:m=1", "inline workloads have the form gemm:"},
      {"gemm:m=1,n=2", "missing k="},
      {"gemm:m=1,n=2,k=3,q=4", "unknown key 'q'"},
      {"gemm:m=1,n=2,k=3,m=4", "key 'm' given twice"},
      {"gemm:m=1,n=2,k", "expected key=value, got 'k'"},
      {"gemm:m=1,n=2,k=", "expected key=value, got 'k='"},
      {"gemm:m=0,n=2,k=3", "m must be a positive integer, got '0'"},
      {"gemm:m=-1,n=2,k=3", "m must be a positive integer, got '-1'"},
      {"gemm:m=1.5,n=2,k=3", "m must be a positive integer, got '1.5'"},
      {"gemm:m=1,n=2,k=3,dtype=int7", "unknown dtype 'int7'"},
      {"gemm:m=1,n=2,k=3,wbits=64", "bit widths above 32 are not supported"},
      {"gemm:m=1,n=2,k=3,acc=foo", "unknown accumulator dtype 'foo'"},
      {"gemm:m=1,n=2,k=3,prune=nm:4:2", "N:M sparsity needs 0 < N < M (got 4:2)"},
      {"gemm:m=1,n=2,k=3,prune=nm:2", "malformed prune spec 'nm:2'"},
      {"gemm:m=1,n=2,k=3,prune=bank:x:0.5", "bank size must be an integer, got 'x'"},
      {"gemm:m=1,n=2,k=3,prune=unstructured:lots", "sparsity must be a number, got 'lots'"},
      {"gemm:m=1,n=2,k=3,prune=unstructured:1", "density must be in (0, 1]"},
      {"gemm:m=1,n=2,k=3,prune=block:4:0.5", "block size must be RxC, got '4'"},
      {"gemm:m=1,n=2,k=3,prune=bank:0:0.5", "bank size must be positive"},
  };
  for (const Case& c : cases) {
    const std::string msg = input_error([&] { load_workload(c.spec); });
    EXPECT_ERROR_HAS(msg, std::string("--workload: ") + c.spec + ": ");
    EXPECT_ERROR_HAS(msg, c.reason);
  }
}

}  // namespace
}  // namespace accsim
