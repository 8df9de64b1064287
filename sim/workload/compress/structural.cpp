#include "sim/core/parse_number.hpp"
#include "sim/workload/compress/structural.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <map>
#include <thread>

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

namespace {

struct LowRankPlan {
  int64_t fixed_rank = 0;
  double energy = 0;
  std::string method;  // svd | tucker2 | cp
  int64_t r_in = 0, r_out = 0, r_cp = 0;
};

LowRankPlan parse_plan(const LowRankOptions& opts) {
  LowRankPlan p;
  const std::string& spec = opts.target;
  auto bad = [&]() { throw InputError("--low-rank '" + spec + "': expected rank:R (R >= 1) or energy:F (0 < F <= 1)"); };
  if (spec.rfind("rank:", 0) == 0) {
    const auto r = parse_int64(spec.substr(5));
    if (!r) bad();
    p.fixed_rank = *r;
  } else if (spec.rfind("energy:", 0) == 0) {
    const auto e = parse_finite_double(spec.substr(7));
    if (!e) bad();
    p.energy = *e;
  } else {
    bad();
  }
  if ((p.fixed_rank <= 0 && p.energy == 0) || p.energy < 0 || p.energy > 1) bad();
  p.method = opts.conv_method;
  if (p.method.rfind("tucker2:", 0) == 0) {
    if (std::sscanf(p.method.c_str(), "tucker2:%ld:%ld", &p.r_in, &p.r_out) != 2 || p.r_in < 1 || p.r_out < 1)
      throw InputError("--conv-decomposition tucker2 needs tucker2:R_IN:R_OUT with positive ranks");
    p.method = "tucker2";
  } else if (p.method.rfind("cp:", 0) == 0) {
    if (std::sscanf(p.method.c_str(), "cp:%ld", &p.r_cp) != 1 || p.r_cp < 1) throw InputError("--conv-decomposition cp needs cp:R, R >= 1");
    p.method = "cp";
  } else if (p.method != "svd") {
    throw InputError("--conv-decomposition must be svd, tucker2:R_IN:R_OUT or cp:R");
  }
  return p;
}

// The layers replacing `it`. With weights `w`, the factors are computed and attached; without
// (a layer sharing another's weights), only the shapes are built, with the owner's SVD rank.
std::vector<PassLayer> factor_layer(const PassLayer& it, const LowRankPlan& plan, const std::vector<float>* w,
                                    int64_t shared_rank) {
  const Layer& l = it.layer;
  std::vector<PassLayer> parts;
  double error = 0;
  auto part = [&](Layer pl, Matrix m) {
    PassLayer p = it;
    p.layer = std::move(pl);
    p.owner = p.layer.name;
    if (w) p.weights = std::move(m.v);
    parts.push_back(std::move(p));
  };
  int64_t rows = 0, cols = 0;
  weight_shape(l, rows, cols);
  const bool spatial = l.op == OpKind::Conv2d && (l.kernel_h > 1 || l.kernel_w > 1);
  const SourceLocation where{"--low-rank", 0, l.name};
  if (spatial && plan.method == "tucker2") {
    if (plan.r_in > l.in_channels || plan.r_out > l.out_channels)
      throw InputError(where, "Tucker-2 ranks " + std::to_string(plan.r_in) + ":" + std::to_string(plan.r_out) +
                                  " exceed the layer's channels " + std::to_string(l.in_channels) + ":" + std::to_string(l.out_channels));
    Tucker2Factors f;
    if (w) f = tucker2(Matrix{rows, cols, *w}, l.out_channels, l.in_channels, l.kernel_h, l.kernel_w, plan.r_in, plan.r_out);
    error = f.rel_error;
    Layer a = pointwise_after(l, l.name + ".tk_in", l.in_channels, plan.r_in);
    a.in_h = l.in_h;
    a.in_w = l.in_w;
    Layer core = l;
    core.name = l.name + ".tk_core";
    core.in_channels = plan.r_in;
    core.out_channels = plan.r_out;
    part(a, f.in_proj);
    part(core, f.core);
    part(pointwise_after(l, l.name + ".tk_out", plan.r_out, l.out_channels), f.out_proj);
  } else if (spatial && plan.method == "cp") {
    if (plan.r_cp > std::min(l.in_channels, l.out_channels) * l.kernel_h * l.kernel_w)
      throw InputError(where, "CP rank " + std::to_string(plan.r_cp) + " is above what the kernel can use");
    CpFactors f;
    if (w) f = cp_decompose(Matrix{rows, cols, *w}, l.out_channels, l.in_channels, l.kernel_h, l.kernel_w, plan.r_cp);
    error = f.rel_error;
    Layer a = pointwise_after(l, l.name + ".cp_in", l.in_channels, plan.r_cp);
    a.in_h = l.in_h;
    a.in_w = l.in_w;
    Layer v = l;  // k x 1 depthwise over the R channels, on the input grid
    v.name = l.name + ".cp_v";
    v.in_channels = v.out_channels = v.groups = plan.r_cp;
    v.kernel_w = v.stride_w = v.dilation_w = 1;
    v.pad_w = 0;
    Layer h = v;  // 1 x k depthwise on the rows v produced
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
    part(pointwise_after(l, l.name + ".cp_out", plan.r_cp, l.out_channels), f.out_proj);
  } else {
    int64_t rank = shared_rank ? shared_rank : plan.fixed_rank;
    if (!rank) rank = rank_for_energy(singular_values(Matrix{rows, cols, *w}), plan.energy);
    if (rank > std::min(rows, cols))
      throw InputError(where, "rank " + std::to_string(rank) + " is above min(m, n) = " + std::to_string(std::min(rows, cols)) +
                                  " of the " + std::to_string(rows) + "x" + std::to_string(cols) + " weights");
    SvdFactors f;
    if (w) f = truncated_svd(Matrix{rows, cols, *w}, rank);
    error = f.rel_error;
    // first: the original op narrowed to `rank` outputs; second: rank -> outputs, pointwise.
    Layer a = l;
    a.name = l.name + ".svd_in";
    if (l.op == OpKind::Conv2d) a.out_channels = rank;
    else a.n = rank;
    part(a, f.first);
    part(pointwise_after(l, l.name + ".svd_out", rank, rows), f.second);
  }
  for (auto& p : parts) p.lowrank_error = error;
  return parts;
}

int64_t svd_rank_of(const std::vector<PassLayer>& parts) {
  const Layer& a = parts.front().layer;
  return a.op == OpKind::Conv2d ? a.out_channels : a.n;
}

}  // namespace

