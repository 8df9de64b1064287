// MobileNetV1 (Howard et al. 2017, Table 1) and MobileNetV2 (Sandler et al., CVPR 2018, Table 2).
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

namespace {

ZooNetwork mobilenet_v1(const ZooOptions& o) {
  ZooNetwork net;
  net.source = "Howard et al. 2017 (arXiv 1704.04861) Table 1 (the last dw layer is stride 1: 7x7 stays 7x7)";
  NetBuilder b(net.workload, o.batch);
  const int64_t image = o.image ? o.image : 224;
  b.input(3, image, image);
  // The width multiplier alpha thins every layer: channels int(alpha * c) (paper section 4.2).
  auto ch = [&](int64_t c) { return std::max<int64_t>(1, static_cast<int64_t>(c * o.width)); };
  b.conv("conv1", ch(32), 3, 2);
  const std::vector<std::pair<int64_t, int64_t>> layers = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1},
                                                           {512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1},
                                                           {512, 1}, {1024, 2}, {1024, 1}};
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string p = "block" + std::to_string(i + 1) + ".";
    b.depthwise(p + "dw", 3, layers[i].second);
    b.conv(p + "pw", ch(layers[i].first), 1);
  }
  b.global_pool();
  b.linear("fc", o.batch, b.channels(), 1000);
  return net;
}

ZooNetwork mobilenet_v2(const ZooOptions& o) {
  ZooNetwork net;
  net.source = "Sandler et al. 2018 (arXiv 1801.04381) Table 2; channel rounding as torchvision";
  NetBuilder b(net.workload, o.batch);
  const int64_t image = o.image ? o.image : 224;
  b.input(3, image, image);
  b.conv("conv1", make_divisible(32 * o.width), 3, 2);
  struct Row { int64_t t, c, n, s; };
  const std::vector<Row> rows = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                                 {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  int block = 0;
  for (const Row& r : rows) {
    const int64_t out = make_divisible(static_cast<double>(r.c) * o.width);
    const int64_t n = scaled(r.n, o.depth);
    for (int64_t i = 0; i < n; ++i, ++block) {
      const std::string p = "block" + std::to_string(block + 1) + ".";
      if (r.t != 1) b.conv(p + "expand", b.channels() * r.t, 1);
      b.depthwise(p + "dw", 3, i == 0 ? r.s : 1);
      b.conv(p + "project", out, 1);
    }
  }
  b.conv("conv_last", make_divisible(1280 * std::max(1.0, o.width)), 1);
  b.global_pool();
  b.linear("fc", o.batch, b.channels(), 1000);
  return net;
}

const ZooRegistrar r1("mobilenetv1", "MobileNetV1 1.0-224 (depthwise separable; --width = alpha)", mobilenet_v1);
const ZooRegistrar r2("mobilenetv2", "MobileNetV2 1.0-224 (inverted residuals; --width = alpha)", mobilenet_v2);

}  // namespace
}  // namespace accsim
