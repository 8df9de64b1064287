#include "sim/hw/memory/sram_buffer.hpp"

namespace accsim {

BufferSpec read_buffer(ConfigNode& parent, const std::string& name, double default_kb, const std::string& doc,
                       bool ported) {
  ConfigNode node = parent.child(name, doc);
  BufferSpec b;
  b.name = name;
  b.size_kb = node.get_positive("size_kb", default_kb, "KiB", "capacity");
  b.banks = node.get_positive("banks", int64_t{1}, "", "independent banks (energy per access follows bank size)");
  b.double_buffered = node.get<bool>("double_buffered", true, "", "half the capacity fills while the other half computes");
  if (ported) {
    b.ports = node.get<int64_t>("ports", int64_t{0}, "per bank",
                                "word accesses per bank per cycle; 0: ideal, no bank conflicts (docs/models/systolic.md)");
    b.word_bytes = node.get<int64_t>("word_bytes", int64_t{0}, "B", "bank word; 0: one operand element");
    if (!node.describing() && b.ports < 0) node.fail("ports", "must be >= 0 (0: ideal buffer)");
    if (!node.describing() && b.word_bytes < 0) node.fail("word_bytes", "must be >= 0 (0: one element)");
  }
  node.finish();
  return b;
}

}  // namespace accsim
