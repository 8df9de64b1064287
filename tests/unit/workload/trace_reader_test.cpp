// Trace format v1 (docs/trace-format.md): what each op lowers to, and one-line errors.
#include <gtest/gtest.h>

#include "sim/workload/trace.hpp"
#include "sim/workload/trace_writer.hpp"
#include "tests/unit/test_support.hpp"

namespace accsim {
namespace {

using test::input_error;
using test::write_temp;

const std::string kHead = "format: accsim-trace\nversion: 1\n";

Workload read(const std::string& layers_yaml, const std::string& extra_top = "") {
  return read_trace_file(write_temp("t.yaml", kHead + extra_top + "layers:\n" + layers_yaml));
}

std::string read_error(const std::string& layers_yaml, const std::string& extra_top = "") {
  return input_error([&] { read(layers_yaml, extra_top); });
}

TEST(TraceReader, ConvLowersThroughIm2col) {
  // 56x56x64 -> 3x3, pad 1, stride 2 -> 28x28x128: M = 28*28, N = 128, K = 64*9.
  const Workload w = read("  - {name: c, op: conv2d, in_channels: 64, in_h: 56, in_w: 56, out_channels: 128,"
                          " kernel: 3, stride: 2, padding: 1}\n");
  ASSERT_EQ(w.layers.size(), 1u);
  const GemmShape g = lower_to_gemm(w.layers[0]);
  EXPECT_EQ(g.m, 28 * 28);
  EXPECT_EQ(g.n, 128);
  EXPECT_EQ(g.k, 64 * 9);
  EXPECT_EQ(g.instances, 1);
  EXPECT_EQ(w.name, "t");  // default: the file stem
}

TEST(TraceReader, DepthwiseIsOneInstancePerGroup) {
  // groups = channels = 32: 32 GEMMs of M = 112*112 (pad 1, stride 1), N = 1, K = 9.
  const Workload w = read("  - {op: conv2d, in_channels: 32, in_h: 112, in_w: 112, out_channels: 32,"
                          " kernel: 3, padding: 1, groups: 32}\n");
  const GemmShape g = lower_to_gemm(w.layers[0]);
  EXPECT_EQ(g.instances, 32);
  EXPECT_EQ(g.m, 112 * 112);
  EXPECT_EQ(g.n, 1);
  EXPECT_EQ(g.k, 9);
  EXPECT_EQ(layer_macs(w.layers[0]), 112 * 112 * 32 * 9);
}

TEST(TraceReader, RectangularKernelDilationAndPairs) {
  // 10x20 input, kernel [3, 5], dilation [2, 1], padding [0, 2], stride [1, 3]:
  // out_h = (10 - 2*2 - 1)/1 + 1 = 6; out_w = (20 + 4 - 4 - 1)/3 + 1 = 7.
  const Workload w = read("  - {op: conv2d, in_channels: 4, in_h: 10, in_w: 20, out_channels: 8,"
                          " kernel: [3, 5], dilation: [2, 1], padding: [0, 2], stride: [1, 3]}\n");
  EXPECT_EQ(w.layers[0].out_h(), 6);
  EXPECT_EQ(w.layers[0].out_w(), 7);
  EXPECT_EQ(lower_to_gemm(w.layers[0]).k, 4 * 3 * 5);
}

TEST(TraceReader, LinearMatmulLstmGru) {
  const Workload w = read(
      "  - {op: linear, tokens: 128, in_features: 768, out_features: 3072}\n"
      "  - {op: matmul, batch: 12, m: 128, k: 64, n: 128}\n"
      "  - {op: lstm, input_size: 100, hidden_size: 200, steps: 5}\n"
      "  - {op: gru, input_size: 100, hidden_size: 200}\n"
      "  - {op: gemm, m: 3, n: 4, k: 5, repeat: 6}\n");
  const GemmShape lin = lower_to_gemm(w.layers[0]);
  EXPECT_EQ(lin.m, 128); EXPECT_EQ(lin.n, 3072); EXPECT_EQ(lin.k, 768); EXPECT_FALSE(lin.b_is_activation);
  const GemmShape mm = lower_to_gemm(w.layers[1]);
  EXPECT_TRUE(mm.b_is_activation); EXPECT_EQ(mm.instances, 12); EXPECT_EQ(mm.macs(), 12 * 128 * 64 * 128);
  const GemmShape lstm = lower_to_gemm(w.layers[2]);
  // 4 gates x 200 units over [x_t (100), h_{t-1} (200)], 5 dependent steps.
  EXPECT_EQ(lstm.n, 800); EXPECT_EQ(lstm.k, 300); EXPECT_EQ(lstm.m, 1); EXPECT_EQ(lstm.sequential_steps, 5);
  EXPECT_EQ(lower_to_gemm(w.layers[3]).n, 600);  // GRU: 3 gates
  EXPECT_EQ(w.layers[4].repeat, 6);
  EXPECT_EQ(w.layers[4].name, "layer4");
}

TEST(TraceReader, TensorDefaultsAndOverrides) {
  const Workload w = read(
      "  - {op: gemm, m: 1, n: 1, k: 1}\n"
      "  - {op: gemm, m: 1, n: 1, k: 1, weights: {bits: 4}, accumulators: {dtype: int16}}\n",
      "defaults:\n  activations: {dtype: fp16}\n  weights: {dtype: fp16}\n");
  EXPECT_EQ(w.layers[0].weights.dtype.name, "fp16");
  EXPECT_EQ(w.layers[0].outputs.dtype.name, "int8");        // not in defaults: built-in int8
  EXPECT_EQ(w.layers[0].accumulators.dtype.name, "fp32");   // follows the float activations
  EXPECT_EQ(w.layers[1].weights.dtype.name, "int4");
  EXPECT_EQ(w.layers[1].accumulators.dtype.name, "int16");
}

TEST(TraceReader, ActivationZeroFraction) {
  // A layer's own activation map keeps the defaults' format and adds the measured zeros.
  const Workload w = read("  - {op: gemm, m: 1, n: 1, k: 1}\n"
                          "  - {op: gemm, m: 1, n: 1, k: 1, activations: {zero_fraction: 0.387}}\n",
                          "defaults:\n  activations: {bits: 16}\n");
  EXPECT_DOUBLE_EQ(w.layers[0].activations.zero_fraction, 0.0);
  EXPECT_DOUBLE_EQ(w.layers[1].activations.zero_fraction, 0.387);
  EXPECT_EQ(w.layers[1].activations.dtype.name, "int16");
  // `accsim trace` writes it back (trace_writer.cpp), so a rewritten trace keeps it.
  PassLayer p;
  p.layer = w.layers[1];
  const Workload back = read(layer_yaml(p, "", ""));
  EXPECT_DOUBLE_EQ(back.layers[0].activations.zero_fraction, 0.387);
}

TEST(TraceReader, CompressionForms) {
  const Workload w = read(
      "  - {op: gemm, m: 8, n: 8, k: 8, weights: {compression: {pattern: nm, n: 2, m: 4}}}\n"
      "  - {op: gemm, m: 8, n: 8, k: 8, weights: {compression: {pattern: bank, bank_size: 4, sparsity: 0.75, seed: 3}}}\n"
      "  - {op: gemm, m: 8, n: 8, k: 8, weights: {compression: {pattern: block, block_rows: 2, block_cols: 4, sparsity: 0.5}}}\n");
  const Compression& nm = w.layers[0].weights.compression;
  EXPECT_EQ(nm.pattern, SparsityPattern::NM); EXPECT_EQ(nm.nm_n, 2); EXPECT_EQ(nm.nm_m, 4); EXPECT_DOUBLE_EQ(nm.density, 0.5);
  const Compression& bank = w.layers[1].weights.compression;
  EXPECT_EQ(bank.bank_size, 4); EXPECT_DOUBLE_EQ(bank.density, 0.25); EXPECT_EQ(bank.seed, 3u);
  const Compression& block = w.layers[2].weights.compression;
  EXPECT_EQ(block.block_rows, 2); EXPECT_EQ(block.block_cols, 4);
}

// Every error names the file, the line and the key path.
TEST(TraceReaderErrors, UnknownKeyOfAnotherOp) {
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4, kernel: 3}\n"), "t.yaml:4: layers[0].kernel: unknown key");
}

TEST(TraceReaderErrors, UnknownTopLevelKey) {
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4}\n", "colour: red\n"), "t.yaml:3: colour: unknown key");
}

