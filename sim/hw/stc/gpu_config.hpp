#pragma once
// Parameters of the sparse-tensor-core GPU model (compute.kind: sparse_tensor_core), already read
// from YAML. See docs/models/sparse-tensor-core.md for what each one does to the cycles.
#include <cstdint>
#include <map>
#include <string>

#include "sim/core/dtype.hpp"
#include "sim/hw/stc/nm_format.hpp"

namespace accsim {

struct StcConfig {
  int64_t sms = 108;
  int64_t tensor_cores_per_sm = 4;
  std::map<std::string, int64_t> fma_per_clk;  // dense FMA per clock per tensor core, by dtype name
  // Fraction of fma_per_clk a tensor core reaches with warp-level mma.sync / mma.sp (warp tiles,
  // warpgroup = false). 1 where mma.sync is the native path (A100); below 1 where only the
  // warpgroup wgmma path reaches the rated peak (H100). Peaks reported stay fma_per_clk's.
  double mma_sync_rate = 1.0;
  double register_file_kb = 256;               // per SM
  double smem_kb = 164;                        // shared memory per SM usable by thread blocks
  double smem_bytes_per_clk = 128;             // per SM
  int64_t smem_banks = 32;
  // PE-local operand register accesses per executed MAC (a Sparseloop-style PE with one-word
  // LRFs reads A and B and reads + writes Z per MAC: 4). 0 = fragments only (papers15).
  double pe_operand_accesses_per_mac = 0;
  // Sparseloop-style PE mesh (energy, and DRAM reads with staged_dram; off = mma fragments through
  // the register file): see sim/hw/stc/pe_mesh_actions.hpp. Reuse factors come from the mapping
  // the design is run with.
  struct PeMesh {
    bool on = false;
    double weight_reuse = 1;          // activation rows one weight serves from the PE's LRF
    double activation_multicast = 1;  // weight rows one shared-memory activation read feeds
    double psum_update_k = 1;         // dense K summed across PEs per partial-sum read + update
    double psum_bytes = 4;            // partial-sum word in the sub-partition register file
    // DRAM loop of an explicitly managed L2-level buffer (false = the L2 plan's LRU traffic):
    // weights in as few blocks as fit beside one activation block, blocks outermost.
    bool staged_dram = false;
  } pe_mesh;
  double l2_mb = 40;
  double l2_bytes_per_clk = 5120;              // aggregate L2 -> SM read bandwidth
  double l2_latency_cycles = 200;
  double l2_bank_kb = 512;                     // one L2 slice (energy per access follows it)
  double sm_port_bytes_per_clk = 64;           // L2 -> one SM
  // Thread-block tile (dense kernels): m x n outputs, k_bytes of the weight operand per k-step.
  int64_t tile_m = 128, tile_n = 128, tile_k_bytes = 64;
  int64_t warp_m = 64, warp_n = 64;
  // Hopper wgmma: a "warp" tile is a warpgroup's; its mmas spread over all the SM's tensor cores.
  bool warpgroup = false;
  int64_t stages = 4;                          // cp.async multistage pipeline depth
  int64_t max_ctas_per_sm = 2;
  // Register occupancy: "accumulators" (a CTA needs its accumulator tile) or "threads" (CUDA's
  // per-thread allocation: accumulators, fragments and addresses, in 256-register warp units).
  std::string register_model = "accumulators";
  int64_t split_k_max = 1;                     // most K slices a small grid is split into (1 = never)
  int64_t split_k_fixed = 0;                   // set by kernel selection: exactly this split (0 = the rule)
  bool stream_k = false;                       // set by kernel selection: stream-K (the library's dispatch rule)
  int64_t raster_group = 8;                    // tile rows per rasterization group (L2 locality)
  // Sparsity support: "nvidia" = PTX mma.sp layouts per dtype; "nm" = n:m for every dtype.
  std::string sparse_format = "nvidia";
  int64_t sparse_n = 2, sparse_m = 4;
  double mux_area_um2_per_bit = 0;             // one 2:1 mux per operand bit (cell area)
  // Kernel library: "fixed" runs the tile above; "sm80"/"sm90" time every kernel of that
  // generation's catalogue (kernel_catalogue.hpp) and keep the fastest, as cuBLAS/cuSPARSELt do.
  std::string library = "fixed";
  double launch_us = 0;                        // kernel launch + prologue floor per kernel
  // Largest global workspace the caller grants a library kernel (cuBLASLt's
  // CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES); library candidates that need more (stream-K
  // partials, split-K partial sums: kernel_workspace_bytes) are not tried. < 0: no limit.
  double workspace_limit_bytes = -1;
  // Whether the library offers stream-K kernels (cuSPARSELt 0.4.0's API has split-K only).
  bool offer_stream_k = true;
  double board_limit_w = 0;                    // board power limit (0 = none): above it the clock drops
  double constant_w = 0;                       // board power not in the energy tables (fans, VRM, idle)
  // Chip static power per SM (W); > 0 replaces the energy table's area-based leakage estimate.
  double sm_static_w = 0;
  // Core voltage against clock under the power limit (DVFS): V(f)/V(boost) = 1 - voltage_slope x
  // (1 - f/boost), so the block's dynamic energy per action scales with V^2 (0 = voltage fixed).
  double voltage_slope = 0;
  // Price instruction issue and SM activity (energy table extra_pj.gpu_warp_instruction,
  // gpu_active_cycle_per_datapath_bit); off: those actions are counted but cost nothing.
  bool gpu_overheads = false;
  // Operand layout in HBM for the address streams of dram.kind timing (stc_streams.hpp):
  // "row_major" (CUTLASS's TN layouts) or "tiled" (each thread block's k-step fill contiguous).
  std::string dram_layout = "row_major";

  int64_t tensor_cores() const { return sms * tensor_cores_per_sm; }
  // Dense FMA/clk of one tensor core for a dtype; 0 when it has no tensor core path.
  int64_t rate(const DType& t) const {
    auto it = fma_per_clk.find(t.name);
    if (it == fma_per_clk.end() && t.is_integer()) it = fma_per_clk.find("int" + std::to_string(t.bits));
    return it == fma_per_clk.end() ? 0 : it->second;
  }
  // The compressed layout the hardware uses for weights of this dtype.
  NmFormat hardware_format(const DType& t) const {
    return sparse_format == "nvidia" ? nvidia_nm_format(t)
                                     : generic_nm_format(static_cast<int>(sparse_n), static_cast<int>(sparse_m), t);
  }
  // Peak multiply-accumulates per clock of the whole GPU (dense, or sparse counting dense-equivalent MACs).
  double peak_macs_per_clk(const DType& t, bool sparse) const {
    const double dense = static_cast<double>(tensor_cores() * rate(t));
    return sparse ? dense / hardware_format(t).density() : dense;
  }
};

class ConfigNode;
// Reads and validates the compute node of a sparse_tensor_core architecture (stc_config.cpp).
StcConfig read_stc_config(ConfigNode& node);

}  // namespace accsim
