#include "sim/hw/accelerator.hpp"

#include <exception>
#include <filesystem>
#include <tuple>

#include "sim/core/checked.hpp"
#include "sim/core/progress_note.hpp"
#include "sim/core/config.hpp"
#include "sim/core/input_file.hpp"
#include "sim/import/scalesim_cfg.hpp"
#include "sim/hw/common/compute_block.hpp"

namespace accsim {

namespace {

class Accelerator : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Accelerator);
  Accelerator(sc_core::sc_module_name name, ArchContext& arch, ConfigNode& compute_node, const Workload& workload)
      : sc_core::sc_module(name), arch_(arch), workload_(workload), dram_("dram", arch.dram) {
    compute_ = make_compute_block(compute_node, arch_, dram_);
    SC_THREAD(control);
  }

  void check_layers() const {
    for (const auto& layer : workload_.layers) {
      // Name the layer in precision errors, not only its position in the trace.
      SourceLocation where = layer.origin;
      where.key_path += (where.key_path.empty() ? "layer '" : " (layer '") + layer.name +
                        (where.key_path.empty() ? "'" : "')");
      check_layer_size(layer);
      arch_.mac->check(arch_.precision_of(layer), where);
      compute_->check(layer);
    }
  }

  std::vector<LayerResult> results;
  std::exception_ptr failure;
  const ComputeBlock& compute() const { return *compute_; }

 private:
  void control() {
    try {
      const double leakage_uw = compute_->leakage_uw();
      ProgressNote progress("run", "layers simulated");
      for (const auto& layer : workload_.layers) {
        progress.step(results.size(), workload_.layers.size(), layer.name);
        dram_.reset_counters();
        LayerResult r = compute_->execute(layer);
        r.name = layer.name;
        r.op = op_name(layer.op);
        r.dram_read_bytes = dram_.read_bytes();
        r.dram_write_bytes = dram_.write_bytes();
        r.energy.add("dram", static_cast<double>(r.dram_read_bytes + r.dram_write_bytes) * 8.0 * arch_.dram.pj_per_bit);
        // uW x s = 1e-6 J = 1e6 pJ.
        r.energy.add("static", leakage_uw * (static_cast<double>(r.cycles) / arch_.clock_hz) * 1e6);
        scale_by_repeat(r, layer.repeat, layer.origin);
        // The run totals (RunResult::total) sum these; check the sums here, where the layer is known.
        for (auto [total, v, what] : {std::tuple{&totals_[0], r.cycles, "total cycles"},
                                      std::tuple{&totals_[1], r.macs, "total MACs"},
                                      std::tuple{&totals_[2], r.dram_read_bytes + r.dram_write_bytes, "total DRAM bytes"}})
          *total = checked_add(*total, v, layer.origin, what);
        if (totals_[0] > static_cast<uint64_t>(INT64_MAX)) throw_count_overflow(layer.origin, "total cycles");
        results.push_back(std::move(r));
      }
    } catch (...) {
      failure = std::current_exception();
    }
    // Returning lets sc_start() end when no events remain (sc_stop() would print an Info line).
  }

  static void scale_by_repeat(LayerResult& r, int64_t repeat, const SourceLocation& where) {
    r.repeat = repeat;
    if (repeat == 1) return;
    const auto n = static_cast<uint64_t>(repeat);
    // Each count times repeat must fit: a wrapped total would be a silently wrong answer.
    auto scale = [&](auto& v, const char* what) {
      v = checked_mul(static_cast<uint64_t>(v), n, where, std::string(what) + " x repeat " + std::to_string(repeat));
    };
    scale(r.cycles, "cycles");
    scale(r.compute_cycles, "compute cycles");
    scale(r.stall_cycles, "stall cycles");
    scale(r.macs, "MACs");
    scale(r.effectual_macs, "effectual MACs");
    scale(r.dram_read_bytes, "DRAM read bytes");
    scale(r.dram_write_bytes, "DRAM write bytes");
    if (r.cycles > static_cast<uint64_t>(INT64_MAX)) throw_count_overflow(where, "cycles x repeat");
    r.energy.scale(static_cast<double>(repeat));
    for (auto& kv : r.counters) kv.second *= static_cast<double>(repeat);
  }

  uint64_t totals_[3] = {0, 0, 0};  // cycles, MACs, DRAM bytes so far
  ArchContext& arch_;
  const Workload& workload_;
  DramChannel dram_;
  std::unique_ptr<ComputeBlock> compute_;
};

