#pragma once
// How one GEMM runs on the GPU model, worked out in plain C++ before any simulated time passes:
// the PTX mma shape, the thread-block tiling and occupancy, the order CTAs are launched in, and,
// per wave of concurrently resident CTAs, the per-k-step work of the busiest SM (tensor-core
// cycles from whole mma instructions, shared-memory cycles) and the bytes each k-step pulls
// through L2 and HBM. The SystemC block then plays these waves through its memory channels.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/error.hpp"
#include "sim/hw/stc/gpu_config.hpp"
#include "sim/hw/stc/mma_issue.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

// One warp-level mma: m16 n8 k<k>; k counts dense-equivalent K elements (mma.sp's k).
struct MmaShape {
  int64_t m = 16, n = 8, k = 16;
  std::string ptx;  // e.g. "mma.sp.m16n8k32.f16"
};
// PTX ISA shapes that reach the tensor core's full rate: dense f16/bf16 m16n8k16, tf32 m16n8k8,
// s8/u8 m16n8k32, s4/u4 m16n8k64, e4m3/e5m2 m16n8k32; mma.sp doubles k (m16n8k32, k16, k64,
// k128, k64). A generalized N:M core multiplies the dense k by M/N.
MmaShape mma_shape(const DType& t, bool sparse, const NmFormat& f);

// Per-k-step work of one SM (all its resident CTAs together).
struct SmStep {
  uint64_t math_cycles = 0;   // busiest tensor core: sum of its warps' mma cycles
  uint64_t smem_cycles = 0;   // shared-memory bytes (fills + fragment reads) / bytes per clock
  uint64_t issue_cycles = 0;  // busiest warp scheduler: warp instructions it issues, one per clock
  double port_bytes = 0;      // L2 -> SM bytes (the stage fill)
  double smem_bytes = 0;
  double mmas = 0;
  std::vector<WarpWork> warps;  // per warp: its sub-partition and mmas (for sim.mode: cycle)
  uint64_t cycles() const { return std::max({math_cycles, smem_cycles, issue_cycles}); }
};

// An operand panel L2 fetches from HBM: kind 0 activation rows (tile row `index`), kind 1 weight
// rows (tile column `index`), over K slice `slice` of GEMM instance `inst` (0 for shared weights).
struct PanelMiss {
  int kind = 0;
  int64_t inst = 0, index = 0, slice = 0;
};

// One wave: what the simulation needs, and totals for counters and energy.
struct WavePlan {
  int64_t ctas = 0;
  int64_t first_cta = 0;             // launch index of its first thread block (as planned)
  std::vector<PanelMiss> misses;     // the panels behind hbm_read_bytes (address streams, stc_streams.hpp)
  SmStep full, last;                 // busiest SM, for a full k-step and for the last (partial) one
  double l2_bytes_full = 0, l2_bytes_last = 0;   // L2 -> SMs, all CTAs, per k-step
  double hbm_read_bytes = 0;         // panels this wave brings into L2 from HBM
  double store_bytes = 0;            // C tiles (or split-K partial sums) written into L2
  double store_hbm_bytes = 0;        // the part of store_bytes L2 writes back to HBM
  double store_port_bytes = 0;       // largest per-SM share of store_bytes
  // Epilogue: the accumulator tiles go registers -> shared memory -> registers -> global (CUTLASS
  // stages them to re-layout for coalesced stores); bytes written plus read on the busiest SM.
  double epilogue_smem_bytes = 0;
  // Stream-K (stream_k.hpp): the wave of stream-K units runs `steps` k-steps (0: the plan's
  // ksteps); before its epilogue the busiest SM reads its peers' partial tiles from L2 through
  // its port, after waiting for a peer whose whole run lies inside the tile to write its own.
  int64_t steps = 0;
  double fixup_port_bytes = 0;       // busiest SM: partial tiles waited for and read back
  double fixup_l2_bytes = 0;         // all partial tiles read back (L2 -> SMs)
  // Totals over the whole wave (all SMs, all k-steps), for counters and energy.
  double mmas = 0, smem_bytes = 0, l2_read_bytes = 0;

  bool same_timing(const WavePlan& o) const;
};

