#include "sim/hw/stc/gemm_plan.hpp"

#include <algorithm>
#include <cmath>
#include <list>
#include <map>
#include <tuple>
#include <unordered_map>

#include "sim/hw/common/compute_block.hpp"

namespace accsim {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

// Dense mma k for a dtype (PTX ISA, "Matrix shape" table of mma): 256 bits of K per row.
int64_t dense_mma_k(const DType& t) {
  if (t.name == "tf32") return 8;
  if (t.name == "fp16" || t.name == "bf16") return 16;
  if (t.bits == 8) return 32;  // s8/u8, e4m3/e5m2
  if (t.is_integer() && t.bits == 4) return 64;
  return 0;
}

struct Tile {
  int64_t inst, i, j, slice;
};

// Work of the CTAs one SM holds during a k-step of extent `ks`.
class SmModel {
 public:
  SmModel(const StcConfig& c, const GemmPlan& p, double a_bytes, double b_bytes)
      : c_(c), p_(p), a_bytes_(a_bytes), b_bytes_(b_bytes) {}

  // `dims`: (rows, cols) of each resident CTA's tile.
  SmStep step(const std::vector<std::pair<int64_t, int64_t>>& dims, int64_t ks) {
    auto key = std::make_pair(dims, ks);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    SmStep s;
    const int64_t wy = ceil_div(c_.tile_m, c_.warp_m), wx = ceil_div(c_.tile_n, c_.warp_n);
    std::vector<double> tc_mmas(static_cast<size_t>(c_.tensor_cores_per_sm), 0.0);
    const int64_t k_mmas = ceil_div(ks, p_.mma.k);
    int64_t warp_index = 0;
    for (const auto& [tm, tn] : dims) {
      s.port_bytes += static_cast<double>(tm * ks) * a_bytes_ + static_cast<double>(tn * ks) * b_bytes_;
      for (int64_t a = 0; a < wy; ++a)
        for (int64_t b = 0; b < wx; ++b, ++warp_index) {
          const int64_t rows = std::clamp<int64_t>(tm - a * c_.warp_m, 0, c_.warp_m);
          const int64_t cols = std::clamp<int64_t>(tn - b * c_.warp_n, 0, c_.warp_n);
          if (rows == 0 || cols == 0) continue;
          // Warps are spread over the SM sub-partitions (one tensor core each) round-robin; a
          // warpgroup's four warps sit on all four.
          const double mmas = static_cast<double>(ceil_div(rows, p_.mma.m) * ceil_div(cols, p_.mma.n) * k_mmas);
          if (c_.warpgroup) {
            for (auto& t : tc_mmas) t += mmas / static_cast<double>(c_.tensor_cores_per_sm);
          } else {
            tc_mmas[static_cast<size_t>(warp_index % c_.tensor_cores_per_sm)] += mmas;
          }
          s.mmas += mmas;
          // Each warp reads its fragments of both operands from shared memory once per k-step.
          s.smem_bytes += static_cast<double>(rows * ks) * a_bytes_ + static_cast<double>(cols * ks) * b_bytes_;
        }
    }
    s.smem_bytes += s.port_bytes;  // the stage fill writes shared memory
    const double busiest = *std::max_element(tc_mmas.begin(), tc_mmas.end());
    s.math_cycles = static_cast<uint64_t>(std::ceil(busiest * p_.cycles_per_mma - 1e-9));
    s.smem_cycles = static_cast<uint64_t>(std::ceil(s.smem_bytes / c_.smem_bytes_per_clk - 1e-9));
    cache_.emplace(key, s);
    return s;
  }

