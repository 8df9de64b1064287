#include "sim/hw/memory/dram_config.hpp"

namespace accsim {

namespace {

// Timing overrides in tCK; absent keys keep the preset's value.
void read_timing_overrides(ConfigNode& t, DramTimingSpec& s) {
  struct Key { const char* name; int* field; };
  const Key keys[] = {{"CL", &s.CL},       {"CWL", &s.CWL},     {"RCD", &s.RCD},     {"RP", &s.RP},
                      {"RAS", &s.RAS},     {"RC", &s.RC},       {"RRD_S", &s.RRD_S}, {"RRD_L", &s.RRD_L},
                      {"FAW", &s.FAW},     {"CCD_S", &s.CCD_S}, {"CCD_L", &s.CCD_L}, {"BL", &s.BL},
                      {"WR", &s.WR},       {"WTR_S", &s.WTR_S}, {"WTR_L", &s.WTR_L}, {"RTP", &s.RTP},
                      {"RFC", &s.RFC},     {"REFI", &s.REFI}};
  for (const Key& k : keys)
    *k.field = static_cast<int>(t.get_positive(k.name, int64_t{*k.field}, "tCK", std::string("t") + k.name));
}

}  // namespace

DramTimingSpec read_dram_timing(ConfigNode& node) {
  std::vector<std::string> names = dram_preset_names();
  const std::string preset = node.get_choice("preset", "ddr4-3200", names,
                                             "device and its cited timing/energy (docs/models/dram.md)");
  DramTimingSpec s;
  dram_preset(preset, s);
  s.channels = static_cast<int>(node.get_positive("channels", int64_t{s.channels}, "", "independent channels"));
  s.ranks = static_cast<int>(node.get_positive("ranks", int64_t{s.ranks}, "", "ranks per channel"));
  const std::string page = node.get_choice("page_policy", "open", {"open", "closed"},
                                           "open: rows stay open for hits; closed: auto-precharge");
  s.open_page = page == "open";
  const std::string map = node.get("address_mapping", mapping_name(s.mapping).c_str(), "",
                                   "address bits, most significant field first (Ro Ra Bg Ba Co Ch)");
  if (!node.describing() && !parse_mapping(map, s.mapping))
    node.fail("address_mapping", "must list each of Ro, Ra, Bg, Ba, Co, Ch once (e.g. RoRaBgBaCoCh)");
  s.read_queue = static_cast<int>(node.get_positive("read_queue", int64_t{s.read_queue}, "requests",
                                                    "FR-FCFS scheduling window"));
  s.write_queue = static_cast<int>(node.get_positive("write_queue", int64_t{s.write_queue}, "requests",
                                                     "posted write queue"));
  s.write_high = static_cast<int>(node.get_positive("write_high", int64_t{s.write_high}, "requests",
                                                    "drain writes from here ..."));
  s.write_low = static_cast<int>(node.get<int64_t>("write_low", int64_t{s.write_low}, "requests",
                                                   "... down to here"));
  if (!node.describing() && (s.write_low < 0 || s.write_low >= s.write_high || s.write_high > s.write_queue))
    node.fail("write_high", "needs 0 <= write_low < write_high <= write_queue");
  s.refresh = node.get<bool>("refresh", true, "", "all-bank refresh every tREFI");
  ConfigNode t = node.child("timing", "JEDEC timing overrides, in tCK");
  read_timing_overrides(t, s);
  t.finish();
  return s;
}

}  // namespace accsim
