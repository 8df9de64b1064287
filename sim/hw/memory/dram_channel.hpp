#pragma once
// The `bandwidth` memory kind: one channel with TLM-style annotated timing. A transfer occupies
// the channel for bytes / bandwidth after any transfer already queued, then completes `latency`
// later. No clock and no signals: callers wait() until the returned completion time. Blocks also
// use it for on-chip links (an L2 crossbar, an SM port).
#include <cstdint>
#include <string>

#include "sim/hw/memory/memory_model.hpp"

namespace accsim {

class DramChannel : public MemoryModel {
 public:
  DramChannel(const std::string& name, const DramSpec& spec);

  sc_core::sc_time transfer(uint64_t bytes, bool is_write) override;
  sc_core::sc_time idle_at() const override { return last_completion_; }
  const DramSpec& spec() const { return spec_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  DramSpec spec_;
  sc_core::sc_time busy_until_;
  sc_core::sc_time last_completion_;
};

}  // namespace accsim
