// `accsim trace` end to end in-process: side-file round trip, checksums, atomicity, pass laws.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "sim/workload/compress/quantize.hpp"
#include "sim/workload/side_file.hpp"
#include "sim/workload/trace.hpp"
#include "sim/app/trace_builder.hpp"

namespace accsim {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("accsim-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(TraceBuilder, SideFileMasksAreTheSeededMagnitudeMasks) {
  const fs::path d = temp_dir("roundtrip");
  TraceRequest r;
  r.network = "small-cnn";
  r.prune = "nm:2:4";
  r.quant = "int8";
  r.store_values = true;
  r.seed = 5;
  r.out = (d / "t.yaml").string();
  const TraceSummary s = write_trace(r);
  EXPECT_EQ(s.params_before, 11608);
  EXPECT_FALSE(s.side_file.empty());
  const Workload w = read_trace_file(r.out);
  ASSERT_EQ(w.layers.size(), 3u);
  const auto side = SideFile::open(s.side_file);
  for (const Layer& l : w.layers) {
    int64_t rows = 0, cols = 0;
    weight_shape(l, rows, cols);
    // What the hardware sees (through the side-file loader) is the magnitude mask of the seeded
    // synthetic weights: the same mask weight_mask() builds without a side file.
    const auto mask = weight_mask(l);
    const auto weights = synthetic_weights(rows, cols, synthetic_seed(5, l.name));
    EXPECT_EQ(mask->keep, prune_by_magnitude(weights, rows, cols, l.weights.compression, {}).keep) << l.name;
    Layer no_file = l;
    no_file.weights.compression.mask_file.clear();
    EXPECT_EQ(weight_mask(no_file)->keep, mask->keep) << l.name;
    EXPECT_EQ(l.weights.dtype.name, "int8");
    // Stored codes are the int8 quantization of the pruned weights.
    std::vector<float> pruned = weights;
    for (size_t i = 0; i < pruned.size(); ++i)
      if (!mask->keep[i]) pruned[i] = 0;
    DType i8;
    parse_dtype("int8", i8);
    const SideEntry* e = side->find(l.name);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(side->codes(*e), quantize(pruned, rows, cols, QuantSpec{i8, false, false}).codes);
    EXPECT_EQ(e->bits, 8);
  }
  fs::remove_all(d);
}

TEST(TraceBuilder, DeterministicAndChecksummed) {
  const fs::path d = temp_dir("determinism");
  TraceRequest r;
  r.network = "small-cnn";
  r.prune = "unstructured:0.7";
  r.prune_global = true;
  r.out = (d / "a.yaml").string();
  write_trace(r);
  r.out = (d / "b.yaml").string();
  write_trace(r);
  EXPECT_EQ(slurp(d / "a.weights.bin"), slurp(d / "b.weights.bin"));
  std::string a = slurp(d / "a.yaml"), b = slurp(d / "b.yaml");
  for (size_t p; (p = b.find("b.weights.bin")) != std::string::npos;) b.replace(p, 13, "a.weights.bin");
  EXPECT_EQ(a, b);
  // One flipped byte in the side file: the trace no longer reads.
  {
    std::fstream f(d / "a.weights.bin", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.put('\x55');
  }
  EXPECT_THROW(read_trace_file((d / "a.yaml").string()), InputError);
  // A truncated side file is rejected by its own reader too.
  fs::resize_file(d / "b.weights.bin", fs::file_size(d / "b.weights.bin") - 5);
  EXPECT_THROW(SideFile::open((d / "b.weights.bin").string()), InputError);
  fs::remove_all(d);
}

TEST(TraceBuilder, DepthwiseSeparableFollowsTheLaw) {
  // Howard et al. 2017 eq. (5): a k x k conv with N outputs, made depthwise separable, keeps
  // 1/N + 1/k^2 of its parameters and of its MACs.
  const fs::path d = temp_dir("dwsep");
  TraceRequest r;
  r.network = "vgg16";
  r.depthwise_separable = true;
  r.out = (d / "v.yaml").string();
  write_trace(r);
  const Workload before = build_network("vgg16", {}).workload, after = read_trace_file(r.out);
  int checked = 0;
  for (const Layer& l : before.layers) {
    if (l.op != OpKind::Conv2d) continue;
    const Layer *dw = nullptr, *pw = nullptr;
    for (const Layer& a : after.layers) {
      if (a.name == l.name + ".dw") dw = &a;
      if (a.name == l.name + ".pw") pw = &a;
    }
    ASSERT_TRUE(dw && pw) << l.name;
    const double law = 1.0 / static_cast<double>(l.out_channels) + 1.0 / 9.0;
    EXPECT_NEAR(static_cast<double>(layer_weight_count(*dw) + layer_weight_count(*pw)) / layer_weight_count(l), law, 1e-12);
    EXPECT_NEAR(static_cast<double>(layer_macs(*dw) + layer_macs(*pw)) / layer_macs(l), law, 1e-12);
    ++checked;
  }
  EXPECT_EQ(checked, 13);
  fs::remove_all(d);
}

TEST(TraceBuilder, StudentCountsStartFromTheTeacher) {
  // MobileNetV1 at width 0.5: before = the 1.0 network (4,209,088 weights), after = the 0.5 one
  // (1,319,648; Howard et al. Table 6 lists 1.3M).
  const fs::path d = temp_dir("student");
  TraceRequest r;
  r.network = "mobilenetv1";
  r.zoo.width = 0.5;
  r.out = (d / "m.yaml").string();
  const TraceSummary s = write_trace(r);
  EXPECT_EQ(s.params_before, 4209088);
  EXPECT_EQ(s.params_after, 1319648);
  EXPECT_NE(slurp(d / "m.yaml").find("pass: width_depth_multiplier, width: 0.5, depth: 1, params_after: 1319648"), std::string::npos);
  fs::remove_all(d);
}

TEST(TraceBuilder, LowRankSplitsOneGemmIntoTwo) {
  const fs::path d = temp_dir("lowrank");
  TraceRequest r;
  r.network = "bert-base";
  r.zoo.depth = 1.0 / 12;  // one encoder layer keeps the SVDs quick
  r.low_rank = "rank:64";
  r.low_rank_layers = "*ffn*";
  r.out = (d / "b.yaml").string();
  const TraceSummary s = write_trace(r);
  // Each 768x3072 FFN matrix (2,359,296 weights) becomes 64 x (768 + 3072) = 245,760.
  EXPECT_EQ(s.params_before, 12 * 7077888);  // before = the full 12-layer teacher
  EXPECT_EQ(s.params_after, 7077888 - 2 * (2359296 - 245760));
  const Workload w = read_trace_file(r.out);
  bool found = false;
  for (const Layer& l : w.layers)
    if (l.name == "layer0.ffn.up.svd_in") {
      found = true;
      EXPECT_EQ(l.n, 64);
      EXPECT_EQ(l.k, 768);
    }
  EXPECT_TRUE(found);
  // A rank above min(m, n) is impossible: an InputError, and nothing is written.
  r.network = "small-cnn";
  r.zoo.depth = 1;
  r.low_rank = "rank:9";
  r.low_rank_layers = "conv1";  // 8 x 27 weights
  r.out = (d / "bad.yaml").string();
  EXPECT_THROW(write_trace(r), InputError);
  EXPECT_FALSE(fs::exists(d / "bad.yaml"));
  EXPECT_FALSE(fs::exists(d / "bad.weights.bin"));
  fs::remove_all(d);
}

TEST(TraceBuilder, SharedWeightsShareTheirFactors) {
  // ALBERT's layers share weights: the energy-chosen rank is found once, on layer 0's matrix, and
  // reused by layer 1, whose factors are not counted again.
  const fs::path d = temp_dir("shared");
  TraceRequest r;
  r.network = "albert-base";
  r.zoo.depth = 2.0 / 12;
  r.low_rank = "energy:0.6";
  r.low_rank_layers = "*ffn.up";
  r.out = (d / "a.yaml").string();
  const TraceSummary s = write_trace(r);
  const Workload w = read_trace_file(r.out);
  const Layer *a0 = nullptr, *b0 = nullptr, *a1 = nullptr;
  for (const Layer& l : w.layers) {
    if (l.name == "layer0.ffn.up.svd_in") a0 = &l;
    if (l.name == "layer0.ffn.up.svd_out") b0 = &l;
    if (l.name == "layer1.ffn.up.svd_in") a1 = &l;
  }
  ASSERT_TRUE(a0 && b0 && a1);
  EXPECT_EQ(a1->n, a0->n);
  EXPECT_GT(a0->n, 0);
  EXPECT_LT(a0->n, 768);
  // before: projection + one layer; after: the 768x3072 up-projection replaced once by its factors.
  EXPECT_EQ(s.params_before, 98304 + 7077888);
  EXPECT_EQ(s.params_after, s.params_before - 768 * 3072 + layer_weight_count(*a0) + layer_weight_count(*b0));
  fs::remove_all(d);
}

TEST(TraceBuilder, ImpossiblePatternsFailBeforeWriting) {
  const fs::path d = temp_dir("impossible");
  TraceRequest r;
  r.network = "small-cnn";
  r.out = (d / "x.yaml").string();
  r.prune = "bank:16:0.5";  // conv1's rows are 27 long
  EXPECT_THROW(write_trace(r), InputError);
  r.prune = "nm:4:4";
  EXPECT_THROW(write_trace(r), InputError);
  r.prune = "nm:2:4";
  r.prune_global = true;  // global applies to unstructured only
  EXPECT_THROW(write_trace(r), InputError);
  r.prune_global = false;
  r.quant = "int32";
  EXPECT_THROW(write_trace(r), InputError);
  EXPECT_TRUE(fs::is_empty(d));
  // Exempting the first layer makes the bank size fit the rest (72 and 1024 are multiples of 8).
  r.quant.clear();
  r.prune = "bank:8:0.5";
  r.exempt_first = true;
  EXPECT_NO_THROW(write_trace(r));
  EXPECT_TRUE(read_trace_file(r.out).layers[0].weights.compression.is_dense());
  fs::remove_all(d);
}

TEST(TraceBuilder, MixedPrecisionAndPerChannelScales) {
  const fs::path d = temp_dir("mixed");
  TraceRequest r;
  r.network = "small-cnn";
  r.quant = "int8";
  r.per_channel = true;
  r.asymmetric = true;
  r.quant_layers = {{"fc", "int4"}, {"conv1", "none"}, {"conv*", "fp8_e4m3"}};  // last match wins
  r.prune = "nm:2:4";
  r.prune_layers = {{"conv*", "unstructured:0.25"}, {"conv1", "dense"}};
  r.store_values = true;
  r.out = (d / "m.yaml").string();
  const TraceSummary s = write_trace(r);
  const Workload w = read_trace_file(r.out);
  EXPECT_EQ(w.layers[0].weights.dtype.name, "fp8_e4m3");  // conv1: "none", then conv* = fp8
  EXPECT_EQ(w.layers[1].weights.dtype.name, "fp8_e4m3");
  EXPECT_EQ(w.layers[2].weights.dtype.name, "int4");
  EXPECT_TRUE(w.layers[0].weights.compression.is_dense());  // conv1: dense rule matched last
  EXPECT_EQ(w.layers[1].weights.compression.pattern, SparsityPattern::Unstructured);
  EXPECT_NEAR(w.layers[1].weights.compression.density, 0.75, 1e-6);
  EXPECT_EQ(w.layers[2].weights.compression.pattern, SparsityPattern::NM);
  const auto side = SideFile::open(s.side_file);
  const SideEntry* fc = side->find("fc");
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(fc->bits, 4);
  EXPECT_EQ(fc->value_kind, 1);
  EXPECT_EQ(fc->flags, 3);  // per-channel | asymmetric
  EXPECT_EQ(fc->scales.size(), 10u);  // one per output feature
  // Every stored int4 code dequantizes back near its weight (error below half a step); pruned
  // weights come back as exactly zero (their code is the zero point).
  const auto codes = side->codes(*fc);
  const WeightMask mask = side->mask(*fc);
  const auto weights = synthetic_weights(10, 1024, synthetic_seed(1, "fc"));
  for (int64_t row = 0; row < 10; ++row)
    for (int64_t c = 0; c < 1024; c += 7) {
      const auto q = static_cast<int8_t>(codes[static_cast<size_t>(row * 1024 + c)]);
      const double back = (q - fc->zero_points[static_cast<size_t>(row)]) * fc->scales[static_cast<size_t>(row)];
      const double want = mask.at(row, c) ? weights[static_cast<size_t>(row * 1024 + c)] : 0.0;
      EXPECT_NEAR(back, want, mask.at(row, c) ? 0.5001 * fc->scales[static_cast<size_t>(row)] : 0.0);
    }
  // Asymmetric ranges are for integers: the fp8 layers keep symmetric scaling.
  EXPECT_EQ(side->find("conv2")->flags, 1);
  EXPECT_EQ(side->find("conv2")->value_kind, 2);
  fs::remove_all(d);
}

TEST(InlineGemm, PruneUsesSeededSyntheticWeights) {
  // `gemm:...,prune=...` masks come from the seeded Laplace weights, so they are irregular and
  // reproducible, and a different seed gives a different mask.
  const Workload w = parse_inline_workload("gemm:m=8,n=64,k=128,prune=unstructured:0.75,seed=3");
  const Layer& l = w.layers[0];
  const auto mask = weight_mask(l);
  EXPECT_EQ(mask->keep, prune_by_magnitude(synthetic_weights(64, 128, synthetic_seed(3, "gemm")), 64, 128,
                                           l.weights.compression, {}).keep);
  EXPECT_EQ(mask->nonzeros(), 2048);
  int64_t lo = 128, hi = 0;
  for (int64_t r = 0; r < 64; ++r) {
    int64_t n = 0;
    for (int64_t c = 0; c < 128; ++c) n += mask->at(r, c);
    lo = std::min(lo, n);
    hi = std::max(hi, n);
  }
  EXPECT_LT(lo, hi);  // rows differ: unstructured sparsity is irregular
  const auto other = weight_mask(parse_inline_workload("gemm:m=8,n=64,k=128,prune=unstructured:0.75,seed=4").layers[0]);
  EXPECT_NE(mask->keep, other->keep);
}

}  // namespace
}  // namespace accsim
