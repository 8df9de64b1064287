#pragma once
// Typed configuration of the timing DRAM model (`dram.kind: timing`): geometry, JEDEC timing in
// clock cycles (tCK), controller policy, address mapping and IDD currents for DRAMPower/Micron-style
// energy. Presets live in dram_presets.cpp with their citations; every field can be overridden.
#include <cstdint>
#include <string>
#include <vector>

namespace accsim {

enum class AddrField { Channel, Rank, BankGroup, Bank, Row, Column };

struct DramTimingSpec {
  std::string preset;
  // Geometry. A request moves one burst: burst_bytes = bus width x burst length / 8.
  int channels = 1, ranks = 1, bank_groups = 4, banks_per_group = 4;
  int64_t rows = 65536;
  int64_t row_bytes = 8192;  // row buffer (page) size of the whole rank, bytes
  int burst_bytes = 64;
  double tck_ns = 0.625;
  // Timing, in tCK. BL = data-bus cycles of one burst (burst length / 2 for DDR).
  int CL = 22, CWL = 16, RCD = 22, RP = 22, RAS = 52, RC = 74, RRD_S = 4, RRD_L = 8, FAW = 34;
  int CCD_S = 4, CCD_L = 8, BL = 4, WR = 24, WTR_S = 4, WTR_L = 12, RTP = 12, RFC = 560, REFI = 12480;
  // Controller.
  bool open_page = true;
  int read_queue = 16, write_queue = 32;
  int write_high = 24, write_low = 8;  // drain writes from high down to low watermark
  bool refresh = true;
  // Address mapping, most significant field first (Ramulator-style "RoRaBgBaCoCh").
  std::vector<AddrField> mapping = {AddrField::Row, AddrField::Rank, AddrField::BankGroup,
                                    AddrField::Bank, AddrField::Column, AddrField::Channel};
  // Energy. Table: no cited per-action source, the energy table's flat pJ/bit prices the bytes.
  // Idd: DRAMPower / Micron TN-40-07 decomposition of datasheet IDD currents, summed over the
  // device's supply rails, times devices_per_rank. PerAction: published energies per action.
  enum class EnergyModel { Table, Idd, PerAction };
  EnergyModel energy = EnergyModel::Table;
  struct Rail { double v = 0, idd0 = 0, idd2n = 0, idd3n = 0, idd4r = 0, idd4w = 0, idd5 = 0; };  // V, mA
  std::vector<Rail> rails;
  int devices_per_rank = 8;
  // background_mw: open-page standby (IDD3N-like); background_closed_mw: closed page (IDD2N-like).
  struct Direct { double act_pj = 0, read_pj = 0, write_pj = 0, refresh_pj = 0, background_mw = 0, background_closed_mw = 0; };
  Direct direct;

  int banks() const { return bank_groups * banks_per_group; }
  int64_t columns() const { return row_bytes / burst_bytes; }  // bursts per row
  double peak_gb_s() const { return channels * burst_bytes / (BL * tck_ns); }
  bool prices_actions() const { return energy != EnergyModel::Table; }
  // Energies in pJ (mA x V x ns = pJ), Micron TN-40-07 / DRAMPower's decomposition or Direct.
  double act_pj() const;     // one ACT-PRE pair
  double read_pj() const;    // one read burst
  double write_pj() const;   // one write burst
  double refresh_pj() const; // one all-bank REF of one rank
  double background_mw() const;  // one rank, standby (active if open page, precharged if closed)
};

// "RoRaBgBaCoCh" -> fields; false if a field is unknown, repeated or missing.
bool parse_mapping(const std::string& text, std::vector<AddrField>& out);
std::string mapping_name(const std::vector<AddrField>& m);

// The preset of that name (lpddr4-3200, ddr4-3200, hbm2, hbm2e, hbm3); false if unknown.
bool dram_preset(const std::string& name, DramTimingSpec& out);
std::vector<std::string> dram_preset_names();

}  // namespace accsim
