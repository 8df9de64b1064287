#pragma once
// The off-chip memory interface the compute blocks and the tile pipeline talk to (`dram.kind` in
// the arch YAML), and its registry. A model is a plain object with TLM-style annotated timing:
// transfer() queues a request now and returns the simulated time its data is available; callers
// wait() until then. Kinds: `bandwidth` (DramChannel, a bandwidth + latency queue); others
// register themselves here.
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <systemc>

#include "sim/core/registry.hpp"

namespace accsim {

// The figures every memory kind provides (the systolic planner sizes tiles from bandwidth and
// latency; the energy stage prices bytes at pj_per_bit).
struct DramSpec {
  std::string kind = "bandwidth";
  std::string technology = "lpddr4";  // selects pJ/bit in the energy table
  double bandwidth_gb_s = 0;          // 0 or inf: unlimited (a peak figure for other kinds)
  double latency_ns = 0;
  double pj_per_bit = 0;              // resolved from the energy table unless overridden
  bool unlimited() const { return !(bandwidth_gb_s > 0) || bandwidth_gb_s == INFINITY; }
};

class MemoryModel {
 public:
  virtual ~MemoryModel() = default;
  // Queues a transfer now; returns the simulated time at which its data is available.
  virtual sc_core::sc_time transfer(uint64_t bytes, bool is_write) = 0;
  // The time at which every queued transfer has completed.
  virtual sc_core::sc_time idle_at() const = 0;

  uint64_t read_bytes() const { return read_bytes_; }
  uint64_t write_bytes() const { return write_bytes_; }
  void reset_counters() { read_bytes_ = write_bytes_ = 0; }

 protected:
  void count(uint64_t bytes, bool is_write) { (is_write ? write_bytes_ : read_bytes_) += bytes; }

 private:
  uint64_t read_bytes_ = 0;
  uint64_t write_bytes_ = 0;
};

// A memory kind reads its own parameters into the spec (and any typed config of its own), and
// returns a builder for the model; run on a describing node it only documents them.
using MemoryBuilder = std::function<std::unique_ptr<MemoryModel>(const DramSpec&)>;
using MemoryFactory = std::function<MemoryBuilder(ConfigNode& node, DramSpec& spec)>;
Registry<MemoryFactory>& memory_registry();

struct MemoryRegistrar {
  MemoryRegistrar(KindInfo info, MemoryFactory factory) {
    info.params = [factory](ConfigNode& node) {
      DramSpec spec;
      factory(node, spec);
    };
    memory_registry().add(std::move(info), std::move(factory));
  }
};

}  // namespace accsim