TEST(TraceReaderErrors, HeaderChecks) {
  EXPECT_ERROR_HAS(input_error([] { read_trace_file(write_temp("a.yaml", "version: 1\nlayers: []\n")); }),
                   "a.yaml:1: format: required key is missing");
  EXPECT_ERROR_HAS(input_error([] { read_trace_file(write_temp("b.yaml", "format: accsim-trace\nversion: 2\nlayers: []\n")); }),
                   "b.yaml:2: version: unsupported trace version 2");
  EXPECT_ERROR_HAS(read_error("  []\n"), "layers: a workload needs at least one layer");
  EXPECT_ERROR_HAS(input_error([] { read_trace_file(write_temp("c.yaml", kHead + "layers: {a: 1}\n")); }),
                   "c.yaml:3: layers: expected a list of layers");
  EXPECT_ERROR_HAS(read_error("  - 3\n"), "t.yaml:4: layers[0]: expected a map");
}

TEST(TraceReader, ValueDistributionsPerTensor) {
  const Workload w = read("  - {op: linear, tokens: 4, in_features: 8, out_features: 8,"
                          " weights: {dtype: fp16, values: \"int:0:9\"}, activations: {dtype: fp16, values: zeros}}\n"
                          "  - {op: linear, tokens: 4, in_features: 8, out_features: 8}\n",
                          "defaults: {activations: {values: rand}}\n");
  EXPECT_EQ(w.layers[0].weights.values.name(), "int:0:9");
  EXPECT_EQ(w.layers[0].activations.values.name(), "zeros");
  EXPECT_EQ(w.layers[1].weights.values.name(), "randn");  // the default
  EXPECT_EQ(w.layers[1].activations.values.name(), "rand");  // from defaults
  // `accsim trace` writes them back (trace_writer.cpp), next to a zero fraction.
  PassLayer p;
  p.layer = w.layers[0];
  p.layer.activations.zero_fraction = 0.25;
  const Workload back = read(layer_yaml(p, "", ""));
  EXPECT_EQ(back.layers[0].weights.values.name(), "int:0:9");
  EXPECT_EQ(back.layers[0].activations.values.name(), "zeros");
  EXPECT_DOUBLE_EQ(back.layers[0].activations.zero_fraction, 0.25);
  EXPECT_ERROR_HAS(read_error("  - {op: linear, tokens: 4, in_features: 8, out_features: 8, activations: {values: normal}}\n"),
                   "t.yaml:4: layers[0].activations.values: unknown distribution 'normal' (known: randn, rand, zeros or int:LO:HI)");
  EXPECT_ERROR_HAS(read_error("  - {op: linear, tokens: 4, in_features: 8, out_features: 8, outputs: {values: zeros}}\n"),
                   "values");  // outputs take no distribution: an unknown key
}

