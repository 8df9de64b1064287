// ResNet-18 and ResNet-50 (He et al., CVPR 2016, Table 1) as torchvision builds them ("v1.5": the
// bottleneck's stride sits on its 3x3 conv), the form most released weights take.
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

namespace {

ZooNetwork resnet(const ZooOptions& o, bool bottleneck, const std::vector<int64_t>& blocks) {
  ZooNetwork net;
  net.source = "He et al. 2016 (arXiv 1512.03385) Table 1; torchvision resnet v1.5";
  NetBuilder b(net.workload, o.batch);
  const int64_t image = o.image ? o.image : 224;
  b.input(3, image, image);
  b.conv("conv1", scaled(64, o.width), 7, 2, 1, 3);
  b.pool(3, 2, 1);
  const int64_t expansion = bottleneck ? 4 : 1;
  for (size_t s = 0; s < blocks.size(); ++s) {
    const int64_t width = scaled(int64_t{64} << s, o.width);
    const int64_t n = scaled(blocks[s], o.depth);
    for (int64_t i = 0; i < n; ++i) {
      const std::string p = "layer" + std::to_string(s + 1) + "." + std::to_string(i) + ".";
      const int64_t stride = (i == 0 && s > 0) ? 2 : 1;
      const int64_t in_c = b.channels(), in_h = b.height();
      if (bottleneck) {
        b.conv(p + "conv1", width, 1);
        b.conv(p + "conv2", width, 3, stride);
        b.conv(p + "conv3", width * expansion, 1);
      } else {
        b.conv(p + "conv1", width, 3, stride);
        b.conv(p + "conv2", width, 3);
      }
      if (stride != 1 || in_c != width * expansion) {
        const int64_t out_h = b.height();
        b.set_shape(in_c, in_h, in_h);
        b.conv(p + "downsample.0", width * expansion, 1, stride);  // torchvision: downsample = Sequential(conv, bn)
        b.set_shape(width * expansion, out_h, out_h);
      }
    }
  }
  b.global_pool();
  b.linear("fc", o.batch, b.channels(), 1000);
  return net;
}

const ZooRegistrar r18("resnet18", "ResNet-18, 224x224 ImageNet (basic blocks 2-2-2-2)",
                       [](const ZooOptions& o) { return resnet(o, false, {2, 2, 2, 2}); });
const ZooRegistrar r50("resnet50", "ResNet-50, 224x224 ImageNet (bottlenecks 3-4-6-3, torchvision v1.5)",
                       [](const ZooOptions& o) { return resnet(o, true, {3, 4, 6, 3}); });

}  // namespace
}  // namespace accsim