 private:
  const StcConfig& c_;
  const GemmPlan& p_;
  double a_bytes_, b_bytes_;
  std::map<std::pair<std::vector<std::pair<int64_t, int64_t>>, int64_t>, SmStep> cache_;
};

// Which operand panels L2 still holds, least recently used first.
class L2Panels {
 public:
  explicit L2Panels(double capacity) : capacity_(capacity) {}
  // Returns true on a hit; on a miss the panel is brought in (evicting the oldest).
  bool touch(const std::tuple<int, int64_t, int64_t, int64_t>& key, double bytes) {
    auto it = where_.find(key);
    if (it != where_.end()) {
      order_.splice(order_.end(), order_, it->second);
      return true;
    }
    order_.push_back({key, bytes});
    where_[key] = std::prev(order_.end());
    held_ += bytes;
    while (held_ > capacity_ && !order_.empty()) {
      held_ -= order_.front().second;
      where_.erase(order_.front().first);
      order_.pop_front();
    }
    return false;
  }

 private:
  using Entry = std::pair<std::tuple<int, int64_t, int64_t, int64_t>, double>;
  double capacity_, held_ = 0;
  std::list<Entry> order_;
  std::map<std::tuple<int, int64_t, int64_t, int64_t>, std::list<Entry>::iterator> where_;
};

}  // namespace

bool WavePlan::same_timing(const WavePlan& o) const {
  return ctas == o.ctas && full.cycles() == o.full.cycles() && last.cycles() == o.last.cycles() &&
         full.port_bytes == o.full.port_bytes && last.port_bytes == o.last.port_bytes &&
         l2_bytes_full == o.l2_bytes_full && l2_bytes_last == o.l2_bytes_last && hbm_read_bytes == o.hbm_read_bytes &&
         store_bytes == o.store_bytes && store_hbm_bytes == o.store_hbm_bytes && store_port_bytes == o.store_port_bytes;
}

MmaShape mma_shape(const DType& t, bool sparse, const NmFormat& f) {
  MmaShape s;
  const int64_t k = dense_mma_k(t);
  if (k == 0) throw InputError("no tensor core mma shape for " + t.name);
  s.k = k;
  if (sparse) {
    // mma.sp keeps the compressed operand's K at the dense size and widens the dense K by M/N.
    const int64_t units = f.n * f.unit;
    if (k % units != 0) throw InputError("mma k " + std::to_string(k) + " is not a multiple of N=" + std::to_string(units));
    s.k = k / units * f.m * f.unit;
  }
  s.ptx = std::string(sparse ? "mma.sp" : "mma") + ".m16n8k" + std::to_string(s.k) + "." + t.name;
  return s;
}

