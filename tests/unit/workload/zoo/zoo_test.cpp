// Network zoo shapes against published parameter and MAC counts. The zoo counts conv/linear weight
// parameters only (no biases, batch-norm or layer-norm parameters, no embedding tables), so each
// published total is reduced by those, with the arithmetic written out beside it.
#include <gtest/gtest.h>

#include "sim/workload/zoo/zoo.hpp"
#include "tests/unit/test_support.hpp"

namespace accsim {
namespace {

ZooNetwork net(const std::string& name, ZooOptions o = {}) { return build_network(name, o); }

TEST(Zoo, SmallCnnByHand) {
  // conv1 3->8 3x3: 216 weights, 32*32 outputs x 8 x 27 = 221,184 MACs; conv2 8->16 3x3 on 16x16:
  // 1,152 weights, 256 x 16 x 72 = 294,912 MACs; fc 16*8*8=1024 -> 10: 10,240 weights and MACs.
  const ZooNetwork n = net("small-cnn");
  EXPECT_EQ(network_params(n), 216 + 1152 + 10240);
  EXPECT_EQ(network_macs(n.workload), 221184 + 294912 + 10240);
}

TEST(Zoo, ResNet18MatchesTorchvision) {
  // torchvision resnet18: 11,689,512 parameters (docs.pytorch.org/vision/stable/models, "Params").
  // Batch-norm: 2 x (64 stem + 4x64 + 4x128+128 + 4x256+256 + 4x512+512 channels = 4,800) = 9,600;
  // fc bias 1,000. Weights: 11,689,512 - 9,600 - 1,000 = 11,678,912.
  const ZooNetwork n = net("resnet18");
  EXPECT_EQ(network_params(n), 11678912);
  // Published 1.81 GFLOPS (torchvision counts multiply-adds) and 1.8e9 FLOPs in He et al. Table 1.
  EXPECT_NEAR(static_cast<double>(network_macs(n.workload)), 1.81e9, 0.005e9);
}

TEST(Zoo, ResNet50MatchesTorchvision) {
  // torchvision resnet50: 25,557,032 parameters, 4.09 GFLOPS (multiply-adds). Batch-norm channels:
  // 64 + (3x384+256) + (4x768+512) + (6x1536+1024) + (3x3072+2048) = 26,560 -> 53,120 parameters;
  // fc bias 1,000: 25,557,032 - 53,120 - 1,000 = 25,502,912.
  const ZooNetwork n = net("resnet50");
  EXPECT_EQ(network_params(n), 25502912);
  EXPECT_NEAR(static_cast<double>(network_macs(n.workload)), 4.09e9, 0.005e9);
}

TEST(Zoo, Vgg16MatchesTorchvision) {
  // torchvision vgg16: 138,357,544 parameters, 15.47 GFLOPS. Conv biases 2x64+2x128+3x256+6x512 =
  // 4,224, fc biases 4096+4096+1000 = 9,192: 138,357,544 - 13,416 = 138,344,128.
  const ZooNetwork n = net("vgg16");
  EXPECT_EQ(network_params(n), 138344128);
  EXPECT_NEAR(static_cast<double>(network_macs(n.workload)), 15.47e9, 0.005e9);
}

TEST(Zoo, MobileNetV1MatchesPaper) {
  // Howard et al. 2017 Table 4/6: 1.0 MobileNet-224 569M mult-adds, 4.2M parameters;
  // 0.50 MobileNet-224 149M mult-adds, 1.3M parameters (fc bias and BN excluded here, < 0.1%).
  const ZooNetwork full = net("mobilenetv1");
  EXPECT_NEAR(static_cast<double>(network_macs(full.workload)), 569e6, 1e6);
  EXPECT_NEAR(static_cast<double>(network_params(full)), 4.2e6, 0.05e6);
  ZooOptions half;
  half.width = 0.5;
  const ZooNetwork h = net("mobilenetv1", half);
  EXPECT_NEAR(static_cast<double>(network_macs(h.workload)), 149e6, 1e6);
  EXPECT_NEAR(static_cast<double>(network_params(h)), 1.3e6, 0.05e6);
}

TEST(Zoo, MobileNetV2MatchesTorchvision) {
  // torchvision mobilenet_v2: 3,504,872 parameters; Sandler et al. Table 3: 300M multiply-adds.
  // BN channels: 32 stem + (32+16) first block + 12 x 1,184 (expand+dw of the t=6 blocks, sum of their
  // inputs 1,184) + 1,488 (their outputs) + 1,280 last conv = 17,056 -> 34,112; fc bias 1,000:
  // 3,504,872 - 34,112 - 1,000 = 3,469,760.
  const ZooNetwork n = net("mobilenetv2");
  EXPECT_EQ(network_params(n), 3469760);
  EXPECT_NEAR(static_cast<double>(network_macs(n.workload)), 300e6, 1e6);
}

TEST(Zoo, BertBaseMatchesHuggingFace) {
  // bert-base-uncased: 109,482,240 parameters = embeddings 30522x768 + 512x768 + 2x768 (23,835,648)
  // + encoder biases and layer norms 12 x 9,984 (119,808) + embedding LN 1,536 + pooler 590,592
  // + encoder weight matrices. So the encoder GEMM weights are 84,934,656 = 12 x (4x768^2 + 2x768x3072).
  const ZooNetwork n = net("bert-base");
  EXPECT_EQ(network_params(n), 109482240 - 23835648 - 119808 - 1536 - 590592);
  // MACs at 128 tokens: 128 x weights + 12 layers x 2 attention matmuls x 128^2 x 768.
  EXPECT_EQ(network_macs(n.workload), int64_t{128} * 84934656 + int64_t{12} * 2 * 128 * 128 * 768);
}

TEST(Zoo, BertLargeMatchesHuggingFace) {
  // bert-large-uncased: 335,141,888 = embeddings 31,780,864 + biases/LN 24 x 13,312 (319,488)
  // + embedding LN 2,048 + pooler 1,049,600 + encoder weights 24 x (4x1024^2 + 2x1024x4096).
  ZooOptions o;
  o.seq_len = 384;
  const ZooNetwork n = net("bert-large", o);
  EXPECT_EQ(network_params(n), 335141888 - 31780864 - 319488 - 2048 - 1049600);
  EXPECT_EQ(network_macs(n.workload), int64_t{384} * 301989888 + int64_t{24} * 2 * 384 * 384 * 1024);
}

TEST(Zoo, Gpt2SmallMatchesHuggingFace) {
  // HF gpt2: 124,439,808 = wte 50257x768 (38,597,376) + wpe 1024x768 (786,432) + biases/LN
  // 12 x 9,984 + final LN 1,536 + block weights 84,934,656. The LM head reuses wte: its GEMM runs,
  // its parameters are wte's, so the zoo counts 84,934,656 + 38,597,376.
  ZooOptions o;
  o.mode = "decode";
  o.context = 1023;
  const ZooNetwork d = net("gpt2-small", o);
  EXPECT_EQ(network_params(d), 124439808 - 786432 - 12 * 9984 - 1536);
  // One token: every weight once, plus per layer 2 matmuls of 1 x 1024 keys x 768 (all heads).
  EXPECT_EQ(network_macs(d.workload), int64_t{84934656} + 38597376 + int64_t{12} * 2 * 1024 * 768);
  o.mode = "prefill";
  o.seq_len = 64;
  const ZooNetwork p = net("gpt2-small", o);
  EXPECT_EQ(network_macs(p.workload), int64_t{64} * (84934656 + 38597376) + int64_t{12} * 2 * 64 * 64 * 768);
  o.context = 2000;
  o.mode = "decode";
  // Beyond n_ctx = 1024: 2000 cached + 1 new token.
  EXPECT_EQ(test::input_error([&] { net("gpt2-small", o); }),
            "gpt2-small attends over at most 1024 positions (n_ctx), asked for 2001");
}

TEST(Zoo, AlbertBaseSharesLayers) {
  // HF albert-base-v2: 11,683,584 = embeddings 30000x128 + 512x128 + 2x128 (3,905,792) + emb LN 256
  // + projection bias 768 + one layer's biases/LN 9,984 + pooler 590,592 + projection 128x768 (98,304)
  // + one shared layer's weights 7,077,888.
  const ZooNetwork n = net("albert-base");
  EXPECT_EQ(network_params(n), 11683584 - 3905792 - 256 - 768 - 9984 - 590592);
  EXPECT_EQ(network_params(n), 98304 + 7077888);
  EXPECT_EQ(n.shares_weights_of.at("layer11.ffn.up"), "layer0.ffn.up");
}

TEST(Zoo, LstmLmMatchesZaremba) {
  // Zaremba et al. 2014: the large PTB model has 66M parameters = embedding 10k x 1500 (15M)
  // + 2 LSTM layers of 4 x 1500 x (1500+1500) (18M each) + softmax 1500 x 10k (15M), biases aside.
  const ZooNetwork n = net("lstm-lm");
  EXPECT_EQ(network_params(n) + 15000000, 66000000);
  EXPECT_EQ(network_macs(n.workload), int64_t{35} * (2 * 18000000 + 15000000));
}

TEST(Zoo, DepthMultiplierAndErrors) {
  ZooOptions o;
  o.depth = 0.5;  // a 6-layer student of BERT-base (DistilBERT's depth)
  EXPECT_EQ(network_params(net("bert-base", o)), 6 * 7077888);
  EXPECT_ERROR_HAS(test::input_error([&] { net("no-such-net"); }), "unknown network 'no-such-net' (known: albert-base, ");
  o.depth = 1;
  o.mode = "decode";
  // Decode runs one token against the cache: far fewer MACs than the 128-token prefill.
  ZooOptions prefill;
  prefill.mode = "prefill";
  EXPECT_LT(network_macs(net("gpt2-small", o).workload) * 64, network_macs(net("gpt2-small", prefill).workload));
  o.mode = "sideways";
  EXPECT_EQ(test::input_error([&] { net("gpt2-small", o); }), "--mode must be prefill or decode for gpt2-small");
  // An option the network does not read is an error, not silently ignored.
  EXPECT_EQ(test::input_error([&] { net("resnet50", o); }), "network resnet50 does not take --mode");
  ZooOptions seq;
  seq.seq_len = 64;
  EXPECT_EQ(test::input_error([&] { net("vgg16", seq); }), "network vgg16 does not take --seq-len");
  ZooOptions img;
  img.image = 64;
  EXPECT_EQ(test::input_error([&] { net("bert-base", img); }), "network bert-base does not take --image");
  // ResNet-18 takes --image: its stem convolution sees 64 x 64 pixels.
  const ZooNetwork small = net("resnet18", img);
  EXPECT_EQ(small.workload.layers.front().in_h, 64);
  EXPECT_EQ(small.workload.layers.front().in_w, 64);
}

}  // namespace
}  // namespace accsim
