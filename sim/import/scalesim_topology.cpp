// SCALE-Sim topology CSVs as workloads: the conv form
//   Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
// and the GEMM form `Layer, M, N, K,`. SCALE-Sim has no padding field: its output size is
// ceil((H - F + S) / S), which we reproduce with the smallest symmetric padding giving that size.
#include "sim/core/parse_number.hpp"
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/workload/trace.hpp"
#include "sim/core/input_file.hpp"

namespace accsim {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string c; std::getline(ss, c, ',');) out.push_back(trim(c));
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

int64_t positive(const std::string& text, const SourceLocation& where) {
  // Capped at 2^31-1: conv geometry is multiplied in window arithmetic and must not wrap.
  const auto v = parse_int64(text);
  if (v && *v > 0 && *v <= kInt32Max) return *v;
  throw InputError(where, "expected a positive integer" + std::string(v && *v > kInt32Max ? " <= 2147483647" : "") +
                              ", got '" + text + "'");
}

int64_t scalesim_out(int64_t in, int64_t f, int64_t s) { return (in - f + s + s - 1) / s; }

// The smallest symmetric padding p with (in + 2p - f) / s + 1 == target. Since target - 1 =
// ceil((in - f) / s), some p < s always works (see docs/scalesim.md).
// Solved in closed form (a loop to s would run 1e12 times for stride 1e12): the smallest p with
// in + 2p - f >= (target - 1) * s, which floor division then maps to target since that p < s.
int64_t padding_for(int64_t in, int64_t f, int64_t s, int64_t target) {
  const int64_t need = (target - 1) * s - (in - f);  // 2p must reach this
  const int64_t p = need <= 0 ? 0 : (need + 1) / 2;
  if ((in + 2 * p - f) / s + 1 != target) throw std::logic_error("no padding reproduces SCALE-Sim's output size");
  return p;
}

}  // namespace

Workload read_scalesim_topology(const std::string& path) {
  std::ifstream in = open_input_file(path);
  Workload w;
  w.source = path;
  w.name = path.substr(path.find_last_of('/') + 1);
  w.name = w.name.substr(0, w.name.rfind('.'));
  DType int8;
  parse_dtype("int8", int8);  // SCALE-Sim's word is one byte
  bool header_seen = false, gemm_form = false;
  int line_no = 0;
  static const char* conv_cols[] = {"IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width",
                                    "Channels",     "Num Filter",  "Strides"};
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    const auto row = cells(line);
    if (row.empty()) continue;
    if (!header_seen) {
      header_seen = true;
      gemm_form = row.size() >= 2 && (row[1] == "M" || row[1] == "m");
      continue;
    }
    Layer l;
    l.origin = SourceLocation{path, line_no, ""};
    l.name = row[0].empty() ? "layer" + std::to_string(w.layers.size()) : row[0];
    l.weights.dtype = l.activations.dtype = l.outputs.dtype = int8;
    parse_dtype("int32", l.accumulators.dtype);
    if (gemm_form) {
      if (row.size() < 4) throw InputError(l.origin, "expected Layer, M, N, K");
      l.op = OpKind::Gemm;
      l.m = positive(row[1], {path, line_no, "M"});
      l.n = positive(row[2], {path, line_no, "N"});
      l.k = positive(row[3], {path, line_no, "K"});
    } else {
      if (row.size() < 8) throw InputError(l.origin, "expected 8 columns: Layer name, IFMAP Height, ..., Strides");
      int64_t v[7];
      for (int i = 0; i < 7; ++i) v[i] = positive(row[i + 1], {path, line_no, conv_cols[i]});
      l.op = OpKind::Conv2d;
      l.in_h = v[0]; l.in_w = v[1]; l.kernel_h = v[2]; l.kernel_w = v[3];
      l.in_channels = v[4]; l.out_channels = v[5]; l.stride_h = l.stride_w = v[6];
      if (l.kernel_h > l.in_h || l.kernel_w > l.in_w) throw InputError(l.origin, "filter larger than the IFMAP");
      // SCALE-Sim splits depthwise layers (name containing "DP") into one single-channel conv per channel.
      if (l.name.find("DP") != std::string::npos) {
        l.groups = l.in_channels;
        l.out_channels = l.in_channels * v[5];
      }
      l.pad_h = padding_for(l.in_h, l.kernel_h, l.stride_h, scalesim_out(l.in_h, l.kernel_h, l.stride_h));
      l.pad_w = padding_for(l.in_w, l.kernel_w, l.stride_w, scalesim_out(l.in_w, l.kernel_w, l.stride_w));
    }
    w.layers.push_back(l);
  }
  if (w.layers.empty()) throw InputError(SourceLocation{path, 0, ""}, "no layers in topology file");
  return w;
}

Workload load_workload(const std::string& spec) {
  if (spec.rfind("gemm:", 0) == 0) return parse_inline_workload(spec);
  // "conv:..." and the like are mistyped inline specs, not file names: say what the form is.
  const auto colon = spec.find(':');
  if (colon != std::string::npos && colon > 0 && !std::filesystem::exists(spec) &&
      spec.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == colon)
    return parse_inline_workload(spec);
  if (spec.size() > 4 && spec.substr(spec.size() - 4) == ".csv") return read_scalesim_topology(spec);
  return read_trace_file(spec);
}

}  // namespace accsim