GemmPlan plan_gemm(const StcConfig& c, const Layer& layer, const GemmShape& g, bool sparse, const NmFormat& format) {
  GemmPlan p;
  const DType& wt = layer.weights.dtype;
  const DType& at = layer.activations.dtype;
  p.sparse = sparse;
  p.format = format;
  try {
    p.mma = mma_shape(wt, sparse, format);
  } catch (const InputError& e) {
    layer_error(layer, e.what());
  }
  const double rate = static_cast<double>(c.rate(wt));
  // Executed multiplies per mma over the tensor core's multipliers per clock.
  p.cycles_per_mma = static_cast<double>(p.mma.m * p.mma.n * p.mma.k) * (sparse ? format.density() : 1.0) / rate;

  const double a_bytes = at.bytes();
  const double b_dense_bytes = b_operand_bytes(layer);  // a matmul's activation or KV-cache format
  // Group-wise quantization scales travel with the weights, uncompressed.
  p.weight_bytes_per_element = (sparse ? b_dense_bytes * format.storage_fraction() : b_dense_bytes) + group_scale_bytes(layer);
  // k_bytes of the (uncompressed) weight operand per k-step; a sparse kernel keeps the same bytes
  // of compressed weights per stage, so its dense-equivalent K extent grows by M/N.
  const int64_t dense_k = dense_mma_k(wt);
  p.bk = round_up(std::max<int64_t>(1, static_cast<int64_t>(std::llround(c.tile_k_bytes / b_dense_bytes))), dense_k);
  if (sparse) p.bk = p.bk / dense_k * p.mma.k;
  p.k_padded = sparse ? round_up(g.k, format.group_elements()) : g.k;
  p.ksteps = ceil_div(p.k_padded, p.bk);
  p.last_k = p.k_padded - (p.ksteps - 1) * p.bk;

  p.stage_bytes = static_cast<double>(c.tile_m * p.bk) * a_bytes + static_cast<double>(c.tile_n * p.bk) * p.weight_bytes_per_element;
  // Like CUTLASS's automatic stage count: as many stages as fit, up to the configured depth.
  const double smem_bytes = c.smem_kb * 1024.0;
  p.stages = std::min<int64_t>(c.stages, static_cast<int64_t>(std::floor(smem_bytes / p.stage_bytes)));
  if (p.stages < 2) p.stages = 2;  // below double buffering the kernel does not exist: fails below
  const auto smem_cap = static_cast<int64_t>(std::floor(smem_bytes / (static_cast<double>(p.stages) * p.stage_bytes)));
  const double acc_bytes = static_cast<double>(c.tile_m * c.tile_n) * layer.accumulators.dtype.bytes();
  const auto rf_cap = static_cast<int64_t>(std::floor(c.register_file_kb * 1024.0 / acc_bytes));
  p.ctas_per_sm = std::min({c.max_ctas_per_sm, smem_cap, rf_cap});
  p.limiter = p.ctas_per_sm == smem_cap ? "smem" : p.ctas_per_sm == rf_cap ? "registers" : "max_ctas_per_sm";
  if (p.ctas_per_sm <= 0)
    layer_error(layer, "a " + std::to_string(c.tile_m) + "x" + std::to_string(c.tile_n) + "x" + std::to_string(p.bk) + " tile with " +
                           std::to_string(p.stages) + " stages needs " + std::to_string(static_cast<int64_t>(static_cast<double>(p.stages) * p.stage_bytes)) +
                           " B of shared memory and " + std::to_string(static_cast<int64_t>(acc_bytes)) +
                           " B of accumulators; the SM has " + std::to_string(static_cast<int64_t>(c.smem_kb * 1024)) + " B and " +
                           std::to_string(static_cast<int64_t>(c.register_file_kb * 1024)) + " B");

  p.tiles_m = ceil_div(g.m, c.tile_m);
  p.tiles_n = ceil_div(g.n, c.tile_n);
  const int64_t tiles = p.tiles_m * p.tiles_n * g.instances;
  const int64_t wave_size = c.sms * p.ctas_per_sm;
  // Split-K when the tiles would leave at least half the SMs idle: the largest split that still
  // fits one wave, divides the k-steps evenly and leaves each CTA at least `stages` k-steps.
  if (c.split_k_max > 1 && 2 * tiles <= c.sms && p.last_k == p.bk && g.sequential_steps == 1)
    for (int64_t s = std::min(c.split_k_max, wave_size / tiles); s >= 2; --s)
      if (p.ksteps % s == 0 && p.ksteps / s >= p.stages) {
        p.split_k = s;
        break;
      }
  p.ksteps /= p.split_k;
  p.k_slice = p.ksteps * p.bk;
  if (p.split_k == 1) p.k_slice = p.k_padded;
  p.ctas = tiles * p.split_k;

  // Launch order: groups of raster_group tile rows, column by column inside a group, so that a
  // wave touches few operand panels (the swizzle CUTLASS-style kernels use for L2 locality).
  std::vector<Tile> order;
  order.reserve(static_cast<size_t>(p.ctas));
  for (int64_t inst = 0; inst < g.instances; ++inst)
    for (int64_t i0 = 0; i0 < p.tiles_m; i0 += c.raster_group)
      for (int64_t j = 0; j < p.tiles_n; ++j)
        for (int64_t i = i0; i < std::min(p.tiles_m, i0 + c.raster_group); ++i)
          for (int64_t sl = 0; sl < p.split_k; ++sl) order.push_back({inst, i, j, sl});

  // Implicit-GEMM convolution reads each input element once from HBM, not once per filter tap.
  double a_unique = 1.0;
  if (layer.op == OpKind::Conv2d) {
    const double input = static_cast<double>(layer.batch * (layer.in_channels / layer.groups) * layer.in_h * layer.in_w);
    a_unique = std::min(1.0, input / static_cast<double>(g.m * g.k));
  }
  const bool weights_per_instance = layer.op == OpKind::Conv2d || g.b_is_activation;
  const double out_bytes = output_bytes(layer);  // a k/v projection writes the KV-cache format
  const double l2_capacity = c.l2_mb * 1024.0 * 1024.0;
  // Split-K CTAs store fp32/int32 partial sums; they stay in L2 unless the workspace spills.
  const double partial_bytes = layer.accumulators.dtype.bytes();
  const double workspace = p.split_k > 1 ? static_cast<double>(p.split_k * g.m * g.n * g.instances) * partial_bytes : 0.0;
  const bool workspace_spills = workspace > l2_capacity / 2;
  if (p.split_k > 1) {
    p.reduction_read_bytes = workspace;
    p.reduction_write_bytes = static_cast<double>(g.m * g.n * g.instances) * out_bytes;
    p.workspace_hbm_bytes = workspace_spills ? workspace : 0.0;
  }

  SmModel sm(c, p, a_bytes, p.weight_bytes_per_element);
  L2Panels l2(l2_capacity);
  for (int64_t first = 0; first < p.ctas; first += wave_size) {
    WavePlan w;
    w.ctas = std::min(wave_size, p.ctas - first);
    std::vector<std::vector<std::pair<int64_t, int64_t>>> per_sm(static_cast<size_t>(std::min(c.sms, w.ctas)));
    std::vector<double> sm_store(per_sm.size(), 0.0);
    for (int64_t idx = 0; idx < w.ctas; ++idx) {
      const Tile& t = order[static_cast<size_t>(first + idx)];
      const int64_t tm = std::min(c.tile_m, g.m - t.i * c.tile_m);
      const int64_t tn = std::min(c.tile_n, g.n - t.j * c.tile_n);
      // The block scheduler fills every SM once before giving any SM a second CTA.
      const size_t s = static_cast<size_t>(idx % c.sms);
      per_sm[s].emplace_back(tm, tn);
      const double store = static_cast<double>(tm * tn) * (p.split_k > 1 ? partial_bytes : out_bytes);
      w.store_bytes += store;
      if (p.split_k == 1 || workspace_spills) w.store_hbm_bytes += store;
      sm_store[s] += store;
      const double a_panel = static_cast<double>(tm * p.k_slice) * a_bytes;
      const double b_panel = static_cast<double>(tn * p.k_slice) * p.weight_bytes_per_element;
      if (!l2.touch({0, t.inst, t.i, t.slice}, a_panel)) w.hbm_read_bytes += a_panel * a_unique;
      if (!l2.touch({1, weights_per_instance ? t.inst : 0, t.j, t.slice}, b_panel)) w.hbm_read_bytes += b_panel;
    }
    w.store_port_bytes = *std::max_element(sm_store.begin(), sm_store.end());
    for (auto& dims : per_sm) {
      std::sort(dims.begin(), dims.end());
      const SmStep full = sm.step(dims, p.bk), last = sm.step(dims, p.last_k);
      const double full_steps = static_cast<double>(p.ksteps - 1);
      w.l2_bytes_full += full.port_bytes;
      w.l2_bytes_last += last.port_bytes;
      w.mmas += full.mmas * full_steps + last.mmas;
      w.smem_bytes += full.smem_bytes * full_steps + last.smem_bytes;
      // The wave moves at the pace of its slowest SM in each k-step.
      // Its busiest SM sets the compute time; its most loaded L2 port sets the port time.
      const double full_port = std::max(w.full.port_bytes, full.port_bytes);
      const double last_port = std::max(w.last.port_bytes, last.port_bytes);
      if (full.cycles() > w.full.cycles()) w.full = full;
      if (last.cycles() > w.last.cycles()) w.last = last;
      w.full.port_bytes = full_port;
      w.last.port_bytes = last_port;
    }
    w.l2_read_bytes = w.l2_bytes_full * static_cast<double>(p.ksteps - 1) + w.l2_bytes_last;
    p.waves.push_back(std::move(w));
  }
  return p;
}

}  // namespace accsim
