// VGG-16 (Simonyan & Zisserman, ICLR 2015, configuration D): thirteen 3x3 convs and three FC layers.
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

namespace {

ZooNetwork vgg16(const ZooOptions& o) {
  ZooNetwork net;
  net.source = "Simonyan & Zisserman 2015 (arXiv 1409.1556) Table 1, config D";
  NetBuilder b(net.workload, o.batch);
  const int64_t image = o.image ? o.image : 224;
  b.input(3, image, image);
  const std::vector<std::vector<int64_t>> stages = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
  for (size_t s = 0; s < stages.size(); ++s) {
    for (size_t i = 0; i < stages[s].size(); ++i)
      b.conv("conv" + std::to_string(s + 1) + "_" + std::to_string(i + 1), scaled(stages[s][i], o.width), 3);
    b.pool(2, 2);
  }
  // torchvision pools adaptively to 7x7 before the classifier, whatever the input size.
  const int64_t flat = b.channels() * 7 * 7;
  b.linear("fc6", o.batch, flat, scaled(4096, o.width));
  b.linear("fc7", o.batch, scaled(4096, o.width), scaled(4096, o.width));
  b.linear("fc8", o.batch, scaled(4096, o.width), 1000);
  return net;
}

const ZooRegistrar r("vgg16", "VGG-16 (config D), 224x224 ImageNet", vgg16);

}  // namespace
}  // namespace accsim
