// The smallest compute block that follows docs/architecture.md, "Adding a compute block": it
// registers itself and runs through `accsim run` with no edit anywhere else (tests/example links
// it into its own accsim binary). A row of `lanes` MAC lanes computes one GEMM output column at
// a time: K steps per group of `lanes` outputs, after loading its operands from DRAM.
#include <cmath>

#include "sim/hw/common/compute_block.hpp"

namespace accsim {
namespace {

// 1. A typed config and its reader: every parameter with default, unit and doc, validated here.
struct RowConfig {
  int64_t lanes = 8;
};

RowConfig read_row(ConfigNode& node) {
  RowConfig c;
  c.lanes = node.get_positive("lanes", int64_t{8}, "MACs", "MAC lanes in the row");
  if (c.lanes > 4096) node.fail("lanes", "at most 4096");
  return c;
}

// 2. The plan: plain arithmetic, no SystemC.
struct RowPlan {
  GemmShape g;
  uint64_t compute_cycles = 0;
  uint64_t load_bytes = 0, store_bytes = 0;
};

RowPlan plan_row(const Layer& layer, const RowConfig& c) {
  RowPlan p;
  p.g = lower_to_gemm(layer);
  const int64_t outputs = p.g.m * p.g.n * p.g.instances * p.g.sequential_steps;
  const int64_t groups = (outputs + c.lanes - 1) / c.lanes;
  p.compute_cycles = static_cast<uint64_t>(groups * p.g.k);
  const double a = layer.activations.dtype.bytes(), w = layer.weights.dtype.bytes();
  p.load_bytes = static_cast<uint64_t>(std::ceil(static_cast<double>(p.g.m * p.g.k) * a + static_cast<double>(p.g.k * p.g.n) * w));
  p.store_bytes = static_cast<uint64_t>(std::ceil(static_cast<double>(p.g.m * p.g.n) * layer.outputs.dtype.bytes()));
  return p;
}

// 3. The block: check, timeline (waits in simulated time), actions, prices.
class RowBlock : public ComputeBlock {
 public:
  RowBlock(const ArchContext& arch, MemoryModel& dram, RowConfig cfg) : ComputeBlock("example_row", arch, dram), cfg_(cfg) {}

  void check(const Layer& layer) const override {
    const GemmShape g = lower_to_gemm(layer);
    if (g.m <= 0 || g.n <= 0 || g.k <= 0) layer_error(layer, "lowers to an empty GEMM");
  }

  LayerResult execute(const Layer& layer) override {
    const RowPlan p = plan_row(layer, cfg_);
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    const sc_core::sc_time loaded = dram_.transfer(p.load_bytes, false);
    if (loaded > start) sc_core::wait(loaded - start);
    sc_core::wait(arch_.clock_period() * static_cast<double>(p.compute_cycles));
    const sc_core::sc_time stored = dram_.transfer(p.store_bytes, true);
    if (stored > sc_core::sc_time_stamp()) sc_core::wait(stored - sc_core::sc_time_stamp());
    LayerResult r;
    r.cycles = static_cast<uint64_t>(std::llround((sc_core::sc_time_stamp() - start) / arch_.clock_period()));
    r.compute_cycles = p.compute_cycles;
    r.stall_cycles = r.cycles - r.compute_cycles;
    r.macs = r.effectual_macs = static_cast<uint64_t>(p.g.macs());
    r.peak_macs_per_cycle = static_cast<double>(cfg_.lanes);
    r.actions.add(mac_action(arch_.precision_of(layer)), static_cast<double>(r.macs));
    return r;
  }

  double leakage_uw() const override { return static_cast<double>(cfg_.lanes) * arch_.mac->leakage_uw(arch_.energy); }

 private:
  RowConfig cfg_;
};

// 4. The declaration: name, summary, parameters (the reader), modes, native ops, actions.
const ComputeRegistrar<RowConfig> row_registrar(
    KindInfo{"example_row", "example block from tests/example: a row of MAC lanes, one output group at a time", {},
             {"event"}, {"linear", "gemm"}, {mac_action_decl()}},
    read_row, [](RowConfig c, const ArchContext& arch, MemoryModel& dram) -> std::unique_ptr<ComputeBlock> {
      return std::make_unique<RowBlock>(arch, dram, c);
    });

}  // namespace
}  // namespace accsim
