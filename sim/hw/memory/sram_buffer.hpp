#pragma once
// An on-chip SRAM buffer as the models see it: capacity, banking, double buffering, and the
// per-byte access energy its bank size implies. Accesses are counted by the owning model.
#include <cstdint>
#include <string>

#include "sim/core/config.hpp"
#include "sim/core/energy_table.hpp"

namespace accsim {

struct BufferSpec {
  std::string name;
  double size_kb = 64;
  int64_t banks = 1;
  bool double_buffered = true;
  // Bank conflicts (models that step the buffer's per-cycle accesses: the systolic array). 0 ports:
  // ideal, the buffer delivers whatever the array asks each cycle (SCALE-Sim's assumption).
  // Otherwise each bank serves `ports` word accesses per cycle; words of `word_bytes` (0: one
  // operand element) are interleaved over the banks, word w in bank w mod banks.
  int64_t ports = 0;
  int64_t word_bytes = 0;

  double capacity_bytes() const { return size_kb * 1024.0; }
  // What one tile may occupy: half the buffer when the other half is being filled.
  double tile_capacity_bytes() const { return capacity_bytes() / (double_buffered ? 2.0 : 1.0); }
  double pj_per_byte(const EnergyTable& t) const { return t.sram_pj_per_byte(size_kb / static_cast<double>(banks)); }
  double leakage_uw(const EnergyTable& t) const { return size_kb * t.sram_leakage_uw_per_kb(); }
  double area_um2(const EnergyTable& t) const { return size_kb * t.sram_area_um2_per_kb(); }
};

// Reads `node.<name>` (size_kb, banks, double_buffered, and with `ported` ports and word_bytes);
// absent keys take the given defaults.
BufferSpec read_buffer(ConfigNode& parent, const std::string& name, double default_kb, const std::string& doc,
                       bool ported = false);

}  // namespace accsim