TEST(TraceReaderErrors, BadValues) {
  EXPECT_ERROR_HAS(read_error("  - {op: conv3d}\n"), "t.yaml:4: layers[0].op: must be one of conv2d|linear|gemm|matmul|lstm|gru");
  EXPECT_ERROR_HAS(read_error("  - {op: conv2d, in_channels: 3, in_h: -3, in_w: 4, out_channels: 4}\n"),
                   "layers[0].in_h: must be > 0 (got -3)");
  EXPECT_ERROR_HAS(read_error("  - {op: conv2d, in_channels: 6, in_h: 8, in_w: 8, out_channels: 4, groups: 4}\n"),
                   "layers[0].groups: must divide in_channels and out_channels");
  EXPECT_ERROR_HAS(read_error("  - {op: conv2d, in_channels: 6, in_h: 3, in_w: 4, out_channels: 4, kernel: 5}\n"),
                   "layers[0].kernel: kernel larger than the padded input");
  EXPECT_ERROR_HAS(read_error("  - {op: conv2d, in_channels: 6, in_h: 8, in_w: 8, out_channels: 4, kernel: [3, 3, 3]}\n"),
                   "layers[0].kernel: expected [h, w]");
  EXPECT_ERROR_HAS(read_error("  - {op: conv2d, in_channels: 6, in_h: 8, in_w: 8, out_channels: 4, padding: -1}\n"),
                   "layers[0].padding: must be >= 0");
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4}\n"), "layers[0].k: required key is missing");
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4, repeat: 0}\n"), "layers[0].repeat: must be > 0");
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: four}\n"), "layers[0].k: expected an integer, got 'four'");
}

