// Architecture YAML: every component reads its node, then checks a small layer (no simulation:
// the SystemC kernel runs once per process).
#include "sim/hw/accelerator.hpp"
#include "sim/hw/common/compute_block.hpp"
#include "sim/workload/trace.hpp"
#include "tests/fuzz/fuzz_common.hpp"


ACCSIM_FUZZ_TARGET({
  using namespace accsim;
  const std::string path = fuzz::input_file(data, size, "arch/fuzz.yaml");
  ArchContext arch;
  ConfigNode top = open_config(load_arch_tree(path), path);
  read_arch_common(top, path, arch);
  ConfigNode mac_node = top.child("mac", "MAC lane model");
  arch.mac = make_mac_unit(mac_node);
  ConfigNode compute_node = top.child("compute", "compute block");
  DramChannel dram("dram", arch.dram);
  auto block = make_compute_block(compute_node, arch, dram);
  top.finish();
  const Workload w = parse_inline_workload("gemm:m=8,n=8,k=8");
  arch.mac->check(arch.precision_of(w.layers[0]), w.layers[0].origin);
  block->check(w.layers[0]);
})
