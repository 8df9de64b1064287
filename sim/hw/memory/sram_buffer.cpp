#include "sim/hw/memory/sram_buffer.hpp"

namespace accsim {

BufferSpec read_buffer(ConfigNode& parent, const std::string& name, double default_kb, const std::string& doc) {
  ConfigNode node = parent.child(name, doc);
  BufferSpec b;
  b.name = name;
  b.size_kb = node.get_positive("size_kb", default_kb, "KiB", "capacity");
  b.banks = node.get_positive("banks", int64_t{1}, "", "independent banks (energy per access follows bank size)");
  b.double_buffered = node.get<bool>("double_buffered", true, "", "half the capacity fills while the other half computes");
  node.finish();
  return b;
}

}  // namespace accsim
