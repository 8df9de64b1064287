#include "sim/workload/trace_writer.hpp"

#include <cstdio>
#include <sstream>

namespace accsim {

std::string yaml_quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string yaml_number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

std::string layer_yaml(const PassLayer& it, const std::string& side_name, const std::string& checksum) {
  const Layer& l = it.layer;
  std::ostringstream y;
  y << "  - name: " << yaml_quote(l.name) << "\n    op: " << op_name(l.op) << "\n";
  auto pair = [&](const char* key, int64_t h, int64_t w) {
    y << "    " << key << ": ";
    if (h == w) y << h << "\n";
    else y << "[" << h << ", " << w << "]\n";
  };
  switch (l.op) {
    case OpKind::Conv2d:
      y << "    batch: " << l.batch << "\n    in_channels: " << l.in_channels << "\n    in_h: " << l.in_h << "\n    in_w: " << l.in_w
        << "\n    out_channels: " << l.out_channels << "\n";
      pair("kernel", l.kernel_h, l.kernel_w);
      pair("stride", l.stride_h, l.stride_w);
      pair("padding", l.pad_h, l.pad_w);
      if (l.dilation_h != 1 || l.dilation_w != 1) pair("dilation", l.dilation_h, l.dilation_w);
      if (l.groups != 1) y << "    groups: " << l.groups << "\n";
      break;
    case OpKind::Linear:
      y << "    tokens: " << l.m << "\n    in_features: " << l.k << "\n    out_features: " << l.n << "\n";
      if (l.batch != 1) y << "    batch: " << l.batch << "\n";
      break;
    case OpKind::Gemm:
    case OpKind::Matmul:
      y << "    m: " << l.m << "\n    n: " << l.n << "\n    k: " << l.k << "\n";
      if (l.batch != 1) y << "    batch: " << l.batch << "\n";
      break;
    case OpKind::Lstm:
    case OpKind::Gru:
      y << "    batch: " << l.batch << "\n    input_size: " << l.input_size << "\n    hidden_size: " << l.hidden_size
        << "\n    steps: " << l.steps << "\n";
      break;
  }
  if (l.repeat != 1) y << "    repeat: " << l.repeat << "\n";
  if (l.has_kv_cache) y << "    kv_cache: {dtype: " << l.kv_cache.dtype.name << "}\n";
  const bool activation_values = !(l.activations.values == ValueDist{});
  if (l.activations.zero_fraction > 0 || activation_values) {
    y << "    activations: {";
    if (l.activations.zero_fraction > 0) y << "zero_fraction: " << yaml_number(l.activations.zero_fraction) << (activation_values ? ", " : "");
    if (activation_values) y << "values: " << yaml_quote(l.activations.values.name());
    y << "}\n";
  }
  if (has_weights(l)) {
    y << "    weights:\n      dtype: " << l.weights.dtype.name << "\n";
    if (!(l.weights.values == ValueDist{})) y << "      values: " << yaml_quote(l.weights.values.name()) << "\n";
    const QuantGroup& q = l.weights.group;
    if (q.size > 0)
      y << "      quant_group: {size: " << q.size << ", scale_dtype: " << (q.scale_bits == 16 ? "fp16" : "fp32")
        << ", zero_point: " << (q.zero_bits ? "true" : "false") << "}\n";
    const Compression& c = l.weights.compression;
    if (it.pruned || it.has_entry) {
      y << "      compression:\n        pattern: " << pattern_name(c.pattern) << "\n";
      switch (c.pattern) {
        case SparsityPattern::NM: y << "        n: " << c.nm_n << "\n        m: " << c.nm_m << "\n"; break;
        case SparsityPattern::Block:
          y << "        block_rows: " << c.block_rows << "\n        block_cols: " << c.block_cols << "\n";
          [[fallthrough]];
        case SparsityPattern::Unstructured:
        case SparsityPattern::BankBalanced:
          if (c.pattern == SparsityPattern::BankBalanced) y << "        bank_size: " << c.bank_size << "\n";
          y << "        sparsity: " << yaml_number(1.0 - c.density) << "\n";
          break;
        case SparsityPattern::Dense: break;
      }
      if (it.pruned) y << "        seed: " << c.seed << "\n";
      if (it.has_entry) y << "        mask_file: " << yaml_quote(side_name) << "\n        mask_checksum: " << yaml_quote(checksum) << "\n";
    }
  }
  return y.str();
}

}  // namespace accsim
