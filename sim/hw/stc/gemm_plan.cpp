#include "sim/hw/stc/gemm_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <list>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>

#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/stc/stream_k.hpp"

namespace accsim {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Largest plan accepted: bytes and thread blocks planned one by one (those before the waves start
// repeating), and waves in all (repetitions are stored once but stepped through one by one for
// the timeline's bookkeeping, 60-250 ns each: 4.9e7 waves of 128^3 GEMMs took 2.9 s). Beyond any, a layer is a located error,
// not an out-of-memory or a run of minutes.
constexpr double kMaxPlanBytes = 1e9;
constexpr double kMaxPlannedCtas = 4e6;
constexpr double kMaxWaves = 5e7;

std::string format_gb(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", bytes / 1e9);
  return buf;
}
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

// Dense mma k for a dtype (PTX ISA, "Matrix shape" table of mma): 256 bits of K per row.
int64_t dense_mma_k(const DType& t) {
  if (t.name == "tf32") return 8;
  if (t.name == "fp16" || t.name == "bf16") return 16;
  if (t.bits == 8) return 32;  // s8/u8, e4m3/e5m2
  if (t.is_integer() && t.bits == 4) return 64;
  return 0;
}

using Tile = GemmTile;

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
    std::vector<double> issued(tc_mmas.size(), 0.0);  // warp instructions per scheduler
    const int64_t k_mmas = ceil_div(ks, p_.mma.k);
    int64_t warp_index = 0;
    for (const auto& [tm, tn] : dims) {
      const double fill = static_cast<double>(tm * ks) * a_bytes_ + static_cast<double>(tn * ks) * b_bytes_;
      s.port_bytes += fill;
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
          s.warps.push_back({c_.warpgroup ? -1 : static_cast<int>(warp_index % c_.tensor_cores_per_sm),
                             static_cast<int64_t>(mmas)});
          // Each warp reads its fragments of both operands from shared memory once per k-step.
          const double frag = static_cast<double>(rows * ks) * a_bytes_ + static_cast<double>(cols * ks) * b_bytes_;
          s.smem_bytes += frag;
          // Issue slots (sm80 mma.sync kernels; a wgmma warpgroup issues one instruction for many
          // m16n8 steps and TMA one per tile: negligible): its mmas, ldmatrix.x4 per 512 B of
          // fragments and its share of the CTA's cp.async (32 threads x 16 B) fill.
          if (!c_.warpgroup)
            issued[static_cast<size_t>(warp_index % c_.tensor_cores_per_sm)] +=
                mmas + (frag + fill / static_cast<double>(wy * wx)) / 512.0;
        }
    }
    s.smem_bytes += s.port_bytes;  // the stage fill writes shared memory
    const double busiest = *std::max_element(tc_mmas.begin(), tc_mmas.end());
    s.math_cycles = static_cast<uint64_t>(std::ceil(busiest * p_.cycles_per_mma - 1e-9));
    s.smem_cycles = static_cast<uint64_t>(std::ceil(s.smem_bytes / c_.smem_bytes_per_clk - 1e-9));
    // One warp instruction per scheduler per clock [A100 whitepaper: one warp scheduler per SM sub-partition].
    s.issue_cycles = static_cast<uint64_t>(std::ceil(*std::max_element(issued.begin(), issued.end()) - 1e-9));
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
  // CTAs of one wave step through K together, so a panel two of them share is fetched from HBM
  // once per wave, k-slice by k-slice, however large the whole panel is against L2.
  void begin_wave() { wave_.clear(); }
  // Returns true on a hit; on a miss the panel is brought in (evicting the oldest).
  bool touch(const std::tuple<int, int64_t, int64_t, int64_t>& key, double bytes) {
    const bool shared = !wave_.insert(key).second;
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
    return shared;
  }

  using Key = std::tuple<int, int64_t, int64_t, int64_t>;
  using Entry = std::pair<Key, double>;
  // What L2 holds, least recently used first, and its bytes (between waves).
  struct State {
    std::vector<Entry> panels;
    double held = 0;
  };
  State state() const { return {std::vector<Entry>(order_.begin(), order_.end()), held_}; }
  // Whether L2 now holds exactly what it held in `before`, with every instance index `shift` higher
  // (weight panels too when each instance has its own weights): then the waves that follow repeat
  // the ones that followed `before`.
  bool repeats(const State& before, int64_t shift, bool weights_per_instance) const {
    if (before.held != held_ || before.panels.size() != order_.size()) return false;
    auto it = order_.begin();
    for (const auto& [key, bytes] : before.panels) {
      const auto& [kind, inst, row, slice] = key;
      const int64_t d = kind == 0 || weights_per_instance ? shift : 0;
      if (it->second != bytes || it->first != Key{kind, inst + d, row, slice}) return false;
      ++it;
    }
    return true;
  }

