#pragma once
// Streams a layer's tiles through a double-buffered load -> compute -> store pipeline in simulated
// time. Loads of the next tiles overlap the current tile's compute as far as buffer slots allow;
// the compute unit stalls when its operands have not arrived. Stores share the DRAM channel.
#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>

#include "sim/hw/memory/dram_channel.hpp"
#include "sim/hw/memory/memory_model.hpp"

namespace accsim {

// sim.mode=cycle: a fold's fill as requests in the order the compute unit first needs them, and
// the cycle of the fold (from its first step) at which each is first needed. The pipeline issues
// them in that order and lets the fold stall only where a needed request has not arrived.
class FoldDemand {
 public:
  virtual ~FoldDemand() = default;
  // Fills `out` with the fill's requests (one extent each, at most `request_bytes`, aligned to it;
  // addresses + `offset`) ordered by need, and `need` with their cycles (nondecreasing). The
  // requests carry the same bytes at the same addresses as the tile's load_stream.
  virtual void requests(uint64_t request_bytes, uint64_t offset, AddressStream& out, std::vector<int64_t>& need) const = 0;
};

struct Tile {
  uint64_t load_bytes = 0;      // operands fetched from DRAM before the tile can start
  uint64_t compute_cycles = 0;  // cycles the compute block is busy with the tile
  uint64_t store_bytes = 0;     // results written back to DRAM after the tile
  // The tile needs the previous tile's stored result (an RNN step's h_t): it may not start, nor
  // even load, until that store has completed.
  bool depends_on_previous = false;
  uint64_t repeat = 1;          // this many identical tiles in a row
  // Where the loads and stores live in DRAM (only built for a memory that wants addresses); every
  // extent is shifted by `address_offset` (one GEMM instance's place among several).
  std::shared_ptr<const AddressStream> load_stream, store_stream;
  uint64_t address_offset = 0;
  // Set (cycle mode): the fill is issued in demand order and the fold stalls per request (stall-on-
  // miss, the whole unit stalls) instead of waiting for the whole fill before its first cycle.
  std::shared_ptr<const FoldDemand> demand;
};

struct PipelineTiming {
  uint64_t cycles = 0;          // from the first load to the last store's completion
  uint64_t compute_cycles = 0;  // sum of the tiles' compute cycles
  uint64_t stall_cycles = 0;    // cycles - compute_cycles
  uint64_t demand_requests = 0; // fill requests scheduled by demand (cycle mode)
};

class TilePipeline {
 public:
  // `slots`: operand buffer slots (2 = double buffering, 1 = load, compute, load, ...).
  TilePipeline(MemoryModel& dram, sc_core::sc_time clock_period, int slots);

  // Runs the tiles; must be called from an SC_THREAD (it waits in simulated time).
  PipelineTiming run(const std::vector<Tile>& tiles);

 private:
  template <class Clock>
  PipelineTiming run_on(Clock& clock, const std::vector<Tile>& tiles);
  sc_core::sc_time load(const Tile& t);
  sc_core::sc_time store(const Tile& t);
  sc_core::sc_time send(const AddressStream& s, uint64_t offset, bool is_write);
  // A demand tile's fill into slot `slot`'s arrival and need lists (LocalClock: issued at `now`).
  sc_core::sc_time load_by_demand(const Tile& t, size_t slot, const sc_core::sc_time* now);
  // When a demand tile's fold ends if it starts at `now` with its slot's arrivals.
  sc_core::sc_time demand_end(const sc_core::sc_time& now, size_t slot, uint64_t compute_cycles) const;

  MemoryModel& dram_;
  // Set when the memory is the plain bandwidth channel: run() then keeps its own clock (see
  // tile_pipeline.cpp) instead of waiting in the kernel at every tile.
  DramChannel* channel_ = nullptr;
  AddressStream scratch_;
  sc_core::sc_time period_;
  int slots_;
  // Per buffer slot: the demand fill's arrival times and need cycles (cycle mode).
  std::vector<std::vector<sc_core::sc_time>> arrivals_;
  std::vector<std::vector<int64_t>> need_;
  uint64_t demand_requests_ = 0;
};

}  // namespace accsim
