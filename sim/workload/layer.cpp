#include "sim/workload/layer.hpp"

#include <cstdio>

#include "sim/core/yaml_checks.hpp"

namespace accsim {

std::string op_name(OpKind op) {
  switch (op) {
    case OpKind::Conv2d: return "conv2d";
    case OpKind::Linear: return "linear";
    case OpKind::Gemm: return "gemm";
    case OpKind::Matmul: return "matmul";
    case OpKind::Lstm: return "lstm";
    case OpKind::Gru: return "gru";
  }
  return "?";
}

std::string pattern_name(SparsityPattern p) {
  switch (p) {
    case SparsityPattern::Dense: return "dense";
    case SparsityPattern::Unstructured: return "unstructured";
    case SparsityPattern::Block: return "block";
    case SparsityPattern::BankBalanced: return "bank";
    case SparsityPattern::NM: return "nm";
  }
  return "?";
}

GemmShape lower_to_gemm(const Layer& l) {
  GemmShape g;
  switch (l.op) {
    case OpKind::Conv2d: {
      // im2col: each group is a GEMM of (output pixels) x (filters in group) over (window size).
      g.m = l.batch * l.out_h() * l.out_w();
      g.n = l.out_channels / l.groups;
      g.k = (l.in_channels / l.groups) * l.kernel_h * l.kernel_w;
      g.instances = l.groups;
      break;
    }
    case OpKind::Linear:
    case OpKind::Gemm:
      g.m = l.m; g.n = l.n; g.k = l.k; g.instances = l.batch;
      break;
    case OpKind::Matmul:
      g.m = l.m; g.n = l.n; g.k = l.k; g.instances = l.batch; g.b_is_activation = true;
      break;
    case OpKind::Lstm:
    case OpKind::Gru: {
      // All gates of one step as one GEMM over [x_t, h_{t-1}]; the next step needs h_t.
      const int64_t gates = l.op == OpKind::Lstm ? 4 : 3;
      g.m = l.batch; g.n = gates * l.hidden_size; g.k = l.input_size + l.hidden_size;
      g.sequential_steps = l.steps;
      break;
    }
  }
  return g;
}

int64_t layer_macs(const Layer& l) { return lower_to_gemm(l).macs(); }

void check_layer_size(const Layer& l) {
  // Names go into JSON and CSV results; invalid UTF-8 would break them (and did, with exit 1).
  if (!valid_utf8(l.name)) throw InputError(l.origin, "layer name is not valid UTF-8");
  // Multiplied in long double from the layer's own fields, so the check cannot overflow even
  // where lower_to_gemm's 64-bit products would.
  constexpr long double kMaxMacs = 1e17L;
  auto ld = [](int64_t v) { return static_cast<long double>(v); };
  long double macs = ld(l.repeat);
  if (l.op == OpKind::Conv2d) {
    macs *= ld(l.batch) * ld(l.out_h()) * ld(l.out_w()) * ld(l.out_channels) *
            ld(l.in_channels / l.groups) * ld(l.kernel_h) * ld(l.kernel_w);
  } else if (l.op == OpKind::Lstm || l.op == OpKind::Gru) {
    // From the fields: lower_to_gemm's gates x hidden_size would wrap for hidden_size near 2^63.
    const long double gates = l.op == OpKind::Lstm ? 4 : 3;
    macs *= ld(l.batch) * gates * ld(l.hidden_size) * (ld(l.input_size) + ld(l.hidden_size)) * ld(l.steps);
  } else {
    const GemmShape g = lower_to_gemm(l);
    macs *= ld(g.m) * ld(g.n) * ld(g.k) * ld(g.instances) * ld(g.sequential_steps);
  }
  if (macs > kMaxMacs) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3Lg", macs);
    throw InputError(l.origin, "layer '" + l.name + "': " + buf +
                                   " MACs exceed the per-layer limit of 1e17 (64-bit counters and run time)");
  }
}

int64_t layer_weight_count(const Layer& l) {
  const GemmShape g = lower_to_gemm(l);
  if (g.b_is_activation) return 0;
  const int64_t per_instance = g.n * g.k;
  return l.op == OpKind::Conv2d ? per_instance * g.instances : per_instance;
}

double b_operand_bytes(const Layer& l) {
  if (l.op != OpKind::Matmul) return l.weights.dtype.bytes();
  return l.has_kv_cache ? l.kv_cache.dtype.bytes() : l.activations.dtype.bytes();
}

double group_scale_bytes(const Layer& l) {
  const QuantGroup& g = l.weights.group;
  if (l.op == OpKind::Matmul || g.size <= 0) return 0.0;
  return static_cast<double>(g.scale_bits + g.zero_bits) / 8.0 / static_cast<double>(g.size);
}

double output_bytes(const Layer& l) {
  return l.has_kv_cache && l.op != OpKind::Matmul ? l.kv_cache.dtype.bytes() : l.outputs.dtype.bytes();
}

}  // namespace accsim
