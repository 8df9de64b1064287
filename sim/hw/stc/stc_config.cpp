// Reads compute.kind: sparse_tensor_core's parameters into StcConfig (gpu_config.hpp).
#include "sim/core/config.hpp"
#include "sim/core/dtype.hpp"
#include "sim/hw/stc/gpu_config.hpp"

namespace accsim {

namespace {

// The thread-block tile, the kernel library and the structured-sparsity support.
void read_kernel_params(ConfigNode& node, StcConfig& c) {
  ConfigNode tile = node.child("tile", "thread-block tile of the GEMM kernel");
  c.tile_m = tile.get_positive("m", c.tile_m, "elements", "tile rows (activation rows)");
  c.tile_n = tile.get_positive("n", c.tile_n, "elements", "tile columns (weight rows)");
  c.tile_k_bytes = tile.get_positive("k_bytes", c.tile_k_bytes, "B", "weight bytes per row per k-step (dense kernel)");
  c.warp_m = tile.get_positive("warp_m", c.warp_m, "elements", "warp tile rows");
  c.warp_n = tile.get_positive("warp_n", c.warp_n, "elements", "warp tile columns");
  c.warpgroup = tile.get<bool>("warpgroup", false, "",
                                "warp tiles are Hopper warpgroup (wgmma) tiles spread over all tensor cores");
  c.stages = tile.get_positive("stages", c.stages, "", "k-steps in flight (multistage pipeline)");
  c.max_ctas_per_sm = tile.get_positive("max_ctas_per_sm", c.max_ctas_per_sm, "", "occupancy cap");
  c.register_model = tile.get_choice("register_model", c.register_model, {"accumulators", "threads"},
                                     "registers a CTA holds: its accumulator tile, or per-thread CUDA allocation");
  c.split_k_max = tile.get_positive("split_k_max", c.split_k_max, "", "most K slices for grids smaller than a wave (1 = off)");
  c.raster_group = tile.get_positive("raster_group", c.raster_group, "tiles", "tile rows per launch-order group");
  tile.finish();
  ConfigNode kern = node.child("kernels", "GEMM kernel library and launch cost");
  c.library = kern.get_choice("library", c.library, {"fixed", "sm80", "sm90"},
                              "fixed: the tile above; sm80/sm90: time the generation's CUTLASS-like catalogue, keep the fastest");
  c.launch_us = kern.get<double>("launch_us", c.launch_us, "us", "launch + prologue floor per kernel");
  if (!kern.describing() && !(c.launch_us >= 0 && c.launch_us < 1e6)) kern.fail("launch_us", "must be in [0, 1e6)");
  const double ws_now = c.workspace_limit_bytes < 0 ? -1.0 : c.workspace_limit_bytes / 1024.0;
  const double ws_kb = kern.get<double>("workspace_limit_kb", ws_now, "KiB",
                                        "largest workspace the caller grants a library kernel; -1 = no limit");
  if (!kern.describing() && !(ws_kb == -1.0 || (ws_kb >= 0 && ws_kb < 1e9)))
    kern.fail("workspace_limit_kb", "must be -1 (no limit) or in [0, 1e9)");
  c.workspace_limit_bytes = ws_kb < 0 ? -1.0 : ws_kb * 1024.0;
  c.offer_stream_k = kern.get<bool>("stream_k", c.offer_stream_k, "",
                                    "the library offers stream-K kernels (library sm80/sm90)");
  kern.finish();
  ConfigNode pw = node.child("power", "board power limit and the clock it forces");
  c.board_limit_w = pw.get<double>("board_limit_w", c.board_limit_w, "W", "board power limit; 0 = none");
  c.constant_w = pw.get<double>("constant_w", c.constant_w, "W", "board power outside the energy tables");
  c.sm_static_w = pw.get<double>("sm_static_w", c.sm_static_w, "W",
                                  "chip static power per SM; > 0 replaces the table's area-based leakage");
  c.voltage_slope = pw.get<double>("voltage_slope", c.voltage_slope, "",
                                    "core voltage drop with the clock: V/V_boost = 1 - slope x (1 - f/f_boost); 0 = fixed voltage");
  c.gpu_overheads = pw.get<bool>("overheads", c.gpu_overheads, "",
                                 "price instruction issue and SM-active cycles (extra_pj.gpu_warp_instruction, gpu_active_cycle_per_datapath_bit)");
  if (!(c.sm_static_w >= 0 && c.sm_static_w < 1e3)) pw.fail("sm_static_w", "must be in [0, 1e3)");
  if (!(c.voltage_slope >= 0 && c.voltage_slope <= 1)) pw.fail("voltage_slope", "must be in [0, 1]");
  if (!(c.board_limit_w >= 0 && c.board_limit_w < 1e5)) pw.fail("board_limit_w", "must be in [0, 1e5)");
  if (!(c.constant_w >= 0 && c.constant_w < 1e5)) pw.fail("constant_w", "must be in [0, 1e5)");
  if (c.board_limit_w > 0 && c.constant_w + static_cast<double>(c.sms) * c.sm_static_w >= c.board_limit_w)
    pw.fail(c.sm_static_w > 0 ? "sm_static_w" : "constant_w", "constant_w + sms x sm_static_w must be below board_limit_w");
  pw.finish();
  ConfigNode sp = node.child("sparsity", "structured-sparsity support");
  c.sparse_format = sp.get_choice("format", c.sparse_format, {"nvidia", "nm"},
                                  "nvidia: PTX mma.sp layouts per format; nm: n:m for every format");
  c.sparse_n = sp.get_positive("n", c.sparse_n, "", "nonzeros kept per group (format nm)");
  c.sparse_m = sp.get_positive("m", c.sparse_m, "", "group size = selection-mux width (format nm)");
  c.mux_area_um2_per_bit = sp.get<double>("mux_area_um2_per_bit", 0.0, "um^2", "area of one 2:1 mux bit");
  sp.finish();
}

}  // namespace

StcConfig read_stc_config(ConfigNode& node) {
  StcConfig c;
  c.sms = node.get_positive("sms", c.sms, "SMs", "streaming multiprocessors");
  c.tensor_cores_per_sm = node.get_positive("tensor_cores_per_sm", c.tensor_cores_per_sm, "", "one per SM sub-partition");
  ConfigNode rates = node.child("fma_per_clk", "dense FMA per clock per tensor core, by operand format");
  if (rates.describing()) {
    rates.get_positive("fp16", int64_t{256}, "FMA/clk", "one entry per format the tensor core runs");
  } else {
    for (const auto& key : rates.keys()) {
      DType t;
      if (!parse_dtype(key, t)) rates.fail(key, "unknown format '" + key + "'");
      c.fma_per_clk[t.name] = rates.get_positive(key, int64_t{1}, "FMA/clk", "");
    }
    if (c.fma_per_clk.empty()) node.fail("fma_per_clk", "needs at least one format");
  }
  rates.finish();
  c.mma_sync_rate = node.get<double>("mma_sync_rate", c.mma_sync_rate, "",
                                     "fraction of fma_per_clk reached by warp-level mma.sync/mma.sp (non-warpgroup tiles)");
  if (!node.describing() && !(c.mma_sync_rate > 0 && c.mma_sync_rate <= 1)) node.fail("mma_sync_rate", "must be in (0, 1]");
  c.pe_operand_accesses_per_mac = node.get<double>("pe_operand_accesses_per_mac", 0.0, "accesses/MAC",
                                                  "PE-local operand register accesses per executed MAC (energy only)");
  if (!(c.pe_operand_accesses_per_mac >= 0 && c.pe_operand_accesses_per_mac <= 64))
    node.fail("pe_operand_accesses_per_mac", "must be within 0..64");
  if (node.has("pe_mesh") || node.describing()) {
    ConfigNode mesh = node.child("pe_mesh", "Sparseloop-style PE mesh data movement (energy; staged_dram also sets DRAM reads)");
    c.pe_mesh.on = true;
    c.pe_mesh.weight_reuse = mesh.get_positive("weight_reuse", 1.0, "rows", "activation rows one weight serves from its PE's LRF");
    c.pe_mesh.activation_multicast =
        mesh.get_positive("activation_multicast", 1.0, "rows", "weight rows one shared-memory activation read feeds");
    c.pe_mesh.psum_update_k = mesh.get_positive("psum_update_k", 1.0, "K", "dense K summed across PEs per partial-sum update");
    c.pe_mesh.psum_bytes = mesh.get_positive("psum_bytes", 4.0, "B", "partial-sum word in the register file");
    c.pe_mesh.staged_dram = mesh.get<bool>("staged_dram", false, "",
                                            "DRAM reads of an explicitly managed L2 buffer, weight blocks outermost");
    mesh.finish();
    if (!node.describing() && c.pe_operand_accesses_per_mac > 0)
      node.fail("pe_operand_accesses_per_mac", "is not used with pe_mesh (the mesh counts LRF accesses itself)");
  }
  c.register_file_kb = node.get_positive("register_file_kb", c.register_file_kb, "KiB", "register file per SM");
  ConfigNode smem = node.child("shared_memory", "per-SM shared memory");
  c.smem_kb = smem.get_positive("size_kb", c.smem_kb, "KiB", "usable by thread blocks");
  c.smem_bytes_per_clk = smem.get_positive("bytes_per_clk", c.smem_bytes_per_clk, "B/clk", "bandwidth per SM");
  c.smem_banks = smem.get_positive("banks", c.smem_banks, "", "banks (energy per access follows bank size)");
  smem.finish();
  ConfigNode l2 = node.child("l2", "shared L2 cache");
  c.l2_mb = l2.get_positive("size_mb", c.l2_mb, "MiB", "capacity");
  c.l2_bytes_per_clk = l2.get_positive("bytes_per_clk", c.l2_bytes_per_clk, "B/clk", "aggregate read bandwidth");
  c.l2_latency_cycles = l2.get<double>("latency_cycles", c.l2_latency_cycles, "cycles", "hit latency");
  if (!l2.describing() && c.l2_latency_cycles < 0) l2.fail("latency_cycles", "must be >= 0");
  c.l2_bank_kb = l2.get_positive("slice_kb", c.l2_bank_kb, "KiB", "one slice (energy per access follows it)");
  c.sm_port_bytes_per_clk = l2.get_positive("sm_port_bytes_per_clk", c.sm_port_bytes_per_clk, "B/clk", "L2 -> one SM");
  l2.finish();
  read_kernel_params(node, c);
  c.dram_layout = node.get_choice("dram_layout", c.dram_layout, {"row_major", "tiled"},
                                  "operand layout in HBM (address streams; dram.kind timing only)");
  if (!node.describing()) {
    if (c.sparse_format == "nm" && c.sparse_n >= c.sparse_m) node.fail("sparsity", "needs n < m");
    if (c.tile_m % c.warp_m != 0 || c.tile_n % c.warp_n != 0) node.fail("tile", "warp tiles must divide the tile");
    if (c.warp_m % 16 != 0 || c.warp_n % 8 != 0) node.fail("tile", "warp tiles must be multiples of the m16n8 mma");
    if (c.mux_area_um2_per_bit < 0) node.fail("sparsity", "mux_area_um2_per_bit must be >= 0");
  }
  return c;
}

// The model is event-driven throughout (no per-cycle PE grid to step): sim.mode=cycle is an error
// from the declaration.

}  // namespace accsim
