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

int list_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {});
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
  ArchContext arch;
  DramChannel dram("dram", DramSpec{});  // factories in describe mode build nothing with it
  std::cout << "\nCompute blocks (compute.kind)\n";
  for (const auto& k : compute_kinds()) {
    std::cout << "  " << k.kind << ": " << k.summary << "\n";
    print_params(describe_compute_kind(k.kind, arch, dram));
  }
  std::cout << "\nMAC units (mac.kind)\n";
  for (const auto& k : mac_kinds()) {
    std::cout << "  " << k.kind << ": " << k.summary << "\n";
    print_params(describe_mac_kind(k.kind));
  }
  std::cout << "\nOperand formats: ";
  for (const auto& n : dtype_names()) std::cout << n << " ";
  std::cout << "\nWorkload ops: conv2d linear gemm matmul lstm gru (docs/trace-format.md)\n";
  return 0;
}

const CommandRegistrar list_registrar("list", Command{"list component kinds and their parameters", "accsim list",
                                                      list_command});

}  // namespace
}  // namespace accsim