 private:
  std::set<std::tuple<int, int64_t, int64_t, int64_t>> wave_;
  double capacity_, held_ = 0;
  std::list<Entry> order_;
  std::map<std::tuple<int, int64_t, int64_t, int64_t>, std::list<Entry>::iterator> where_;
};

}  // namespace

bool WavePlan::same_timing(const WavePlan& o) const {
  if (this == &o) return true;  // an aggregated plan's repeated wave (issue #16)
  return ctas == o.ctas && full.cycles() == o.full.cycles() && last.cycles() == o.last.cycles() &&
         full.port_bytes == o.full.port_bytes && last.port_bytes == o.last.port_bytes &&
         l2_bytes_full == o.l2_bytes_full && l2_bytes_last == o.l2_bytes_last && hbm_read_bytes == o.hbm_read_bytes &&
         store_bytes == o.store_bytes && store_hbm_bytes == o.store_hbm_bytes && store_port_bytes == o.store_port_bytes &&
         steps == o.steps && fixup_port_bytes == o.fixup_port_bytes && fixup_l2_bytes == o.fixup_l2_bytes &&
         epilogue_smem_bytes == o.epilogue_smem_bytes;
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

namespace {

// mma shape, k-step extent and count, and the weight operand's bytes per element.
void plan_k_steps(GemmPlan& p, const StcConfig& c, const Layer& layer, const GemmShape& g, bool sparse,
                  const NmFormat& format) {
  const DType& wt = layer.weights.dtype;
  try {
    p.mma = mma_shape(wt, sparse, format);
  } catch (const InputError& e) {
    layer_error(layer, e.what());
  }
  // A warp-level mma.sync/mma.sp kernel on a GPU whose full rate needs wgmma runs slower.
  const double rate = static_cast<double>(c.rate(wt)) * (c.warpgroup ? 1.0 : c.mma_sync_rate);
  // Executed multiplies per mma over the tensor core's multipliers per clock.
  p.cycles_per_mma = static_cast<double>(p.mma.m * p.mma.n * p.mma.k) * (sparse ? format.density() : 1.0) / rate;

  const double b_dense_bytes = b_operand_bytes(layer);  // a matmul's activation or KV-cache format
  // Group-wise quantization scales travel with the weights, uncompressed.
  p.weight_bytes_per_element = (sparse ? b_dense_bytes * format.storage_fraction() : b_dense_bytes) + group_scale_bytes(layer);
  if (sparse) p.meta_bytes_per_element = format.group_meta_bits() / 8.0 / format.group_elements();
  // k_bytes of the (uncompressed) weight operand per k-step; a sparse kernel keeps the same bytes
  // of compressed weights per stage, so its dense-equivalent K extent grows by M/N.
  const int64_t dense_k = dense_mma_k(wt);
  p.bk = round_up(std::max<int64_t>(1, static_cast<int64_t>(std::llround(c.tile_k_bytes / b_dense_bytes))), dense_k);
  if (sparse) p.bk = p.bk / dense_k * p.mma.k;
  p.k_padded = sparse ? round_up(g.k, format.group_elements()) : g.k;
  p.ksteps = ceil_div(p.k_padded, p.bk);
  p.last_k = p.k_padded - (p.ksteps - 1) * p.bk;
}

// 32-bit registers per thread the kernel holds: accumulators; on sm80 (mma.sync) the A and B
// warp fragments of one mma k-step, double-buffered as CUTLASS's warp-level pipeline does (wgmma
// reads its operands from shared memory: none); plus 32 for addresses, indices and loop state
// (assumption). Capped at 255, the most a thread can have [CUDA C++ Programming Guide, 8.x].
int64_t regs_per_thread(const GemmPlan& p, const StcConfig& c, const Layer& layer, double a_bytes) {
  const double threads = c.warpgroup ? 128.0 : 32.0;  // threads sharing one warp(-group) tile
  const double acc = static_cast<double>(c.warp_m * c.warp_n) * layer.accumulators.dtype.bytes() / 4.0 / threads;
  const double k = static_cast<double>(p.mma.k);
  const double frag = c.warpgroup ? 0.0
                                  : 2.0 * (static_cast<double>(c.warp_m) * k * a_bytes +
                                           static_cast<double>(c.warp_n) * k * p.weight_bytes_per_element) / 4.0 / 32.0;
  return std::min<int64_t>(255, static_cast<int64_t>(std::ceil(acc + frag - 1e-9)) + 32);
}

// Stages that fit shared memory and CTAs per SM (shared memory, registers, the configured cap).
void plan_occupancy(GemmPlan& p, const StcConfig& c, const Layer& layer, double a_bytes) {
  p.stage_bytes = static_cast<double>(c.tile_m * p.bk) * a_bytes + static_cast<double>(c.tile_n * p.bk) * p.weight_bytes_per_element;
  // Like CUTLASS's automatic stage count: as many stages as fit, up to the configured depth.
  const double smem_bytes = c.smem_kb * 1024.0;
  p.stages = std::min<int64_t>(c.stages, static_cast<int64_t>(std::floor(smem_bytes / p.stage_bytes)));
  if (p.stages < 2) p.stages = 2;  // below double buffering the kernel does not exist: fails below
  const auto smem_cap = static_cast<int64_t>(std::floor(smem_bytes / (static_cast<double>(p.stages) * p.stage_bytes)));
  // register_model threads: allocated per warp in units of 256 [CUDA occupancy calculator, 8.x/9.x].
  const int64_t warps = (c.tile_m / c.warp_m) * (c.tile_n / c.warp_n) * (c.warpgroup ? 4 : 1);
  const bool threads = c.register_model == "threads";
  const int64_t warp_regs = (regs_per_thread(p, c, layer, a_bytes) * 32 + 255) / 256 * 256;
  const double cta_reg_bytes = threads ? static_cast<double>(warps * warp_regs * 4)
                                       : static_cast<double>(c.tile_m * c.tile_n) * layer.accumulators.dtype.bytes();
  const auto rf_cap = static_cast<int64_t>(std::floor(c.register_file_kb * 1024.0 / cta_reg_bytes));
  p.ctas_per_sm = std::min({c.max_ctas_per_sm, smem_cap, rf_cap});
  p.limiter = p.ctas_per_sm == smem_cap ? "smem" : p.ctas_per_sm == rf_cap ? "registers" : "max_ctas_per_sm";
  if (p.ctas_per_sm <= 0)
    layer_error(layer, "a " + std::to_string(c.tile_m) + "x" + std::to_string(c.tile_n) + "x" + std::to_string(p.bk) + " tile with " +
                           std::to_string(p.stages) + " stages needs " + std::to_string(static_cast<int64_t>(static_cast<double>(p.stages) * p.stage_bytes)) +
                           " B of shared memory and " + std::to_string(static_cast<int64_t>(cta_reg_bytes)) +
                           (threads ? " B of registers" : " B of accumulators") + "; the SM has " + std::to_string(static_cast<int64_t>(c.smem_kb * 1024)) + " B and " +
                           std::to_string(static_cast<int64_t>(c.register_file_kb * 1024)) + " B");
}

// Stream-K (kernel selection's candidate): the library's split into data-parallel tiles and
// stream-K units; the stream-K tiles are the last ones in launch order. Throws when the rule
// gives no stream-K work (the candidate is then the data-parallel kernel, already timed).
void plan_stream_k(GemmPlan& p, const StcConfig& c, const GemmShape& g, int64_t tiles) {
  // CUTLASS runs stream-K in GemmUniversalMode::kGemm only: one GEMM, no split-K, whole k-steps.
  if (p.split_k != 1 || g.instances != 1 || g.sequential_steps != 1 || p.last_k != p.bk)
    throw InputError("stream-K needs one GEMM of whole k-steps");
  const StreamKSplit s = stream_k_split(c.library, tiles, p.ksteps, c.sms, p.ctas_per_sm);
  if (s.sk_units <= 0) throw InputError("no stream-K work for " + std::to_string(tiles) + " tiles");
  p.sk_tiles = s.sk_tiles;
  p.sk_units = s.sk_units;
  p.ctas = s.dp_tiles + s.sk_units;
}

// Tiles, split-K (the rule for small grids, or the split kernel selection fixed) and CTA count.
void plan_split(GemmPlan& p, const StcConfig& c, const GemmShape& g) {
  p.tiles_m = ceil_div(g.m, c.tile_m);
  p.tiles_n = ceil_div(g.n, c.tile_n);
  const int64_t tiles = p.tiles_m * p.tiles_n * g.instances;
  const int64_t wave_size = c.sms * p.ctas_per_sm;
  // Split-K when the tiles would leave at least half the SMs idle: the largest split that still
  // fits one wave, divides the k-steps evenly and leaves each CTA at least `stages` k-steps.
  if (c.split_k_fixed > 1) {
    // Kernel selection asks for exactly this split; it must divide the k-steps evenly.
    if (p.last_k != p.bk || g.sequential_steps != 1 || p.ksteps % c.split_k_fixed != 0)
      throw InputError("split-K " + std::to_string(c.split_k_fixed) + " does not divide " + std::to_string(p.ksteps) + " k-steps");
    p.split_k = c.split_k_fixed;
  } else if (c.split_k_fixed == 0 && c.split_k_max > 1 && 2 * tiles <= c.sms && p.last_k == p.bk && g.sequential_steps == 1) {
    for (int64_t s = std::min(c.split_k_max, wave_size / tiles); s >= 2; --s)
      if (p.ksteps % s == 0 && p.ksteps / s >= p.stages) {
        p.split_k = s;
        break;
      }
  }
  p.ksteps /= p.split_k;
  p.k_slice = p.ksteps * p.bk;
  if (p.split_k == 1) p.k_slice = p.k_padded;
  p.ctas = tiles * p.split_k;
  if (c.stream_k) plan_stream_k(p, c, g, tiles);
}

// Refuses, before any allocation, a plan whose size grows with its waves beyond what planning
// and playing them can hold (issue #16). Waves that repeat are kept once (plan_waves), but the
// timeline still steps every wave's bookkeeping, and a GEMM whose thread blocks never repeat
// (too few instances) is planned block by block: both are bounded here.
void check_plan_size(const GemmPlan& p, int64_t wave_size) {
  const double waves = std::ceil(static_cast<double>(p.ctas) / static_cast<double>(wave_size));
  if (waves > kMaxWaves)
    throw PlanTooLarge(std::to_string(p.ctas) + " thread blocks run as " + std::to_string(static_cast<int64_t>(waves)) +
                       " waves; the timeline steps each wave (limit " + std::to_string(static_cast<int64_t>(kMaxWaves)) +
                       " waves); split the layer (fewer instances per layer, a larger repeat)");
  // Only identical instances make waves repeat, every `period` waves (find_cycle): a GEMM in which
  // two periods do not fit, or do not fit the thread blocks that may be planned one by one, is
  // planned thread block by thread block.
  const int64_t per_instance = p.tiles_m * p.tiles_n * p.split_k;
  const double period_ctas = static_cast<double>(per_instance / std::gcd(wave_size, per_instance)) * static_cast<double>(wave_size);
  const bool may_repeat = 2 * period_ctas <= std::min(static_cast<double>(p.ctas), kMaxPlannedCtas);
  const double plan_bytes = waves * static_cast<double>(sizeof(WavePlan) + 2 * 16 * sizeof(WarpWork));
  if (!may_repeat && (plan_bytes > kMaxPlanBytes || static_cast<double>(p.ctas) > kMaxPlannedCtas))
    throw PlanTooLarge("planning " + std::to_string(p.ctas) + " distinct thread blocks one by one would need about " +
                       format_gb(plan_bytes) + " GB and " + std::to_string(p.ctas) + " L2 look-ups (limits " +
                       format_gb(kMaxPlanBytes) + " GB, " + std::to_string(static_cast<int64_t>(kMaxPlannedCtas)) +
                       " thread blocks); split the layer into smaller GEMMs");
}

// The CTA launched `index`-th. Launch order: instance by instance; inside one, groups of
// raster_group tile rows, column by column inside a group, split-K slices innermost, so that a
// wave touches few operand panels (the swizzle CUTLASS-style kernels use for L2 locality).
// Computed from the index, so no per-CTA list is kept.
Tile tile_at(const GemmPlan& p, int64_t index) {
  const int64_t per_instance = p.tiles_m * p.tiles_n * p.split_k;
  const int64_t inst = index / per_instance, r = index % per_instance;
  const int64_t group = p.raster_group * p.tiles_n * p.split_k;  // CTAs of a full row group
  const int64_t i0 = r / group * p.raster_group, rem = r % group;
  const int64_t rows = std::min(p.raster_group, p.tiles_m - i0);
  const int64_t j = rem / (rows * p.split_k), in_column = rem % (rows * p.split_k);
  return {inst, i0 + in_column / p.split_k, j, in_column % p.split_k};
}

// What every wave of one GEMM shares: operand reuse, output and partial-sum sizes, L2 spills.
struct WaveContext {
  double a_bytes = 0, a_unique = 1, out_bytes = 0, partial_bytes = 0;
  bool weights_per_instance = false, workspace_spills = false;
};

// Split-K workspace and reduction traffic; returns the shared per-wave context.
WaveContext wave_context(GemmPlan& p, const StcConfig& c, const Layer& layer, const GemmShape& g, double a_bytes) {
  WaveContext x;
  x.a_bytes = a_bytes;
  // Implicit-GEMM convolution reads each input element once from HBM, not once per filter tap.
  if (layer.op == OpKind::Conv2d) {
    const double input = static_cast<double>(layer.batch * (layer.in_channels / layer.groups) * layer.in_h * layer.in_w);
    x.a_unique = std::min(1.0, input / static_cast<double>(g.m * g.k));
  }
  x.weights_per_instance = layer.op == OpKind::Conv2d || g.b_is_activation;
  x.out_bytes = output_bytes(layer);  // a k/v projection writes the KV-cache format
  // Split-K CTAs store fp32/int32 partial sums; they stay in L2 unless the workspace spills.
  x.partial_bytes = layer.accumulators.dtype.bytes();
  const double workspace = p.split_k > 1 ? static_cast<double>(p.split_k * g.m * g.n * g.instances) * x.partial_bytes : 0.0;
  x.workspace_spills = workspace > c.l2_mb * 1024.0 * 1024.0 / 2;
  if (p.split_k > 1) {
    p.reduction_read_bytes = workspace;
    p.reduction_write_bytes = static_cast<double>(g.m * g.n * g.instances) * x.out_bytes;
    p.workspace_hbm_bytes = x.workspace_spills ? workspace : 0.0;
  }
  p.a_bytes = x.a_bytes, p.a_unique = x.a_unique, p.out_bytes = x.out_bytes, p.partial_bytes = x.partial_bytes;
  p.weights_per_instance = x.weights_per_instance, p.workspace_spills = x.workspace_spills;
  return x;
}

// One CTA of a wave: its store, and the operand panels it makes L2 fetch from HBM.
void add_cta(WavePlan& w, const GemmPlan& p, const WaveContext& x, const Tile& t, int64_t tm, int64_t tn, L2Panels& l2,
             double& sm_store) {
  const double store = static_cast<double>(tm * tn) * (p.split_k > 1 ? x.partial_bytes : x.out_bytes);
  w.store_bytes += store;
  if (p.split_k == 1 || x.workspace_spills) w.store_hbm_bytes += store;
  sm_store += store;
  const double a_panel = static_cast<double>(tm * p.k_slice) * x.a_bytes;
  const double b_panel = static_cast<double>(tn * p.k_slice) * p.weight_bytes_per_element;
  if (!l2.touch({0, t.inst, t.i, t.slice}, a_panel)) {
    w.hbm_read_bytes += a_panel * x.a_unique;
    w.misses.push_back({0, t.inst, t.i, t.slice});
  }
  const int64_t b_inst = x.weights_per_instance ? t.inst : 0;
  if (!l2.touch({1, b_inst, t.j, t.slice}, b_panel)) {
    w.hbm_read_bytes += b_panel;
    w.misses.push_back({1, b_inst, t.j, t.slice});
  }
}

// The per-SM k-step work of a wave: totals over all SMs, and the busiest SM for timing.
void add_sm_steps(WavePlan& w, const GemmPlan& p, std::vector<std::vector<std::pair<int64_t, int64_t>>>& per_sm,
                  SmModel& sm) {
  const double full_steps = static_cast<double>(p.steps_of(w) - 1);
  for (auto& dims : per_sm) {
    std::sort(dims.begin(), dims.end());
    const SmStep full = sm.step(dims, p.bk), last = sm.step(dims, p.last_k);
    w.l2_bytes_full += full.port_bytes;
    w.l2_bytes_last += last.port_bytes;
    w.mmas += full.mmas * full_steps + last.mmas;
    w.smem_bytes += full.smem_bytes * full_steps + last.smem_bytes;
    // The wave moves at the pace of its slowest SM in each k-step: its busiest SM sets the
    // compute time, its most loaded L2 port the port time.
    const double full_port = std::max(w.full.port_bytes, full.port_bytes);
    const double last_port = std::max(w.last.port_bytes, last.port_bytes);
    if (full.cycles() > w.full.cycles()) w.full = full;
    if (last.cycles() > w.last.cycles()) w.last = last;
    w.full.port_bytes = full_port;
    w.last.port_bytes = last_port;
  }
  w.l2_read_bytes = w.l2_bytes_full * full_steps + w.l2_bytes_last;
}

// Everything one wave's planning needs.
struct WaveInputs {
  const GemmPlan& p;
  const StcConfig& c;
  const GemmShape& g;
  const WaveContext& x;
  SmModel& sm;
  L2Panels& l2;
};

// Shared-memory bytes (written and read back) of one tile's epilogue. CUTLASS 2.x (sm80) stages
// the accumulators themselves (include/cutlass/epilogue/threadblock/default_epilogue_tensor_op.h:
// the warp tile iterator and shared load iterator carry ElementAccumulator); the sm90 TMA
// epilogue converts in registers and stages the output type for the TMA store
// (include/cutlass/epilogue/collective/sm90_epilogue_tma_warpspecialized.hpp, smem of ElementD).
// A Sparseloop-style PE mesh (compute.pe_mesh) writes its outputs without that staging.
double staged_bytes(const StcConfig& c, const WaveContext& x, int64_t tm, int64_t tn) {
  if (c.pe_mesh.on) return 0.0;
  return 2.0 * static_cast<double>(tm * tn) * (c.warpgroup ? x.out_bytes : x.partial_bytes);
}

// The wave of `ctas` thread blocks launched from the `first`-th on.
WavePlan plan_wave(const WaveInputs& in, int64_t first, int64_t ctas) {
  const StcConfig& c = in.c;
  WavePlan w;
  in.l2.begin_wave();
  w.ctas = ctas;
  w.first_cta = first;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> per_sm(static_cast<size_t>(std::min(c.sms, w.ctas)));
  std::vector<double> sm_store(per_sm.size(), 0.0), sm_staged(per_sm.size(), 0.0);
  for (int64_t idx = 0; idx < w.ctas; ++idx) {
    const Tile t = tile_at(in.p, first + idx);
    const int64_t tm = std::min(c.tile_m, in.g.m - t.i * c.tile_m);
    const int64_t tn = std::min(c.tile_n, in.g.n - t.j * c.tile_n);
    // The block scheduler fills every SM once before giving any SM a second CTA.
    const size_t s = static_cast<size_t>(idx % c.sms);
    per_sm[s].emplace_back(tm, tn);
    add_cta(w, in.p, in.x, t, tm, tn, in.l2, sm_store[s]);
    sm_staged[s] += staged_bytes(c, in.x, tm, tn);
  }
  w.store_port_bytes = *std::max_element(sm_store.begin(), sm_store.end());
  w.epilogue_smem_bytes = *std::max_element(sm_staged.begin(), sm_staged.end());
  add_sm_steps(w, in.p, per_sm, in.sm);
  for (double b : sm_staged) w.smem_bytes += b;
  return w;
}

// The stream-K wave: unit u runs k-steps [begin, end) of the sk_tiles x ksteps that follow the
// `first_tile` data-parallel tiles, on SM u % sms. A unit that covers a tile's first k-step
// finishes it: it reads back its peers' partial tiles and stores C; a unit that starts inside a
// tile writes its partial tile to the workspace (in L2) instead. Peers that start inside a tile
// do that part first, so their partials are there when the finishing unit gets to the end of its
// run, except a peer whose whole run lies inside the tile (three or more peers): it ends with the
// finishing unit, which waits for its partial write as well.
WavePlan plan_stream_k_wave(const WaveInputs& in, int64_t first_tile) {
  const StcConfig& c = in.c;
  const GemmPlan& p = in.p;
  WavePlan w;
  in.l2.begin_wave();
  w.ctas = p.sk_units;
  w.first_cta = first_tile;
  const int64_t total = p.sk_tiles * p.ksteps;
  auto dims = [&](int64_t tile) {
    const Tile t = tile_at(p, first_tile + tile);
    return std::make_pair(std::min(c.tile_m, in.g.m - t.i * c.tile_m), std::min(c.tile_n, in.g.n - t.j * c.tile_n));
  };
  std::vector<int64_t> peers(static_cast<size_t>(p.sk_tiles), 0);
  for (int64_t u = 0; u < p.sk_units; ++u) {
    const UnitRange r = stream_k_unit(total, p.sk_units, u);
    w.steps = std::max(w.steps, r.end - r.begin);
    for (int64_t t = r.begin / p.ksteps; t <= (r.end - 1) / p.ksteps; ++t) ++peers[static_cast<size_t>(t)];
  }
  const size_t sms = static_cast<size_t>(std::min(c.sms, w.ctas));
  std::vector<std::vector<std::pair<int64_t, int64_t>>> per_sm(sms);
  std::vector<double> sm_store(sms, 0.0), sm_fixup(sms, 0.0), sm_staged(sms, 0.0);
  for (int64_t u = 0; u < p.sk_units; ++u) {
    const UnitRange r = stream_k_unit(total, p.sk_units, u);
    const size_t sm = static_cast<size_t>(u % c.sms);
    per_sm[sm].push_back(dims(r.begin / p.ksteps));
    for (int64_t t = r.begin / p.ksteps; t <= (r.end - 1) / p.ksteps; ++t) {
      const auto [tm, tn] = dims(t);
      const double partial = static_cast<double>(tm * tn) * in.x.partial_bytes;
      const int64_t n = peers[static_cast<size_t>(t)];
      if (r.begin <= t * p.ksteps) {  // finishing unit: peers' partials in, C out
        sm_store[sm] += static_cast<double>(tm * tn) * in.x.out_bytes;
        sm_staged[sm] += staged_bytes(c, in.x, tm, tn);
        sm_fixup[sm] += static_cast<double>(n - 1) * partial + (n >= 3 ? partial : 0.0);
        w.fixup_l2_bytes += static_cast<double>(n - 1) * partial;
      } else {
        sm_store[sm] += partial;
        w.store_bytes += partial;
      }
    }
  }
  double unused = 0;
  for (int64_t t = 0; t < p.sk_tiles; ++t) {  // operand panels and the C tile, once per tile
    const auto [tm, tn] = dims(t);
    add_cta(w, p, in.x, tile_at(p, first_tile + t), tm, tn, in.l2, unused);
  }
  w.store_port_bytes = *std::max_element(sm_store.begin(), sm_store.end());
  w.fixup_port_bytes = *std::max_element(sm_fixup.begin(), sm_fixup.end());
  w.epilogue_smem_bytes = *std::max_element(sm_staged.begin(), sm_staged.end());
  add_sm_steps(w, p, per_sm, in.sm);
  // The busiest unit's k-steps stand for every unit's in the timing; totals count the k-steps run.
  const double run = static_cast<double>(total) / static_cast<double>(p.sk_units * w.steps);
  w.mmas *= run, w.smem_bytes *= run, w.l2_read_bytes = w.l2_read_bytes * run + w.fixup_l2_bytes;
  for (double b : sm_staged) w.smem_bytes += b;
  return w;
}

// Aggregation (issue #16): `period` waves launch a whole number of instances (`shift`), so wave
// i + period runs the tiles of wave i for later instances. Once L2 holds, after some wave e, what
// it held n x period waves earlier with those instances shifted by n x shift, every later full
// wave repeats the one n x period before it, bit for bit (same tiles, same hits and misses): the
// run of waves (e - n x period, e] is kept once with its count. The L2 contents compared against
// are copied at growing intervals (about 1/8 of the waves so far), so that a long warm-up (L2
// filling with small panels) costs a few dozen copies. Returns whether that point was reached.
bool find_cycle(GemmPlan& p, const WaveInputs& in, int64_t wave_size) {
  const int64_t per_instance = p.tiles_m * p.tiles_n * p.split_k;
  const int64_t period = per_instance / std::gcd(wave_size, per_instance);
  const int64_t shift = period * wave_size / per_instance;
  const int64_t full_waves = p.dp_ctas() / wave_size;
  L2Panels::State before;
  int64_t before_wave = -1, interval = period;
  for (int64_t e = 0; e < full_waves; ++e) {
    if (static_cast<double>(e * wave_size) > kMaxPlannedCtas)
      throw PlanTooLarge("the first " + std::to_string(e * wave_size) + " of " + std::to_string(p.ctas) +
                         " thread blocks do not settle into repeating waves (limit " +
                         std::to_string(static_cast<int64_t>(kMaxPlannedCtas)) +
                         " thread blocks planned one by one); split the layer into smaller GEMMs");
    p.waves.push_back(plan_wave(in, e * wave_size, wave_size));
    if (before_wave >= 0 && e - before_wave < interval) continue;
    if (before_wave >= 0 && in.l2.repeats(before, shift * (interval / period), in.x.weights_per_instance)) {
      const int64_t rest = full_waves - (e + 1);  // full waves still to come
      p.cycle_first = e + 1 - interval;
      p.cycle_len = interval;
      p.cycle_count = 1 + rest / interval;
      p.cycle_instances = interval / period * shift;
      // The leftover full waves repeat the cycle's first ones; planning them brings L2 to where it
      // is before the last, partial wave, whose tiles are then taken `rest / interval` cycles early.
      int64_t next = e + 1;
      for (int64_t q = 0; q < rest % interval; ++q, ++next) p.waves.push_back(plan_wave(in, next * wave_size, wave_size));
      if (p.dp_ctas() % wave_size != 0) p.waves.push_back(plan_wave(in, next * wave_size, p.dp_ctas() % wave_size));
      return true;
    }
    before = in.l2.state();
    before_wave = e;
    interval = std::max(period, ceil_div((e + 1) / 8, period) * period);
  }
  return false;
}

// L2 panels and the per-SM work of every wave.
void plan_waves(GemmPlan& p, const StcConfig& c, const Layer& layer, const GemmShape& g, double a_bytes,
                int64_t max_waves, int64_t aggregate_after) {
  const int64_t wave_size = c.sms * p.ctas_per_sm;
  const int64_t dp = p.dp_ctas();
  p.total_waves = ceil_div(dp, wave_size) + (p.sk_units > 0 ? 1 : 0);
  const WaveContext x = wave_context(p, c, layer, g, a_bytes);
  SmModel sm(c, p, a_bytes, p.weight_bytes_per_element);
  L2Panels l2(c.l2_mb * 1024.0 * 1024.0);
  const WaveInputs in{p, c, g, x, sm, l2};
  if (max_waves <= 0 && aggregate_after >= 0 && p.total_waves > aggregate_after) {
    // No repetition: every full wave is planned; the partial one is left.
    if (!find_cycle(p, in, wave_size) && dp % wave_size != 0)
      p.waves.push_back(plan_wave(in, dp / wave_size * wave_size, dp % wave_size));
  } else {
    for (int64_t first = 0; first < dp && (max_waves <= 0 || first < max_waves * wave_size); first += wave_size)
      p.waves.push_back(plan_wave(in, first, std::min(wave_size, dp - first)));
  }
  if (p.sk_units > 0) {
    p.waves.push_back(plan_stream_k_wave(in, dp));
    p.sk_partial_bytes = p.waves.back().fixup_l2_bytes;
  }
}

}  // namespace

GemmTile gemm_tile(const GemmPlan& p, int64_t index) { return tile_at(p, index); }

GemmPlan plan_gemm(const StcConfig& c, const Layer& layer, const GemmShape& g, bool sparse, const NmFormat& format,
                   int64_t max_waves, int64_t aggregate_after) {
  GemmPlan p;
  p.sparse = sparse;
  p.format = format;
  const double a_bytes = layer.activations.dtype.bytes();
  plan_k_steps(p, c, layer, g, sparse, format);
  plan_occupancy(p, c, layer, a_bytes);
  plan_split(p, c, g);
  p.tile_m = c.tile_m, p.tile_n = c.tile_n, p.raster_group = c.raster_group, p.wave_size = c.sms * p.ctas_per_sm;
  check_plan_size(p, c.sms * p.ctas_per_sm);
  plan_waves(p, c, layer, g, a_bytes, max_waves, aggregate_after);
  return p;
}

}  // namespace accsim
