// `accsim list`: every component kind with its parameters, defaults and units.
#include <iomanip>
#include <iostream>

#include "sim/app/cli.hpp"
#include "sim/core/dtype.hpp"
#include "sim/hw/accelerator.hpp"
#include "sim/hw/common/compute_block.hpp"

namespace accsim {

namespace {

void print_params(const std::vector<ParamDoc>& docs) {
  for (const auto& d : docs) {
    std::cout << "    " << std::left << std::setw(44) << d.path << " " << std::setw(9) << d.type
              << std::setw(22) << (d.default_text.empty() ? (d.type == "map" ? "" : "(required)") : d.default_text)
              << std::setw(16) << d.unit << " " << d.doc << "\n";
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
  return out;
}

// One family of kinds, every entry printed from its declaration (sim/core/registry.hpp).
template <class Item>
void print_kinds(const std::string& title, const Registry<Item>& registry, const std::string& prefix,
                 bool capabilities) {
  std::cout << "\n" << title << " (" << prefix << ".kind)\n";
  for (const auto& [name, e] : registry.entries()) {
    std::cout << "  " << name << ": " << e.info.summary << "\n";
    if (capabilities) {
      std::cout << "    sim.mode: " << joined(e.info.modes) << "\n";
      if (!e.info.ops.empty()) std::cout << "    ops: " << joined(e.info.ops) << "\n";
      for (const auto& a : e.info.actions)
        std::cout << "    action " << std::left << std::setw(24) << a.name << " per " << std::setw(5) << a.unit
                  << " -> energy." << a.prices << ": " << a.doc << "\n";
    }
    print_params(registry.describe(name, prefix));
  }
}

int list_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  std::cout << "Architecture file (YAML; the tree mirrors the component tree)\n";
  std::cout << "    " << std::left << std::setw(45) << "key" << std::setw(9) << "type" << std::setw(22) << "default"
            << std::setw(17) << "unit" << "meaning\n";
  {
    std::vector<ParamDoc> docs;
    ConfigNode top = describe_config(docs);
    ArchContext arch;
    read_arch_common(top, "arch.yaml", arch);
    docs.push_back({"mac", "map", "", "", "MAC lane model: mac.kind selects one below"});
    docs.push_back({"compute", "map", "", "", "compute block: compute.kind selects one below"});
    print_params(docs);
  }
  print_kinds("Compute blocks", compute_registry(), "compute", true);
  print_kinds("MAC units", mac_registry(), "mac", false);
  print_kinds("Memory models", memory_registry(), "dram", false);
  std::cout << "\nOperand formats: ";
  for (const auto& n : dtype_names()) std::cout << n << " ";
  std::cout << "\nWorkload ops: conv2d linear gemm matmul lstm gru (docs/trace-format.md)\n";
  return 0;
}

const CommandRegistrar list_registrar("list", Command{"list component kinds and their parameters", "accsim list",
                                                      list_command});

}  // namespace
}  // namespace accsim
