#pragma once
// Built-in networks with the layer shapes of the published models (`accsim trace --network NAME`).
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/core/registry.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

struct ZooOptions {
  int64_t batch = 1;
  int64_t seq_len = 0;     // transformers/LSTM: tokens; 0 = the network's default
  int64_t image = 0;       // CNNs: input height = width in pixels; 0 = the network's default
  std::string mode;        // gpt2-small: prefill (default) or decode
  int64_t context = 0;     // decoders: tokens already in the KV cache (decode default: seq_len)
  std::string kv_dtype;    // LLM decoders: KV-cache format; "" = the activation format
  double width = 1.0;      // width multiplier (channels/hidden sizes), for distilled students
  double depth = 1.0;      // depth multiplier (blocks per stage / encoder layers)
};

struct ZooNetwork {
  Workload workload;
  // Layers that reuse another layer's weights (ALBERT's shared encoder): name -> owner's name.
  std::map<std::string, std::string> shares_weights_of;
  std::string source;  // the paper or reference implementation the shapes follow
};

using ZooFactory = std::function<ZooNetwork(const ZooOptions&)>;
struct ZooInfo {
  std::string name, summary;
  ZooFactory build;
  std::set<std::string> options;  // which of image, seq_len, mode, context, kv_dtype the network takes
};

// `options`: the shape options the network reads beyond batch/width/depth; giving it another is
// an error rather than silently ignored.
struct ZooRegistrar {
  ZooRegistrar(const std::string& name, const std::string& summary, ZooFactory build,
               std::set<std::string> options = {"image"});
};
Registry<ZooInfo>& zoo_registry();
std::map<std::string, ZooInfo> zoo_networks();  // name -> network, sorted by name
// InputError for an unknown name or an option the network does not take.
ZooNetwork build_network(const std::string& name, const ZooOptions& opts);

// Unique weight parameters (shared layers counted once) and MACs of one inference.
int64_t network_params(const ZooNetwork& net);
int64_t network_macs(const Workload& w);

// Appends layers while tracking the activation shape, so a network reads like its paper's table.
class NetBuilder {
 public:
  explicit NetBuilder(Workload& w, int64_t batch) : w_(w), batch_(batch) {}
  // Sets the current activation shape (channels, height, width).
  void input(int64_t c, int64_t h, int64_t w) { c_ = c; h_ = h; w_px_ = w; }
  // A conv on the current activation; padding defaults to "same" ((k-1)/2).
  void conv(const std::string& name, int64_t out_c, int64_t k, int64_t stride = 1, int64_t groups = 1, int64_t pad = -1);
  void depthwise(const std::string& name, int64_t k, int64_t stride) { conv(name, c_, k, stride, c_); }
  void pool(int64_t k, int64_t stride, int64_t pad = 0);  // shape only: pooling has no MACs
  void global_pool() { h_ = w_px_ = 1; }
  void linear(const std::string& name, int64_t tokens, int64_t in, int64_t out);
  void matmul(const std::string& name, int64_t m, int64_t n, int64_t k, int64_t instances);
  void lstm(const std::string& name, int64_t input, int64_t hidden, int64_t steps);
  int64_t channels() const { return c_; }
  int64_t height() const { return h_; }
  void set_channels(int64_t c) { c_ = c; }
  void set_shape(int64_t c, int64_t h, int64_t w) { input(c, h, w); }

 private:
  Layer& add(const std::string& name, OpKind op);
  Workload& w_;
  int64_t batch_;
  int64_t c_ = 0, h_ = 0, w_px_ = 0;
};

// Rounds a scaled channel count as MobileNet's reference code does (to a multiple of 8, never
// below 90% of the scaled value).
int64_t make_divisible(double v, int64_t divisor = 8);
int64_t scaled(int64_t base, double mult);  // max(1, round(base * mult))

}  // namespace accsim
