#pragma once
// sim.mode=cycle for the systolic array: every fold of a GEMM instance stepped on the wavefront
// grid with operand values (the layer's weight mask where the trace has one, seeded synthetic
// values otherwise), the folds' results summed into the output and checked against a reference
// GEMM. Returns each tile's stepped cycles, in the traffic plan's tile order.
#include <cstdint>
#include <vector>

#include "sim/hw/systolic/traffic_plan.hpp"
#include "sim/workload/layer.hpp"

namespace accsim {

struct SteppedLayer {
  std::vector<uint64_t> tile_cycles;
  double pe_cycles = 0;  // R x C x stepped cycles, all folds
  bool trace_weights = false;  // B held the trace's own weight codes (else seeded values)
};

SteppedLayer step_instance(const Layer& layer, const GemmShape& g, const TrafficPlan& plan, const TrafficInputs& in,
                           int64_t temporal_scale, bool os_output_drain, uint64_t instance);

}  // namespace accsim