DramSpec read_dram(ConfigNode node, const EnergyTable& table) {
  DramSpec d;
  d.technology = node.get("technology", "lpddr4", "", "DRAM type; selects pJ/bit from the energy table");
  d.bandwidth_gb_s = node.get<double>("bandwidth_gb_s", 0.0, "GB/s", "channel bandwidth; 0 = unlimited");
  if (!node.describing() && d.bandwidth_gb_s < 0) node.fail("bandwidth_gb_s", "must be >= 0");
  d.latency_ns = node.get<double>("latency_ns", 0.0, "ns", "access latency added to every transfer");
  if (!node.describing() && d.latency_ns < 0) node.fail("latency_ns", "must be >= 0");
  // Documented bound (docs/reliability.md): one second of latency is already far past any DRAM.
  if (!node.describing() && d.latency_ns > 1e9) node.fail("latency_ns", "must be <= 1e9 ns (1 s)");
  const double override_pj = node.get<double>("pj_per_bit", 0.0, "pJ/bit", "0 = take it from the energy table");
  if (!node.describing()) d.pj_per_bit = override_pj > 0 ? override_pj : table.dram_pj_per_bit(d.technology);
  node.finish();
  return d;
}

}  // namespace

YAML::Node load_arch_tree(const std::string& path) {
  if (std::filesystem::path(path).extension() == ".cfg") return scalesim_cfg_to_arch(path);
  return load_yaml_file(path);
}

void read_arch_common(ConfigNode& top, const std::string& arch_path, ArchContext& arch) {
  arch.name = top.get("name", std::filesystem::path(arch_path).stem().string().c_str(), "", "design name");
  top.get("description", "", "", "free text");
  // Hardware sizes (PEs, banks, KiB, SMs, bits) are capped at 2^24 so that products of a few of
  // them stay far inside 64-bit counts (docs/reliability.md).
  top.tree()->positive_int_max = int64_t{1} << 24;
  top.tree()->positive_int_max_reason = "hardware sizes are capped at 2^24";
  const double clock_mhz = top.get_positive("clock_mhz", 1000.0, "MHz", "clock frequency (<= 1e5 MHz)");
  if (!top.describing() && clock_mhz > 1e5) top.fail("clock_mhz", "must be <= 1e5 MHz (100 GHz)");
  arch.clock_hz = clock_mhz * 1e6;
  arch.technology_nm = static_cast<int>(top.get_positive("technology_nm", int64_t{45}, "nm", "technology node"));
  const std::string table_rel = top.get("energy_table", "../energy/45nm.yaml", "path",
                                        "energy reference table, relative to this file");
  if (!top.describing()) {
    const std::filesystem::path table_path = std::filesystem::path(arch_path).parent_path() / table_rel;
    if (const std::string problem = input_path_problem(table_path.string()); !problem.empty())
      top.fail("energy_table", problem);
    arch.energy = EnergyTable::load(table_path.string());
    if (arch.energy.technology_nm() != arch.technology_nm)
      top.fail("technology_nm", "is " + std::to_string(arch.technology_nm) + " but the energy table is for " +
                                    std::to_string(arch.energy.technology_nm()) + " nm");
  }
  ConfigNode sim = top.child("sim", "simulation options");
  arch.sim_mode = sim.get_choice("mode", "event", {"event", "cycle"},
                                 "event: skip to the next event; cycle: step the PE grid (slow, for checking)");
  sim.finish();
  arch.dram = read_dram(top.child("dram", "off-chip memory channel"), arch.energy);
}

RunOutput simulate(const RunRequest& req) {
  ArchContext arch;
  YAML::Node root = load_arch_tree(req.arch_path);
  ConfigNode top = open_config(root, req.arch_path, req.overrides);
  read_arch_common(top, req.arch_path, arch);
  ConfigNode mac_node = top.child("mac", "MAC lane model");
  arch.mac = make_mac_unit(mac_node);
  ConfigNode compute_node = top.child("compute", "compute block");

  Accelerator accel("accelerator", arch, compute_node, req.workload);
  top.finish();
  accel.check_layers();

  sc_core::sc_start();
  if (accel.failure) std::rethrow_exception(accel.failure);

  RunOutput out;
  out.resolved_config = top.tree()->resolved;
  // Make the resolved config usable from any directory.
  out.resolved_config["energy_table"] = std::filesystem::absolute(arch.energy.file()).lexically_normal().string();
  out.leakage_uw = accel.compute().leakage_uw();
  out.area_um2 = accel.compute().area_um2();
  RunResult& r = out.result;
  r.arch_name = arch.name;
  r.arch_file = req.arch_path;
  r.workload_name = req.workload.name;
  r.workload_source = req.workload.source;
  r.compute_kind = accel.compute().model_kind();
  r.clock_hz = arch.clock_hz;
  r.layers = std::move(accel.results);
  return out;
}

}  // namespace accsim

// libsystemc's main() calls sc_main; accsim has its own main, and tests use gtest's, so this only
// satisfies the linker.
int sc_main(int, char**) { return 0; }
