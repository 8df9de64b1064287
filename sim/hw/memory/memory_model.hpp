#pragma once
// The off-chip memory interface the compute blocks and the tile pipeline talk to (`dram.kind` in
// the arch YAML), and its registry. A model is a plain object with TLM-style annotated timing:
// transfer() queues a request now and returns the simulated time its data is available; callers
// wait() until then. Kinds: `bandwidth` (DramChannel, a bandwidth + latency queue); others
// register themselves here.
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "sim/core/registry.hpp"
#include "sim/core/results.hpp"
#include "sim/hw/memory/address_stream.hpp"
#include "sim/hw/memory/dram_timing_spec.hpp"

namespace accsim {

// The figures every memory kind provides (the systolic planner sizes tiles from bandwidth and
// latency; the energy stage prices bytes at pj_per_bit).
struct DramSpec {
  std::string kind = "bandwidth";
  std::string technology = "lpddr4";  // selects pJ/bit in the energy table
  double bandwidth_gb_s = 0;          // 0 or inf: unlimited (a peak figure for other kinds)
  double latency_ns = 0;
  double pj_per_bit = 0;              // resolved from the energy table unless overridden
  DramTimingSpec timing;              // kind "timing" only (sim/hw/memory/dram_timing_channel.cpp)
  bool unlimited() const { return !(bandwidth_gb_s > 0) || bandwidth_gb_s == INFINITY; }
};

class MemoryModel {
 public:
  virtual ~MemoryModel() = default;
  // Queues a transfer now; returns the simulated time at which its data is available.
  virtual sc_core::sc_time transfer(uint64_t bytes, bool is_write) = 0;
  // The same with the addresses the bytes live at (AddressStream); kinds without addresses only
  // count the bytes.
  virtual sc_core::sc_time transfer(const AddressStream& stream, bool is_write) {
    return transfer(stream_bytes(stream), is_write);
  }
  // A read whose requests the caller consumes one by one (sim.mode=cycle's demand-ordered fills):
  // the same as transfer(stream, false) (queue, bytes and completion), and also the time each
  // extent's data has arrived, in `arrivals` (one per extent). Default: every extent gets the
  // batch's completion (correct, conservative); kinds that know each request's time override it.
  virtual sc_core::sc_time read_each(const AddressStream& stream, std::vector<sc_core::sc_time>& arrivals) {
    const sc_core::sc_time done = transfer(stream, false);
    arrivals.assign(stream.size(), done);
    return done;
  }
  // The request size such a caller cuts its reads into (bytes): the kind's burst where it has one.
  virtual uint64_t request_bytes() const { return 64; }
  // Whether transfer(stream) uses the addresses (blocks skip building streams otherwise).
  virtual bool wants_addresses() const { return false; }
  // The time at which every queued transfer has completed.
  virtual sc_core::sc_time idle_at() const = 0;
  // The kind's own actions since reset_counters() (activates, bursts, ...), beside the bytes the
  // accelerator reports; the energy stage prices them (energy_stage.cpp).
  // `counters`: descriptive counts that cost nothing themselves (row hits, ...).
  virtual void add_actions(ActionCounts& /*actions*/, std::map<std::string, double>& /*counters*/) const {}

  uint64_t read_bytes() const { return read_bytes_; }
  uint64_t write_bytes() const { return write_bytes_; }
  virtual void reset_counters() { read_bytes_ = write_bytes_ = 0; }

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
