// Eyeriss-style row-stationary PE array (`compute.kind: eyeriss`; Chen et al., ISCA'16, JSSC'17;
// docs/models/eyeriss.md). The mapping and the access counts come from rs_plan.cpp (plain C++);
// this module plays the layer's m-groups through the double-buffered DRAM pipeline in simulated
// time and prices the actions of each level with the energy of a MAC times the published ratios,
// at the chip's supply voltage, plus the clock network it switches every cycle.
#include <algorithm>
#include <cmath>

#include "sim/hw/common/compute_block.hpp"
#include "sim/hw/common/tile_pipeline.hpp"
#include "sim/hw/eyeriss/rs_plan.hpp"

namespace accsim {

namespace {

struct EyerissConfig {
  RsArray array;
  double glb_kb = 108;
  // Energy of one access at each level relative to one MAC (ISCA'16 Table IV, cited in the arch file).
  double rf_ratio = 1, noc_ratio = 2, glb_ratio = 6;
  double mac_pj = 0;  // energy of the reference MAC; 0 = the mac model's energy at the layer's precision
  double supply_v = 0;  // core supply the chip runs at; 0 = the energy table's voltage
  double clock_pf = 0;  // clock-network capacitance switched every core cycle; 0 = not modelled
  bool rlc = false;     // ifmaps read from DRAM run-length coded (JSSC'17)
  double spad_words_per_pe() const {
    return static_cast<double>(array.ifmap_spad + array.filter_spad + array.psum_spad);
  }
};

class EyerissBlock : public ComputeBlock {
 public:
  EyerissBlock(const ArchContext& arch, MemoryModel& dram, EyerissConfig cfg)
      : ComputeBlock("eyeriss", arch, dram), cfg_(cfg) {}

  // Every level is priced as (accesses) x (its ratio) x (energy of the reference MAC) at the
  // chip's supply; the clock network as C x V^2 per cycle (pF x V^2 = pJ).
  double unit_price_pj(const std::string& action) const override {
    const double mac = reference_mac_pj() * voltage_factor();
    if (action == "eyeriss.rf.accesses") return cfg_.rf_ratio * mac;
    if (action == "eyeriss.noc.words") return cfg_.noc_ratio * mac;
    if (action == "eyeriss.glb.accesses") return cfg_.glb_ratio * mac;
    if (action == "eyeriss.mac.ops") return mac;
    if (action == "eyeriss.clock.cycles") return cfg_.clock_pf * supply_v() * supply_v();
    return ComputeBlock::unit_price_pj(action);
  }

  void check(const Layer& layer) const override {
    const GemmShape g = lower_to_gemm(layer);
    if (g.m <= 0 || g.n <= 0 || g.k <= 0) layer_error(layer, "lowers to an empty GEMM");
    arch_.mac->check(arch_.precision_of(layer), layer.origin);
    const RsShape s = rs_shape_of(layer);
    if (s.s > cfg_.array.ifmap_spad)
      layer_error(layer, "filter width " + std::to_string(s.s) + " exceeds the ifmap scratchpad (compute.spad.ifmap_words = " +
                             std::to_string(cfg_.array.ifmap_spad) + ")");
    if (s.s > cfg_.array.filter_spad)
      layer_error(layer, "filter width " + std::to_string(s.s) + " exceeds the filter scratchpad (compute.spad.filter_words)");
  }

  double lanes() const { return static_cast<double>(cfg_.array.rows * cfg_.array.cols); }
  double leakage_uw() const override {
    const double spad_kb = lanes() * cfg_.spad_words_per_pe() * 2.0 / 1024.0;
    return lanes() * arch_.mac->leakage_uw(arch_.energy) + (cfg_.glb_kb + spad_kb) * arch_.energy.sram_leakage_uw_per_kb();
  }
  double area_um2() const override {
    const double spad_kb = lanes() * cfg_.spad_words_per_pe() * 2.0 / 1024.0;
    return lanes() * arch_.mac->area_um2(arch_.energy) + (cfg_.glb_kb + spad_kb) * arch_.energy.sram_area_um2_per_kb();
  }

