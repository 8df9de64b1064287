#pragma once
// The energy stage: turns a layer's action counts into energy after simulation (Accelergy's
// actions x energy reference table). Timing never computes energy, so a new energy table or
// technology node is a re-pricing (`accsim reprice`), not a re-simulation.
#include <cstdint>
#include <vector>

#include "sim/core/registry.hpp"
#include "sim/core/results.hpp"
#include "sim/hw/common/compute_block.hpp"

namespace accsim {

// The actions the accelerator reports for every block: DRAM traffic, priced at dram.pj_per_bit.
std::vector<ActionDecl> accelerator_actions();

// The declaration of `action` among the kind's and the accelerator's; throws std::logic_error
// for an undeclared action (a model bug, not bad input).
const ActionDecl& action_decl(const KindInfo& kind, const std::string& action);

// Prices one repeat of a layer. Each component's energy is (sum of its actions' counts) x their
// unit price (so a read + write pair costs what one access count would); then "static" =
// leakage power x the layer's time. Components appear in the order their actions were reported.
// `core_energy_scale` multiplies the block's own action prices (not DRAM's, not static): the
// (V/V_nominal)^2 of a layer the block ran at a lowered core voltage.
EnergyBreakdown price_layer(const ActionCounts& per_repeat, uint64_t cycles_per_repeat, const ComputeBlock& block,
                            const KindInfo& kind, const ArchContext& arch, double core_energy_scale = 1.0);

// The layer's figure "core_energy_scale" (set by a block that lowered its core voltage), else 1.
double core_energy_scale(const LayerResult& r);

}  // namespace accsim
