#include "sim/workload/compress/structural.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "sim/core/error.hpp"
#include "sim/workload/compress/lowrank.hpp"
#include "sim/workload/weight_mask.hpp"

namespace accsim {

bool name_matches(const std::string& glob, const std::string& name) { return fnmatch(glob.c_str(), name.c_str(), 0) == 0; }

int64_t substitute_depthwise_separable(std::vector<PassLayer>& items) {
  std::vector<PassLayer> out;
  int64_t replaced = 0;
  for (auto& it : items) {
    const Layer& l = it.layer;
    if (it.exempt || l.op != OpKind::Conv2d || l.groups != 1 || (l.kernel_h == 1 && l.kernel_w == 1)) {
      out.push_back(std::move(it));
      continue;
    }
    // Standard k x k conv -> k x k depthwise (one filter per input channel) + 1x1 pointwise.
    PassLayer dw = it, pw = it;
    dw.layer.name = dw.owner = l.name + ".dw";
    dw.layer.out_channels = l.in_channels;
    dw.layer.groups = l.in_channels;
    pw.layer.name = pw.owner = l.name + ".pw";
    pw.layer.in_h = dw.layer.out_h();
    pw.layer.in_w = dw.layer.out_w();
    pw.layer.kernel_h = pw.layer.kernel_w = pw.layer.stride_h = pw.layer.stride_w = 1;
    pw.layer.dilation_h = pw.layer.dilation_w = 1;
    pw.layer.pad_h = pw.layer.pad_w = 0;
    out.push_back(std::move(dw));
    out.push_back(std::move(pw));
    ++replaced;
  }
  items = std::move(out);
  return replaced;
}

namespace {

// Rebuilds `l` as a 1x1 conv or a linear/gemm from `in` to `out` features on its output grid.
Layer pointwise_after(const Layer& l, const std::string& name, int64_t in, int64_t out) {
  Layer p = l;
  p.name = name;
  if (l.op == OpKind::Conv2d) {
    p.in_h = l.out_h();
    p.in_w = l.out_w();
    p.in_channels = in;
    p.out_channels = out;
    p.kernel_h = p.kernel_w = p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
    p.pad_h = p.pad_w = 0;
    p.groups = 1;
  } else {
    p.k = in;
    p.n = out;
  }
  return p;
}

}  // namespace

int64_t factorize_low_rank(std::vector<PassLayer>& items, const LowRankOptions& opts, const WeightFn& weights_for) {
  const std::string& spec = opts.target;
  int64_t fixed_rank = 0;
  double energy = 0;
  auto bad = [&]() { throw InputError("--low-rank '" + spec + "': expected rank:R (R >= 1) or energy:F (0 < F <= 1)"); };
  try {
    if (spec.rfind("rank:", 0) == 0) fixed_rank = std::stoll(spec.substr(5));
    else if (spec.rfind("energy:", 0) == 0) energy = std::stod(spec.substr(7));
    else bad();
  } catch (const std::invalid_argument&) {
    bad();
  }
  if ((fixed_rank <= 0 && energy == 0) || energy < 0 || energy > 1) bad();
  std::string method = opts.conv_method;
  int64_t r_in = 0, r_out = 0, r_cp = 0;
  if (method.rfind("tucker2:", 0) == 0) {
    if (std::sscanf(method.c_str(), "tucker2:%ld:%ld", &r_in, &r_out) != 2 || r_in < 1 || r_out < 1)
      throw InputError("--conv-decomposition tucker2 needs tucker2:R_IN:R_OUT with positive ranks");
    method = "tucker2";
  } else if (method.rfind("cp:", 0) == 0) {
    if (std::sscanf(method.c_str(), "cp:%ld", &r_cp) != 1 || r_cp < 1) throw InputError("--conv-decomposition cp needs cp:R, R >= 1");
    method = "cp";
  } else if (method != "svd") {
    throw InputError("--conv-decomposition must be svd, tucker2:R_IN:R_OUT or cp:R");
  }
  std::vector<PassLayer> out;
  std::map<std::string, std::vector<PassLayer>> done;  // owner -> its factor items (shared weights)
  int64_t replaced = 0;
  for (auto& it : items) {
    const Layer& l = it.layer;
    const bool eligible = !it.exempt && name_matches(opts.layers, l.name) &&
                          (l.op == OpKind::Linear || l.op == OpKind::Gemm || (l.op == OpKind::Conv2d && l.groups == 1));
    if (!eligible) {
      out.push_back(std::move(it));
      continue;
    }
    ++replaced;
    std::vector<PassLayer> parts;
    auto part = [&](Layer pl, Matrix w) {
      PassLayer p = it;
      p.layer = std::move(pl);
      p.owner = p.layer.name;
      p.weights = std::move(w.v);
      parts.push_back(std::move(p));
    };
    auto cached = done.find(it.owner);
    int64_t rows = 0, cols = 0;
    weight_shape(l, rows, cols);
    const bool spatial = l.op == OpKind::Conv2d && (l.kernel_h > 1 || l.kernel_w > 1);
    const SourceLocation where{"--low-rank", 0, l.name};
    if (spatial && method == "tucker2") {
      if (r_in > l.in_channels || r_out > l.out_channels)
        throw InputError(where, "Tucker-2 ranks " + std::to_string(r_in) + ":" + std::to_string(r_out) + " exceed the layer's channels " +
                                    std::to_string(l.in_channels) + ":" + std::to_string(l.out_channels));
      Tucker2Factors f;
      if (cached == done.end()) f = tucker2(Matrix{rows, cols, weights_for(it)}, l.out_channels, l.in_channels, l.kernel_h, l.kernel_w, r_in, r_out);
      Layer a = l, core = l;
      a = pointwise_after(l, l.name + ".tk_in", l.in_channels, r_in);
      a.in_h = l.in_h;
      a.in_w = l.in_w;
      core.name = l.name + ".tk_core";
      core.in_channels = r_in;
      core.out_channels = r_out;
      part(a, f.in_proj);
      part(core, f.core);
      part(pointwise_after(l, l.name + ".tk_out", r_out, l.out_channels), f.out_proj);
      it.quant_error = f.rel_error;
    } else if (spatial && method == "cp") {
      if (r_cp > std::min(l.in_channels * l.kernel_h * l.kernel_w, l.out_channels * l.kernel_h * l.kernel_w))
        throw InputError(where, "CP rank " + std::to_string(r_cp) + " is above what the kernel can use");
      CpFactors f;
      if (cached == done.end()) f = cp_decompose(Matrix{rows, cols, weights_for(it)}, l.out_channels, l.in_channels, l.kernel_h, l.kernel_w, r_cp);
      Layer a = pointwise_after(l, l.name + ".cp_in", l.in_channels, r_cp);
      a.in_h = l.in_h;
      a.in_w = l.in_w;
      Layer v = l;
      v.name = l.name + ".cp_v";
      v.in_channels = v.out_channels = v.groups = r_cp;
      v.kernel_w = v.stride_w = v.dilation_w = 1;
      v.pad_w = 0;
      Layer h = v;
      h.name = l.name + ".cp_h";
      h.in_h = v.out_h();
      h.kernel_h = h.stride_h = h.dilation_h = 1;
      h.pad_h = 0;
      h.kernel_w = l.kernel_w;
      h.stride_w = l.stride_w;
      h.dilation_w = l.dilation_w;
      h.pad_w = l.pad_w;
      part(a, f.in_proj);
      part(v, f.vertical);
      part(h, f.horizontal);
      part(pointwise_after(l, l.name + ".cp_out", r_cp, l.out_channels), f.out_proj);
    } else {
      const Matrix w{rows, cols, cached == done.end() ? weights_for(it) : std::vector<float>{}};
      const int64_t rank = fixed_rank ? fixed_rank : rank_for_energy(singular_values(w), energy);
      if (rank > std::min(rows, cols))
        throw InputError(where, "rank " + std::to_string(rank) + " is above min(m, n) = " + std::to_string(std::min(rows, cols)) +
                                    " of the " + std::to_string(rows) + "x" + std::to_string(cols) + " weights");
      SvdFactors f;
      if (cached == done.end()) f = truncated_svd(w, rank);
      // first: the original op narrowed to `rank` outputs; second: rank -> outputs, pointwise.
      Layer a = l;
      a.name = l.name + ".svd_in";
      if (l.op == OpKind::Conv2d) a.out_channels = rank;
      else a.n = rank;
      part(a, f.first);
      part(pointwise_after(l, l.name + ".svd_out", rank, rows), f.second);
    }
    if (cached != done.end()) {
      // A layer sharing weights reuses the owner's factors.
      for (size_t i = 0; i < parts.size(); ++i) {
        parts[i].weights = cached->second[i].weights;
        parts[i].owner = cached->second[i].owner;
      }
    } else {
      done[it.owner] = parts;
    }
    for (auto& p : parts) out.push_back(std::move(p));
  }
  items = std::move(out);
  return replaced;
}

}  // namespace accsim