  LayerResult execute(const Layer& layer) override {
    const Precision prec = arch_.precision_of(layer);
    const RsPlan plan = plan_row_stationary(rs_shape_of(layer), cfg_.array);
    const double word = prec.activations.bytes();
    const double ifmap_ratio = ifmap_dram_ratio(layer.activations.zero_fraction);
    const PipelineTiming timing = run_timeline(plan, word, ifmap_ratio);

    LayerResult r;
    r.cycles = timing.cycles;
    r.compute_cycles = timing.compute_cycles;
    r.stall_cycles = timing.stall_cycles;
    r.macs = static_cast<uint64_t>(layer_macs(layer));
    r.effectual_macs = r.macs;
    r.peak_macs_per_cycle = lanes();
    count_actions(plan, layer.activations.zero_fraction, r);
    r.figures["active_pes"] = static_cast<double>(plan.active_pes);
    r.figures["filters_per_pe"] = static_cast<double>(plan.p);
    r.figures["channels_per_pe"] = static_cast<double>(plan.q);
    r.figures["blocks_per_pass"] = static_cast<double>(plan.blocks_per_pass);
    r.figures["pass_cycles"] = static_cast<double>(plan.pass_compute_cycles + plan.pass_fill_cycles);
    r.figures["ifmap_resident"] = plan.ifmap_resident ? 1 : 0;
    r.figures["ifmap_dram_ratio"] = ifmap_ratio;
    r.counters["passes"] = static_cast<double>(plan.passes);
    r.counters["fill_cycles"] = static_cast<double>(plan.passes * plan.pass_fill_cycles);
    return r;
  }

 private:
  // One tile per m-group: its filters (and streamed ifmaps) load while the previous m-group computes.
  // Encoded / raw DRAM bytes of the layer's ifmaps. Assumption: data the code would expand (the
  // input image, z ~ 0: 4/3) is stored raw; filters and ofmaps stay raw (docs/models/eyeriss.md).
  double ifmap_dram_ratio(double zero_fraction) const {
    return cfg_.rlc ? std::min(1.0, rlc_encoded_ratio(zero_fraction)) : 1.0;
  }

  PipelineTiming run_timeline(const RsPlan& plan, double word, double ifmap_ratio) {
    const auto bytes = [word](double words) { return static_cast<uint64_t>(std::ceil(words * word)); };
    // Passes spread evenly over the m-groups; the first tile takes the remainder.
    const uint64_t per_group = plan.compute_cycles() / plan.m_groups;
    Tile t;
    t.compute_cycles = per_group;
    t.load_bytes = bytes(plan.group_weight_words + plan.group_ifmap_words * ifmap_ratio);
    t.store_bytes = bytes(plan.group_output_words);
    std::vector<Tile> tiles;
    Tile first = t;
    first.compute_cycles += plan.compute_cycles() - per_group * plan.m_groups;
    first.load_bytes += bytes(plan.first_ifmap_words * ifmap_ratio);
    tiles.push_back(first);
    if (plan.m_groups > 1) {
      t.repeat = plan.m_groups - 1;
      tiles.push_back(t);
    }
    TilePipeline pipeline(dram_, arch_.clock_period(), 2);
    return pipeline.run(tiles);
  }

  // The MAC the published ratios refer to: the configured one, else the 16-bit MAC of the table
  // (Eyeriss' PEs are 16-bit; ISCA'16 Table IV normalizes to a 16-bit MAC).
  double reference_mac_pj() const {
    if (cfg_.mac_pj > 0) return cfg_.mac_pj;
    DType w, acc;
    parse_dtype("int16", w), parse_dtype("int32", acc);
    return arch_.energy.mac_pj(w, w, acc);
  }

  // CV^2: the table prices actions at its own supply, the chip runs at supply_v.
  double supply_v() const { return cfg_.supply_v > 0 ? cfg_.supply_v : arch_.energy.voltage_v(); }
  double voltage_factor() const {
    const double r = supply_v() / arch_.energy.voltage_v();
    return r * r;
  }

  // Actions per level; the energy stage prices them (unit_price_pj). DRAM bytes come from the
  // accelerator like every block's. Zero gating (JSSC'17 Sec. V-C): a zero ifmap value disables
  // the filter scratchpad read and keeps the MAC datapath from switching; nothing is skipped in
  // time, so the clock still ticks every cycle of the layer.
  void count_actions(const RsPlan& plan, double zero_fraction, LayerResult& r) const {
    const double gated = plan.macs * zero_fraction;
    const double cycles = static_cast<double>(r.cycles);
    r.actions.add("eyeriss.mac.ops", plan.macs - gated);
    r.actions.add("eyeriss.rf.accesses", plan.rf_accesses - gated);
    r.actions.add("eyeriss.noc.words", plan.noc_words);
    r.actions.add("eyeriss.glb.accesses", plan.glb_accesses);
    r.actions.add("eyeriss.clock.cycles", cycles);
    r.counters["rf_accesses"] = plan.rf_accesses;
    r.counters["noc_words"] = plan.noc_words;
    r.counters["glb_accesses"] = plan.glb_accesses;
    r.counters["gated_macs"] = gated;
    chip_power(r, cycles);
  }