struct GemmPlan {
  MmaShape mma;
  bool sparse = false;
  NmFormat format;                   // meaningful when sparse
  int64_t bk = 0;                    // dense-equivalent K elements per k-step
  int64_t k_padded = 0;              // K rounded up to whole N:M groups / mma k
  int64_t split_k = 1;               // K slices run by separate CTAs (small-grid GEMMs)
  int64_t k_slice = 0;               // K extent of one CTA = k_padded / split_k
  int64_t ksteps = 0;                // k-steps per CTA
  int64_t last_k = 0;                // K extent of the last k-step
  int64_t stages = 0;                // pipeline depth used: the configured one, or fewer to fit smem
  int64_t ctas_per_sm = 0;
  int64_t tiles_m = 0, tiles_n = 0, ctas = 0;
  double cycles_per_mma = 0;
  double stage_bytes = 0;            // shared memory per CTA per pipeline stage
  double weight_bytes_per_element = 0;  // effective, including metadata when sparse
  // The waves in launch order, aggregated (issue #16): waves[cycle_first, cycle_first + cycle_len)
  // stand for cycle_count back-to-back repetitions of that run of waves (their thread blocks do the
  // same work with the same L2 behaviour, only for later instances); wave(i) is the i-th wave.
  std::vector<WavePlan> waves;
  int64_t cycle_first = 0, cycle_len = 0, cycle_count = 1;
  int64_t total_waves = 0;           // waves of the whole GEMM (more than wave_count() when truncated)
  // Stream-K (kernel selection's "_streamk" candidates): the last planned wave is the stream-K
  // wave of sk_units CTAs sharing the k-steps of the last sk_tiles tiles; the others are
  // data-parallel waves of one tile per CTA.
  int64_t sk_tiles = 0, sk_units = 0;
  double sk_partial_bytes = 0;       // partial tiles written to (and read back from) the workspace
  // k-steps of wave w's CTAs.
  int64_t steps_of(const WavePlan& w) const { return w.steps > 0 ? w.steps : ksteps; }
  // Tensor-core cycles of wave w's busiest SM: its full k-steps, then the last (partial) one.
  uint64_t compute_cycles_of(const WavePlan& w) const {
    return w.full.cycles() * static_cast<uint64_t>(steps_of(w) - 1) + w.last.cycles();
  }
  // Thread blocks that run one tile each (all of them without stream-K).
  int64_t dp_ctas() const { return ctas - sk_units; }
  // Split-K: a reduction pass sums the partials (read from L2, or HBM when they spill) into C.
  double reduction_read_bytes = 0, reduction_write_bytes = 0, workspace_hbm_bytes = 0;
  std::string limiter;               // what capped occupancy: "smem", "registers" or "max_ctas_per_sm"
  // What the address streams need (dram.kind timing, stc_streams.hpp): the tile the plan was made
  // with, its launch order, and the operands' bytes per element.
  int64_t tile_m = 0, tile_n = 0, raster_group = 1, wave_size = 0;
  int64_t cycle_instances = 0;       // instances one repetition of the cycle advances
  double a_bytes = 0, a_unique = 1, out_bytes = 0, partial_bytes = 0;
  double meta_bytes_per_element = 0; // 2:4 metadata share of weight_bytes_per_element
  bool weights_per_instance = false, workspace_spills = false;

  // Waves planned, repetitions included.
  int64_t wave_count() const { return static_cast<int64_t>(waves.size()) + cycle_len * (cycle_count - 1); }
  // The i-th planned wave (0 <= i < wave_count()).
  const WavePlan& wave(int64_t i) const {
    const int64_t cycle_end = cycle_first + cycle_len * cycle_count;
    if (i < cycle_first) return waves[static_cast<size_t>(i)];
    if (i < cycle_end) return waves[static_cast<size_t>(cycle_first + (i - cycle_first) % cycle_len)];
    return waves[static_cast<size_t>(i - cycle_len * (cycle_count - 1))];
  }
  // Tensor-core cycles of every planned wave's busiest SM, summed (one sequential step).
  uint64_t planned_compute_cycles() const {
    uint64_t total = 0;
    for (int64_t i = 0; i < wave_count(); ++i) total += compute_cycles_of(wave(i));
    return total;
  }
  // Instances by which the i-th wave's tiles lie beyond those of the stored wave(i) stands for.
  int64_t instance_shift(int64_t i) const {
    if (cycle_len == 0 || i < cycle_first) return 0;
    const int64_t rep = std::min((i - cycle_first) / cycle_len, cycle_count - 1);
    return rep * cycle_instances;
  }
};

// Whether a wave's first stage fills may be issued before the previous wave ends: with two or
// more CTAs per SM the next CTA is resident beside the finishing one, and sm90's persistent
// warp-specialized kernels keep their producer warp loading the next tile. A non-persistent sm80
// kernel at one CTA per SM starts its prologue (CUTLASS gemm/threadblock/mma_multistage.h:
// stages - 1 cp.async fills, then cp_async_wait before the first mma) only once the SM's CTA
// has exited, so every wave waits for its first stage: L2 latency plus the fill through the port.
// A Sparseloop-style PE mesh (compute.pe_mesh) is no CUTLASS kernel: it keeps the overlap.
inline bool prologue_overlaps(const StcConfig& c, const GemmPlan& p) {
  return p.ctas_per_sm > 1 || c.warpgroup || c.pe_mesh.on;
}

// The thread block launched index-th: instance, tile row i, tile column j, K slice.
struct GemmTile {
  int64_t inst, i, j, slice;
};
GemmTile gemm_tile(const GemmPlan& p, int64_t index);

// Plans with more waves than this look for a repeating run of waves and keep it once (issue #16).
constexpr int64_t kAggregateAfterWaves = 64;

// A GEMM with so many thread blocks that planning them one by one would exhaust memory.
struct PlanTooLarge : InputError {
  using InputError::InputError;
};

// Throws InputError (at the layer) when the tile does not fit the SM or the dtype has no tensor
// core path. `sparse` selects mma.sp with `format` for the weights.
// `max_waves` > 0 plans only the first max_waves waves (kernel selection's estimate); `total_waves`
// still counts them all. A full plan of more than `aggregate_after` waves keeps a repeating run of
// waves once with its count (< 0: never; the unaggregated plan, for tests).
GemmPlan plan_gemm(const StcConfig& c, const Layer& layer, const GemmShape& g, bool sparse, const NmFormat& format,
                   int64_t max_waves = 0, int64_t aggregate_after = kAggregateAfterWaves);

}  // namespace accsim