int64_t factorize_low_rank(std::vector<PassLayer>& items, const LowRankOptions& opts, const WeightFn& weights_for) {
  const LowRankPlan plan = parse_plan(opts);
  auto eligible = [&](const PassLayer& it) {
    const Layer& l = it.layer;
    return !it.exempt && name_matches(opts.layers, l.name) &&
           (l.op == OpKind::Linear || l.op == OpKind::Gemm || (l.op == OpKind::Conv2d && l.groups == 1));
  };
  // Factorize each distinct weight tensor once, in parallel (SVDs dominate); results land in
  // per-layer slots, so the output does not depend on the thread count.
  std::vector<size_t> todo;
  std::map<std::string, size_t> slot_of_owner;
  for (size_t i = 0; i < items.size(); ++i)
    if (eligible(items[i]) && slot_of_owner.emplace(items[i].owner, todo.size()).second) todo.push_back(i);
  std::vector<std::vector<PassLayer>> results(todo.size());
  std::vector<std::string> errors(todo.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  const size_t threads = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  for (size_t t = 0; t < std::min(threads, todo.size()); ++t)
    pool.emplace_back([&]() {
      for (size_t k; (k = next++) < todo.size();) {
        try {
          const std::vector<float> w = weights_for(items[todo[k]]);
          results[k] = factor_layer(items[todo[k]], plan, &w, 0);
        } catch (const InputError& e) {
          errors[k] = e.what();
        }
      }
    });
  for (auto& th : pool) th.join();
  for (const auto& e : errors)
    if (!e.empty()) throw InputError(e);

  std::vector<PassLayer> out;
  int64_t replaced = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!eligible(items[i])) {
      out.push_back(std::move(items[i]));
      continue;
    }
    ++replaced;
    const size_t k = slot_of_owner.at(items[i].owner);
    if (todo[k] == i) {
      for (auto& p : results[k]) out.push_back(p);
      continue;
    }
    // A layer sharing weights: its own shapes, the owner's factors.
    std::vector<PassLayer> parts = factor_layer(items[i], plan, nullptr, svd_rank_of(results[k]));
    for (size_t j = 0; j < parts.size(); ++j) {
      parts[j].weights = results[k][j].weights;
      parts[j].owner = results[k][j].owner;
      parts[j].lowrank_error = results[k][j].lowrank_error;
      out.push_back(std::move(parts[j]));
    }
  }
  items = std::move(out);
  return replaced;
}

}  // namespace accsim
