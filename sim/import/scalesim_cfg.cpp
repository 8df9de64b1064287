#include "sim/import/scalesim_cfg.hpp"
#include "sim/core/input_file.hpp"

#include <algorithm>
#include <fstream>
#include <map>

#include "sim/core/error.hpp"

namespace accsim {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct Entry {
  std::string value;
  int line;
};

}  // namespace

YAML::Node scalesim_cfg_to_arch(const std::string& path) {
  std::ifstream in = open_input_file(path);
  // Keys SCALE-Sim accepts that only affect its address traces or external DRAM simulators.
  static const std::vector<std::string> ignored = {
      "ifmapoffset", "filteroffset", "ofmapoffset", "memorybanks", "sram_row_size", "sram_bank_size",
      "dram_row_size", "dram_bank_size", "useramulatortrace", "topologycsvloc",
      "memorymapifmap", "memorymapfilter", "memorymapofmap", "onchipmemorybanks", "onchipmemorybankports",
      "ifmapcustomlayout", "ifmapsrambankbandwidth", "ifmapsrambanknum", "ifmapsrambankport",
      "filtercustomlayout", "filtersrambankbandwidth", "filtersrambanknum", "filtersrambankport",
      "sparsitysupport", "sparserep", "optimizedmapping", "blocksize", "randomnumbergeneratorseed",
      "readrequestbuffer", "writerequestbuffer"};
  static const std::vector<std::string> known = {"run_name",       "arrayheight",    "arraywidth",
                                                 "ifmapsramszkb",  "filtersramszkb", "ofmapsramszkb",
                                                 "dataflow",       "bandwidth",      "interfacebandwidth"};
  std::map<std::string, Entry> values;
  std::string section;
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') throw InputError(SourceLocation{path, line_no, ""}, "malformed section header");
      section = lower(trim(line.substr(1, line.size() - 2)));
      continue;
    }
    const auto sep = line.find_first_of(":=");
    if (sep == std::string::npos) throw InputError(SourceLocation{path, line_no, ""}, "expected 'key: value'");
    const std::string key = lower(trim(line.substr(0, sep)));
    const std::string value = trim(line.substr(sep + 1));
    const std::string key_path = section + "." + key;
    if (std::find(ignored.begin(), ignored.end(), key) != ignored.end()) continue;
    if (std::find(known.begin(), known.end(), key) == known.end())
      throw InputError(SourceLocation{path, line_no, key_path}, "unknown SCALE-Sim key");
    values[key] = Entry{value, line_no};
  }
  auto need = [&](const std::string& key) -> const Entry& {
    auto it = values.find(key);
    if (it == values.end()) throw InputError(SourceLocation{path, 0, key}, "required SCALE-Sim key is missing");
    return it->second;
  };
  auto number = [&](const std::string& key) -> double {
    const Entry& e = need(key);
    try {
      size_t used = 0;
      double v = std::stod(e.value, &used);
      if (used == e.value.size() && v > 0) return v;
    } catch (const std::exception&) {
    }
    throw InputError(SourceLocation{path, e.line, key}, "expected a positive number, got '" + e.value + "'");
  };

  auto integer = [&](const std::string& key) -> int64_t {
    const double v = number(key);
    if (v != static_cast<double>(static_cast<int64_t>(v)))
      throw InputError(SourceLocation{path, need(key).line, key}, "expected a whole number, got '" + need(key).value + "'");
    return static_cast<int64_t>(v);
  };

  YAML::Node arch(YAML::NodeType::Map);
  arch["name"] = values.count("run_name") ? values["run_name"].value : std::string("scalesim");
  arch["description"] = "imported from SCALE-Sim config " + path;
  // SCALE-Sim has no clock: one word (1 byte) per cycle at 1 GHz makes its bandwidth in words/cycle
  // read directly as GB/s.
  arch["clock_mhz"] = 1000;
  arch["technology_nm"] = 45;
  arch["energy_table"] = "45nm";  // the built-in table (sim/core/search_path.hpp)
  arch["mac"]["kind"] = "fixed";
  arch["mac"]["format"] = "int8";
  YAML::Node c = arch["compute"];
  c["kind"] = "systolic";
  c["rows"] = integer("arrayheight");
  c["cols"] = integer("arraywidth");
  const std::string df = lower(need("dataflow").value);
  if (df != "os" && df != "ws" && df != "is")
    throw InputError(SourceLocation{path, need("dataflow").line, "dataflow"}, "must be os, ws or is");
  c["dataflow"] = df;
  c["buffers"]["ifmap"]["size_kb"] = number("ifmapsramszkb");
  c["buffers"]["filter"]["size_kb"] = number("filtersramszkb");
  c["buffers"]["ofmap"]["size_kb"] = number("ofmapsramszkb");
  const std::string mode = values.count("interfacebandwidth") ? lower(values["interfacebandwidth"].value) : "calc";
  if (mode == "user") {
    const Entry& bw = need("bandwidth");
    const std::string first = trim(bw.value.substr(0, bw.value.find(',')));
    try {
      arch["dram"]["bandwidth_gb_s"] = std::stod(first);
    } catch (const std::exception&) {
      throw InputError(SourceLocation{path, bw.line, "bandwidth"}, "expected a number, got '" + bw.value + "'");
    }
  } else if (mode == "calc") {
    arch["dram"]["bandwidth_gb_s"] = 0;  // SCALE-Sim's calculated bandwidth: never stalls
  } else {
    throw InputError(SourceLocation{path, values["interfacebandwidth"].line, "interfacebandwidth"},
                     "must be USER or CALC");
  }
  return arch;
}

}  // namespace accsim
