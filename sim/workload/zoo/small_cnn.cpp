// A small CNN for tests: shapes chosen so every count can be checked by hand.
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

namespace {

ZooNetwork small_cnn(const ZooOptions& o) {
  ZooNetwork net;
  net.source = "accsim test network: conv3x3(3->8) pool conv3x3(8->16) pool fc(1024->10) on 32x32";
  NetBuilder b(net.workload, o.batch);
  const int64_t image = o.image ? o.image : 32;
  b.input(3, image, image);
  b.conv("conv1", scaled(8, o.width), 3);
  b.pool(2, 2);
  b.conv("conv2", scaled(16, o.width), 3);
  b.pool(2, 2);
  b.linear("fc", o.batch, b.channels() * b.height() * b.height(), 10);
  return net;
}

const ZooRegistrar r("small-cnn", "tiny CNN for tests (2 convs + fc, 32x32 input)", small_cnn);

}  // namespace
}  // namespace accsim
