#include "sim/hw/accelerator.hpp"

#include <exception>
#include <filesystem>
#include <stdexcept>
#include <tuple>

#include "sim/core/checked.hpp"
#include "sim/core/config.hpp"
#include "sim/core/progress_note.hpp"
#include "sim/core/search_path.hpp"
#include "sim/import/scalesim_cfg.hpp"
#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/energy_stage.hpp"
#include "sim/hw/sim_kernel.hpp"

namespace accsim {

namespace {

// One run's controller: a plain object whose control() runs in the kernel's server thread.
class Accelerator {
 public:
  Accelerator(RunContext& ctx, const Workload& workload)
      : arch_(*ctx.arch), workload_(workload), dram_(ctx.dram), compute_(ctx.compute) {}

  void check_layers() const {
    ProgressNote progress("run", "layers checked");  // checks read and scan side-file masks
    size_t done = 0;
    for (const auto& layer : workload_.layers) {
      progress.step(done++, workload_.layers.size(), layer.name);
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

  // Simulates every layer in order (called from the kernel's thread: blocks wait in simulated time).
  void control() {
    ProgressNote progress("run", "layers simulated");
    for (const auto& layer : workload_.layers) {
      progress.step(results.size(), workload_.layers.size(), layer.name);
      dram_->reset_counters();
      LayerResult r = compute_->execute(layer);
      r.name = layer.name;
      r.op = op_name(layer.op);
      r.repeat = layer.repeat;
      r.dram_read_bytes = dram_->read_bytes();
      r.dram_write_bytes = dram_->write_bytes();
      r.actions.add("dram.read_bytes", static_cast<double>(r.dram_read_bytes));
      r.actions.add("dram.write_bytes", static_cast<double>(r.dram_write_bytes));
      dram_->add_actions(r.actions, r.counters);  // the memory kind's own actions (timing: ACT, bursts, ...)
      results.push_back(std::move(r));
    }
  }

  // After simulation: the energy stage prices each layer's actions (one repeat), then every
  // count and energy is multiplied by the layer's repeat.
  void price_and_scale() {
    const KindInfo& kind = compute_registry().find(compute_->kind())->info;
    uint64_t totals[3] = {0, 0, 0};  // cycles, MACs, DRAM bytes: RunResult::total sums these
    for (size_t i = 0; i < results.size(); ++i) {
      LayerResult& r = results[i];
      const SourceLocation& where = workload_.layers[i].origin;
      // Energy comes only from the energy stage; a block that still computes its own would be
      // silently overwritten, so it is a model bug reported loudly.
      if (!r.energy.items().empty())
        throw std::logic_error("compute kind '" + compute_->kind() +
                               "' reported energy; report actions instead (docs/architecture.md)");
      r.energy = price_layer(r.actions, r.cycles, *compute_, kind, arch_, core_energy_scale(r));
      scale_by_repeat(r, r.repeat, where);
      // Checked here, where the layer is known, so an overflow names it (never a wrapped total).
      for (auto [total, v, what] : {std::tuple{&totals[0], r.cycles, "total cycles"},
                                    std::tuple{&totals[1], r.macs, "total MACs"},
                                    std::tuple{&totals[2], r.dram_read_bytes, "total DRAM bytes"},
                                    std::tuple{&totals[2], r.dram_write_bytes, "total DRAM bytes"}})
        *total = checked_add(*total, v, where, what);
      if (totals[0] > static_cast<uint64_t>(INT64_MAX)) throw_count_overflow(where, "total cycles");
    }
  }

 private:
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
    r.actions.scale(static_cast<double>(repeat));
    for (auto& kv : r.counters)
      if (!r.figures.count(kv.first)) kv.second *= static_cast<double>(repeat);  // per-layer properties stay
  }

  ArchContext& arch_;
  const Workload& workload_;
  std::unique_ptr<MemoryModel>& dram_;
  std::unique_ptr<ComputeBlock>& compute_;
};

// dram.kind selects the memory model; technology and pj_per_bit are common to every kind.
DramSpec read_dram(ConfigNode node, const EnergyTable& table, MemoryBuilder* build) {
  DramSpec d;
  if (node.describing()) {
    node.get("kind", "bandwidth", memory_registry().known(), "memory model: dram.kind selects one below");
  } else {
    d.kind = memory_registry().select(node, "kind", "bandwidth", "memory model").info.name;
  }
  d.technology = node.get("technology", "lpddr4", "", "DRAM type; selects pJ/bit from the energy table");
  if (!node.describing()) *build = memory_registry().find(d.kind)->item(node, d);
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
  const std::string table = top.get("energy_table", "45nm", "name|path",
                                    "energy reference table: a name (NAME.yaml in this file's folder, $ACCSIM_PATH, "
                                    "then the built-in configs/energy) or a path relative to this file");
  if (!top.describing()) {
    ResolvedTable resolved;
    try {
      resolved = resolve_energy_table(table, std::filesystem::path(arch_path).parent_path().string());
    } catch (const InputError& e) {
      top.fail("energy_table", e.what());
    }
    arch.energy = EnergyTable::load(resolved.path);
    arch.energy_table_ref = resolved.portable;
    if (arch.energy.technology_nm() != arch.technology_nm)
      top.fail("technology_nm", "is " + std::to_string(arch.technology_nm) + " but the energy table is for " +
                                    std::to_string(arch.energy.technology_nm()) + " nm");
  }
  ConfigNode sim = top.child("sim", "simulation options");
  arch.sim_mode = sim.get_choice("mode", "event", {"event", "cycle"},
                                 "event: skip to the next event; cycle: step the PE grid (slow, for checking)");
  arch.sim_mode_where = sim.where("mode");
  sim.finish();
  arch.dram = read_dram(top.child("dram", "off-chip memory channel"), arch.energy, &arch.dram_builder);
}

std::unique_ptr<RunContext> elaborate(YAML::Node root, const std::string& arch_path,
                                      const std::vector<std::string>& overrides) {
  auto ctx = std::make_unique<RunContext>();
  ctx->arch = std::make_unique<ArchContext>();
  ArchContext& arch = *ctx->arch;
  ConfigNode top = open_config(root, arch_path, overrides);
  read_arch_common(top, arch_path, arch);
  ConfigNode mac_node = top.child("mac", "MAC lane model");
  arch.mac = make_mac_unit(mac_node);
  ConfigNode compute_node = top.child("compute", "compute block");
  ctx->dram = arch.dram_builder(arch.dram);
  ctx->compute = make_compute_block(compute_node, arch, *ctx->dram);
  top.finish();
  ctx->resolved = top.tree()->resolved;
  // Make the resolved config usable from any directory: the table's name when it is a built-in
  // one, else its absolute path.
  ctx->resolved["energy_table"] = arch.energy_table_ref;
  return ctx;
}

const KindInfo& RunContext::kind() const { return compute_registry().find(compute->kind())->info; }

RunOutput simulate(const RunRequest& req) {
  auto ctx = elaborate(load_arch_tree(req.arch_path), req.arch_path, req.overrides);
  Accelerator accel(*ctx, req.workload);
  accel.check_layers();
  if (req.check_only) return RunOutput{};
  run_in_kernel([&] { accel.control(); });
  accel.price_and_scale();

  RunOutput out;
  out.resolved_config = ctx->resolved;
  out.leakage_uw = ctx->compute->leakage_uw();
  out.area_um2 = ctx->compute->area_um2();
  RunResult& r = out.result;
  r.arch_name = ctx->arch->name;
  r.arch_file = req.arch_path;
  r.workload_name = req.workload.name;
  r.workload_source = req.workload.source;
  r.compute_kind = ctx->compute->kind();
  r.clock_hz = ctx->arch->clock_hz;
  r.layers = std::move(accel.results);
  declare_action_units(out, ctx->kind());
  return out;
}

void declare_action_units(RunOutput& out, const KindInfo& kind) {
  out.action_units.clear();
  const LayerResult total = out.result.total();
  for (const auto& [name, count] : total.actions.items())
    out.action_units.emplace_back(name, action_decl(kind, name).unit);
}

}  // namespace accsim

// libsystemc's main() calls sc_main; accsim has its own main, and tests use gtest's, so this only
// satisfies the linker.
int sc_main(int, char**) { return 0; }
