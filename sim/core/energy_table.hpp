#pragma once
// Per-action energy reference table for one technology node (configs/energy/*.yaml).
// Energy = action count x entry. A missing entry is an error naming the table and key.
#include <map>
#include <string>

#include "sim/core/dtype.hpp"

namespace accsim {

class EnergyTable {
 public:
  // Parsed once per process and file content: a sweep worker elaborates thousands of points
  // against the same table, and parsing its YAML was a large part of a cheap point's cost.
  static EnergyTable load(const std::string& path);

  const std::string& file() const { return file_; }
  int technology_nm() const { return technology_nm_; }
  double voltage_v() const { return voltage_v_; }

  // One multiplication of a weight by an activation. Integer entries exist per width; a mixed
  // w x a product costs sqrt(E(w) E(a)), which equals the product-of-widths law when E ~ width^2.
  double multiply_pj(const DType& weights, const DType& activations) const;
  // One addition at the accumulator's format.
  double add_pj(const DType& accumulator) const;
  double mac_pj(const DType& w, const DType& a, const DType& acc) const {
    return multiply_pj(w, a) + add_pj(acc);
  }
  double register_pj_per_byte() const { return rf_pj_per_byte_; }
  // Read or write of one byte from an SRAM bank of the given capacity.
  double sram_pj_per_byte(double bank_kb) const;
  double dram_pj_per_bit(const std::string& technology) const;
  // Area of one MAC lane for a format (um^2); leakage is area x logic_leakage_uw_per_um2().
  double mac_area_um2(const DType& operand) const;
  // A named entry of `mac_area_um2` that is not a format (e.g. a Bit Fusion fusion unit).
  double mac_area_um2(const std::string& key) const { return lookup(mac_area_um2_, "mac_area_um2", key); }
  double logic_leakage_uw_per_um2() const { return leakage_uw_per_um2_; }
  double sram_leakage_uw_per_kb() const { return sram_leakage_uw_per_kb_; }
  double sram_area_um2_per_kb() const { return sram_area_um2_per_kb_; }
  // Looks up a free-form named entry from the `extra_pj` section (model-specific actions).
  double extra_pj(const std::string& key) const;
  bool has_extra(const std::string& key) const { return extra_pj_.count(key) > 0; }

 private:
  // `derived`: the table scales a base file (not memoized: the base may differ).
  static EnergyTable parse(const std::string& path, bool& derived);
  double lookup(const std::map<std::string, double>& table, const std::string& section,
                const std::string& key) const;

  std::string file_;
  int technology_nm_ = 45;
  double voltage_v_ = 0.9;
  std::map<std::string, double> multiply_pj_, add_pj_, mac_area_um2_, dram_pj_per_bit_, extra_pj_;
  double rf_pj_per_byte_ = 0;
  double sram_reference_kb_ = 8, sram_reference_pj_per_byte_ = 0, sram_size_exponent_ = 0.5;
  double leakage_uw_per_um2_ = 0, sram_leakage_uw_per_kb_ = 0, sram_area_um2_per_kb_ = 0;
};

}  // namespace accsim