TEST(TraceReaderErrors, SecondLayerLineNumber) {
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4}\n"
                              "  - name: second\n"
                              "    op: gemm\n"
                              "    m: 0\n"),
                   "t.yaml:7: layers[1].m: must be > 0 (got 0)");
}

TEST(TraceReaderErrors, TensorErrors) {
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4, weights: {dtype: int7x}}\n"),
                   "layers[0].weights.dtype: unknown dtype 'int7x'");
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4, weights: {dtype: int8, bits: 4}}\n"),
                   "layers[0].weights.bits: give either dtype or bits, not both");
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4, weights: {bits: 40}}\n"),
                   "layers[0].weights.bits: must be within 1..32");
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4, activations: {compression: {pattern: dense}}}\n"),
                   "layers[0].activations.compression: unknown key");
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4, activations: {zero_fraction: 1}}\n"),
                   "layers[0].activations.zero_fraction: must be in [0, 1)");
  EXPECT_ERROR_HAS(read_error("  - {op: gemm, m: 4, n: 4, k: 4, weights: {zero_fraction: 0.5}}\n"),
                   "layers[0].weights.zero_fraction: unknown key");
}

TEST(TraceReaderErrors, CompressionErrors) {
  const std::string g = "  - {op: gemm, m: 4, n: 4, k: 4, weights: {compression: ";
  EXPECT_ERROR_HAS(read_error(g + "{pattern: nm, n: 4, m: 4}}}\n"), "N:M sparsity needs 0 < N < M (got 4:4)");
  EXPECT_ERROR_HAS(read_error(g + "{pattern: nm, n: 2, m: 4, sparsity: 0.9}}}\n"),
                   "layers[0].weights.compression.sparsity: N:M sparsity is set by n and m");
  EXPECT_ERROR_HAS(read_error(g + "{pattern: dense, sparsity: 0.5}}}\n"),
                   "layers[0].weights.compression.sparsity: a dense tensor has no sparsity");
  EXPECT_ERROR_HAS(read_error(g + "{pattern: unstructured, sparsity: 1.0}}}\n"), "density must be in (0, 1]");
  EXPECT_ERROR_HAS(read_error(g + "{pattern: bank, sparsity: 0.5}}}\n"),
                   "layers[0].weights.compression.bank_size: required key is missing");
  EXPECT_ERROR_HAS(read_error(g + "{pattern: unstructured, sparsity: 0.5, block_rows: 2}}}\n"),
                   "layers[0].weights.compression.block_rows: unknown key");
  EXPECT_ERROR_HAS(read_error(g + "{pattern: unstructured, sparsity: 0.5, mask_file: nope.bin}}}\n"),
                   "layers[0].weights.compression.mask_file: file not found");
  EXPECT_ERROR_HAS(read_error(g + "{pattern: striped}}}\n"), "compression.pattern: must be one of");
}

TEST(TraceReaderErrors, MalformedYamlAndMissingFile) {
  const std::string path = write_temp("bad.yaml", kHead + "layers:\n  - {op: gemm, m: 4\n  - b\n");
  EXPECT_ERROR_HAS(input_error([&] { read_trace_file(path); }), "malformed YAML");
  EXPECT_ERROR_HAS(input_error([&] { read_trace_file(path); }), path + ":");
  EXPECT_EQ(input_error([] { load_workload("/nonexistent/net.yaml"); }), "/nonexistent/net.yaml: cannot open file");
}

}  // namespace
}  // namespace accsim