  // What a chip power measurement sees: every on-chip action at the supply plus leakage (no DRAM:
  // the accelerator adds those actions later, so `r.actions` holds only this block's own).
  void chip_power(LayerResult& r, double cycles) const {
    double dynamic = 0;
    for (const auto& [action, count] : r.actions.items()) dynamic += count * unit_price_pj(action);
    const double seconds = cycles * arch_.clock_period().to_seconds();
    const double chip = dynamic + leakage_uw() * seconds * 1e6;  // uW x s = 1e6 pJ
    r.counters["chip_dynamic_energy_pj"] = dynamic;
    r.counters["chip_energy_pj"] = chip;
    if (seconds > 0) r.figures["chip_power_mw"] = chip / seconds * 1e-9;  // pJ/s = 1e-9 mW
  }

  EyerissConfig cfg_;
};

EyerissConfig read_eyeriss(ConfigNode& node) {
  EyerissConfig c;
  c.array.rows = node.get_positive("rows", int64_t{12}, "PEs", "PE array height (filter rows of a PE set)");
  c.array.cols = node.get_positive("cols", int64_t{14}, "PEs", "PE array width (output rows of a PE set)");
  c.array.noc_words_per_cycle =
      node.get_positive("noc_words_per_cycle", int64_t{4}, "words/cycle", "filter/ifmap bus into the array");
  ConfigNode spad = node.child("spad", "per-PE scratchpads");
  c.array.ifmap_spad = spad.get_positive("ifmap_words", int64_t{12}, "words", "ifmap scratchpad");
  c.array.filter_spad = spad.get_positive("filter_words", int64_t{224}, "words", "filter scratchpad");
  c.array.psum_spad = spad.get_positive("psum_words", int64_t{24}, "words", "partial-sum scratchpad");
  if (c.array.ifmap_spad > 1 << 20 || c.array.filter_spad > 1 << 20 || c.array.psum_spad > 1 << 20)
    spad.fail("ifmap_words", "scratchpads must be at most 2^20 words each");
  spad.finish();
  c.glb_kb = node.get_positive("glb_kb", 108.0, "KiB", "global buffer (ifmaps and psums)");
  ConfigNode ratio = node.child("energy_per_access", "energy of one access relative to one MAC");
  c.rf_ratio = ratio.get_positive("rf", 1.0, "MACs", "scratchpad access");
  c.noc_ratio = ratio.get_positive("noc", 2.0, "MACs", "word delivered over the array network");
  c.glb_ratio = ratio.get_positive("glb", 6.0, "MACs", "global buffer access");
  c.mac_pj = ratio.get<double>("mac_pj", 0.0, "pJ", "energy of the MAC the ratios refer to (0: the table's 16-bit MAC)");
  if (!(c.mac_pj >= 0 && c.mac_pj < 1e6)) ratio.fail("mac_pj", "must be within 0..1e6");
  ratio.finish();
  c.supply_v = node.get<double>("supply_v", 0.0, "V", "core supply; dynamic energies scale by (supply_v / table voltage)^2 (0: the table's voltage)");
  if (!(c.supply_v >= 0 && c.supply_v <= 5)) node.fail("supply_v", "must be within 0..5 V");
  c.clock_pf = node.get<double>("clock_network_pf", 0.0, "pF", "clock-network capacitance switched every core cycle (0: not modelled)");
  if (!(c.clock_pf >= 0 && c.clock_pf < 1e9)) node.fail("clock_network_pf", "must be within 0..1e9 pF");
  c.rlc = node.get<bool>("rlc", false, "", "ifmaps in DRAM run-length coded (JSSC'17 RLC; 64-bit words of three 5-bit runs + 16-bit levels)");
  if (c.array.rows > 4096 || c.array.cols > 4096) node.fail("rows", "rows and cols must be at most 4096");
  c.array.glb_words = c.glb_kb * 1024.0 / 2.0;
  return c;
}

const ComputeRegistrar<EyerissConfig> eyeriss_registrar(
    KindInfo{"eyeriss", "row-stationary PE array with scratchpads, global buffer and multicast NoC (Eyeriss, JSSC'17)", {},
             {"event"}, {"conv2d", "linear", "gemm", "matmul", "lstm", "gru"},
             {{"eyeriss.mac.ops", "MAC", "mac", "one MAC: the reference MAC energy (energy_per_access.mac_pj or the table's int16 MAC)"},
              {"eyeriss.rf.accesses", "access", "rf", "scratchpad access: rf ratio x reference MAC"},
              {"eyeriss.noc.words", "word", "noc", "word over the array network: noc ratio x reference MAC"},
              {"eyeriss.glb.accesses", "access", "sram.glb", "global buffer access: glb ratio x reference MAC"},
              {"eyeriss.clock.cycles", "cycle", "clock", "core cycle: clock_network_pf x supply_v^2"}}},
    read_eyeriss, [](EyerissConfig c, const ArchContext& arch, MemoryModel& dram) -> std::unique_ptr<ComputeBlock> {
      return std::make_unique<EyerissBlock>(arch, dram, std::move(c));
    });

}  // namespace
}  // namespace accsim
