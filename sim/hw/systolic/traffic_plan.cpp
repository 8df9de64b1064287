#include "sim/hw/systolic/traffic_plan.hpp"

#include "sim/hw/systolic/fold_demand.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

namespace {

int64_t slice(int64_t dim, int64_t index, int64_t tile) { return std::min(tile, dim - index * tile); }

// Partial sums of one (chunk, column fold) accumulated across row folds: kept in the ofmap buffer
// when they fit its tile capacity; otherwise every non-final row fold writes them out and every
// later one reads them back. Returns the DRAM bytes to load; adds stores and buffer reads.
double partial_sums(double bytes, int64_t fr, int64_t row_folds, const BufferSpec& ofmap, double& store,
                    double& sram_reads, bool& spills) {
  if (fr > 0) sram_reads += bytes;
  if (bytes <= ofmap.tile_capacity_bytes()) return 0.0;
  spills = spills || row_folds > 1;
  if (fr < row_folds - 1) store += bytes;
  return fr > 0 ? bytes : 0.0;
}

// One operand block of a fill, as a DemandPiece: `need` = {at, ra, rd, ca, cd} (fold_demand.hpp).
DemandPiece demand_piece(const OperandLayout& L, OperandLayout::Which w, const AddressStream& s, int64_t r0,
                         int64_t c0, int64_t nc, const int64_t (&need)[5]) {
  DemandPiece p;
  p.segments = s;
  const MatrixRegion& m = L.region(w);
  p.elem_bytes = m.elem_bytes;
  if (L.tiled()) p.origin = s.empty() ? 0 : s.front().base, p.cols = nc;  // the block, row-major
  else p.origin = m.base, p.cols = m.cols, p.r0 = r0, p.c0 = c0;
  p.at = need[0], p.ra = need[1], p.rd = need[2], p.ca = need[3], p.cd = need[4];
  return p;
}

// Address streams of one tile's fills and stores, operand by operand, in the order the fills are
// issued (the controller sees them as one batch per tile, as the bytes are); with in.demand, the
// fill's blocks also become the tile's FoldDemand.
void attach_streams(OperandLayout& L, const TrafficInputs& in, const FoldRegion& f, const double fills[3],
                    double psum_store, Tile& t) {
  auto load = std::make_shared<AddressStream>();
  auto store = std::make_shared<AddressStream>();
  auto demand = std::make_shared<SystolicFoldDemand>();
  const int64_t R = in.rows, kp = in.k_pack, ts = in.temporal_scale;
  // Loads: block rows [r0, r0 + nr) x columns [c0, c0 + nc) of `w`, first needed per `need`.
  auto fill = [&](OperandLayout::Which w, int64_t r0, int64_t nr, int64_t c0, int64_t nc, const int64_t (&need)[5]) {
    AddressStream s = L.block(w, r0, nr, c0, nc);
    if (in.demand) demand->pieces.push_back(demand_piece(L, w, s, r0, c0, nc, need));
    load->insert(load->end(), s.begin(), s.end());
  };
  auto add = [](AddressStream& to, AddressStream s) { to.insert(to.end(), s.begin(), s.end()); };
  const int64_t k_rows = in.rows * in.k_pack;  // K elements one ws/is row fold covers
  switch (in.dataflow) {
    case Dataflow::OutputStationary: {
      const int64_t m0 = f.fr * in.rows, n0 = f.fc * in.cols;
      const int64_t k = f.t_len;  // os: T = K, never chunked
      if (fills[0] > 0) fill(OperandLayout::A, m0, f.r_used, 0, k, {0, 1, 1, ts, kp});
      if (fills[1] > 0) fill(OperandLayout::B, 0, k, n0, f.c_used, {0, ts, kp, 1, 1});
      add(*store, L.block(OperandLayout::C, m0, f.r_used, n0, f.c_used));
      break;
    }
    case Dataflow::WeightStationary: {
      const int64_t k0 = f.fr * k_rows, n0 = f.fc * in.cols;
      if (fills[1] > 0) fill(OperandLayout::B, k0, f.r_used, n0, f.c_used, {R - 1, -1, kp, 0, 1});
      if (fills[0] > 0) fill(OperandLayout::A, f.t0, f.t_len, k0, f.r_used, {R, ts, 1, 1, kp});
      if (fills[2] > 0) fill(OperandLayout::P, f.t0, f.t_len, n0, f.c_used, {2 * R - 1, ts, 1, 1, 1});
      if (psum_store > 0) add(*store, L.block(OperandLayout::P, f.t0, f.t_len, n0, f.c_used));
      if (f.last_row_fold) add(*store, L.block(OperandLayout::C, f.t0, f.t_len, n0, f.c_used));
      break;
    }
    case Dataflow::InputStationary: {
      const int64_t k0 = f.fr * k_rows, m0 = f.fc * in.cols;
      if (fills[0] > 0) fill(OperandLayout::A, m0, f.c_used, k0, f.r_used, {R - 1, 0, 1, -1, kp});
      if (fills[1] > 0) fill(OperandLayout::B, k0, f.r_used, f.t0, f.t_len, {R, 1, kp, ts, 1});
      if (fills[2] > 0) fill(OperandLayout::P, m0, f.c_used, f.t0, f.t_len, {2 * R - 1, 1, 1, ts, 1});
      if (psum_store > 0) add(*store, L.block(OperandLayout::P, m0, f.c_used, f.t0, f.t_len));
      if (f.last_row_fold) add(*store, L.block(OperandLayout::C, m0, f.c_used, f.t0, f.t_len));
      break;
    }
  }
  t.load_stream = std::move(load);
  t.store_stream = std::move(store);
  if (in.demand && !demand->pieces.empty()) t.demand = std::move(demand);
}

bool same_fold(const Tile& a, const Tile& b) {
  return a.load_bytes == b.load_bytes && a.compute_cycles == b.compute_cycles && a.store_bytes == b.store_bytes &&
         a.depends_on_previous == b.depends_on_previous && !a.load_stream && !b.load_stream && !a.store_stream &&
         !b.store_stream && a.address_offset == b.address_offset;
}

}  // namespace

uint64_t TrafficPlan::folds() const {
  uint64_t sum = 0;
  for (const Tile& t : tiles) sum += t.repeat;
  return sum;
}

uint64_t TrafficPlan::dram_bytes() const {
  uint64_t sum = 0;
  for (const Tile& t : tiles) sum += (t.load_bytes + t.store_bytes) * t.repeat;
  return sum;
}

uint64_t TrafficPlan::compute_cycles() const {
  uint64_t sum = 0;
  for (const Tile& t : tiles) sum += t.compute_cycles * t.repeat;
  return sum;
}

TrafficPlan plan_traffic(const GemmShape& g, const FoldPlan& plan, const TrafficInputs& in, bool chunk_temporal) {
  const bool os = in.dataflow == Dataflow::OutputStationary;
  const double a_total = static_cast<double>(g.m * g.k) * in.a_bytes;
  const double b_total = static_cast<double>(g.k * g.n) * in.b_bytes;
  TrafficPlan tr;
  std::optional<OperandLayout> layout = in.layout;  // a fresh copy per plan: tiled layouts advance

  for (int64_t fc = 0; fc < plan.col_folds; ++fc) {
    const int64_t c_used = slice(plan.sc, fc, in.cols);
    // ws/is: partial sums of a chunk are chunk x c_used accumulators (ws: M rows x N columns,
    // is: M columns x N steps). Chunk only when the whole T would not fit and one step does.
    int64_t chunk = plan.t;
    if (chunk_temporal && !os) {
      const double step_bytes = static_cast<double>(c_used) * in.acc_bytes;
      const auto fit = static_cast<int64_t>(std::floor(in.ofmap.tile_capacity_bytes() / step_bytes));
      if (fit >= 1 && fit < plan.t) chunk = fit;
    }
    const int64_t chunks = (plan.t + chunk - 1) / chunk;
    tr.temporal_chunks = std::max(tr.temporal_chunks, chunks);
    // The stationary operand of this column fold, all row folds: ws B[:, fc] (K x c_used), is
    // A[fc, :] (c_used x K). Later chunks re-read it from its buffer if it fits, else from DRAM.
    const bool stationary_resident =
        in.dataflow == Dataflow::WeightStationary
            ? static_cast<double>(g.k * c_used) * in.b_bytes <= in.filter.tile_capacity_bytes()
            : static_cast<double>(c_used * g.k) * in.a_bytes <= in.ifmap.tile_capacity_bytes();

    for (int64_t ch = 0; ch < chunks; ++ch) {
      const int64_t t_len = slice(plan.t, ch, chunk);
      const bool fetch_stationary = ch == 0 || !stationary_resident;
      const uint64_t cycles = static_cast<uint64_t>(in.fold_cycles(t_len));
      // Rows hold M (os) or K' = ceil(K / k_pack) (ws/is): count the K elements they carry.
      auto row_slice = [&](int64_t fr) { return os ? slice(plan.sr, fr, in.rows) : slice(g.k, fr, in.rows * in.k_pack); };
      for (int64_t fr = 0; fr < plan.row_folds; ++fr) {
        const int64_t r_used = row_slice(fr);
        double store = 0;
        double psum_store = 0;
        double fills[3] = {0, 0, 0};  // DRAM -> buffer, by ifmap/filter/ofmap
        double reads[3] = {0, 0, 0};  // buffer -> array
        switch (in.dataflow) {
          case Dataflow::OutputStationary: {
            // A rows [fr] (r_used x K) stream in from the left, B columns [fc] (K x c_used) from the top.
            const double a_slice = static_cast<double>(r_used * g.k) * in.a_bytes;
            const double b_slice = static_cast<double>(g.k * c_used) * in.b_bytes;
            // A row slice fr comes back at every column fold, after all the other row slices: it is
            // still there only if all of A fits. The B column slice serves this column's row folds
            // back to back: it stays if it fits.
            const bool a_resident = a_total <= in.ifmap.tile_capacity_bytes();
            const bool b_resident = b_slice <= in.filter.tile_capacity_bytes();
            if (!a_resident || fc == 0) fills[0] = a_slice;
            if (!b_resident || fr == 0) fills[1] = b_slice;
            reads[0] = a_slice;
            reads[1] = b_slice;
            store = static_cast<double>(r_used * c_used) * in.out_bytes;
            break;
          }
          case Dataflow::WeightStationary: {
            // B block (r_used of K x c_used of N) is preloaded; t_len rows of A[:, fr] stream through.
            const double b_block = static_cast<double>(r_used * c_used) * in.b_bytes;
            const double a_slice = static_cast<double>(t_len * r_used) * in.a_bytes;
            // A's column slice fr comes back at every column fold: kept only if all of A fits.
            const bool a_resident = a_total <= in.ifmap.tile_capacity_bytes();
            if (fetch_stationary) fills[1] = b_block;
            if (!a_resident || fc == 0) fills[0] = a_slice;
            reads[0] = a_slice;
            reads[1] = b_block;
            fills[2] = partial_sums(static_cast<double>(t_len * c_used) * in.acc_bytes, fr, plan.row_folds,
                                    in.ofmap, psum_store, reads[2], tr.spills);
            store += psum_store;
            if (fr == plan.row_folds - 1) store += static_cast<double>(t_len * c_used) * in.out_bytes;
            break;
          }
          case Dataflow::InputStationary: {
            // A block (c_used of M x r_used of K) is preloaded; t_len columns of B[fr, :] stream through.
            const double a_block = static_cast<double>(c_used * r_used) * in.a_bytes;
            const double b_slice = static_cast<double>(r_used * t_len) * in.b_bytes;
            // B's row slice fr comes back at every column fold: kept only if all of B fits.
            const bool b_resident = b_total <= in.filter.tile_capacity_bytes();
            if (fetch_stationary) fills[0] = a_block;
            if (!b_resident || fc == 0) fills[1] = b_slice;
            reads[0] = a_block;
            reads[1] = b_slice;
            fills[2] = partial_sums(static_cast<double>(c_used * t_len) * in.acc_bytes, fr, plan.row_folds,
                                    in.ofmap, psum_store, reads[2], tr.spills);
            store += psum_store;
            if (fr == plan.row_folds - 1) store += static_cast<double>(c_used * t_len) * in.out_bytes;
            break;
          }
        }
        Tile t;
        t.load_bytes = static_cast<uint64_t>(std::ceil(fills[0] + fills[1] + fills[2]));
        t.store_bytes = static_cast<uint64_t>(std::ceil(store));
        t.compute_cycles = cycles;
        const FoldRegion f{fr, fc, ch * chunk, os ? g.k : t_len, r_used, c_used, fr == plan.row_folds - 1};
        if (layout) attach_streams(*layout, in, f, fills, psum_store, t);
        if (in.run_length && !tr.tiles.empty() && same_fold(tr.tiles.back(), t)) {
          ++tr.tiles.back().repeat;
        } else {
          tr.tiles.push_back(t);
          if (!in.run_length) tr.regions.push_back(f);
        }
        // SRAM: the array reads operands; DRAM fills write into the buffers; results are written to
        // the ofmap buffer (one write per element or partial sum) and read out on their way to DRAM.
        auto add_sram = [&] {
          for (int b = 0; b < 3; ++b) {
            tr.sram_read_bytes[b] += reads[b];
            tr.sram_write_bytes[b] += fills[b];
          }
          tr.sram_write_bytes[2] += store + reads[2];
          tr.sram_read_bytes[2] += store;
        };
        add_sram();
        // Run-length plans: row folds 1 .. R-2 depend on fr only through r_used (fr > 0, fr < R-1
        // hold for all of them), and r_used is the same for all when fold R-2 is as full as fold 1
        // (a slice only shrinks with fr). So they are fold 1 again: one more repeat of its tile and
        // its SRAM bytes added once per fold, keeping every sum the fold-by-fold one.
        if (in.run_length && fr == 1 && plan.row_folds > 3 && r_used == row_slice(plan.row_folds - 2)) {
          for (int64_t again = 2; again < plan.row_folds - 1; ++again) {
            ++tr.tiles.back().repeat;
            add_sram();
          }
          fr = plan.row_folds - 2;  // the loop goes on with the last row fold
        }
      }
    }
  }
  return tr;
}

double estimate_cycles(const TrafficPlan& plan, double bytes_per_cycle, double latency_cycles, int slots) {
  if (bytes_per_cycle <= 0) return static_cast<double>(plan.compute_cycles());
  double sum = 0;
  for (const Tile& t : plan.tiles) {
    const double compute = static_cast<double>(t.compute_cycles);
    const double xfer = static_cast<double>(t.load_bytes + t.store_bytes) / bytes_per_cycle;
    // Double buffered, a tile's transfers overlap the neighbouring tiles' compute (latency too);
    // single buffered, the array waits for each load to arrive.
    const double wait = t.load_bytes > 0 ? latency_cycles : 0.0;
    const double each = slots >= 2 ? std::max(compute, xfer) : compute + xfer + wait;
    // Added once per fold, not repeat x each: the sum is then bit-for-bit the fold-by-fold one
    // (run-length plans), so the schedule choice below cannot change with the representation.
    for (uint64_t i = 0; i < t.repeat; ++i) sum += each;
  }
  return sum;
}

TrafficPlan choose_traffic(const GemmShape& g, const FoldPlan& plan, const TrafficInputs& in, double bytes_per_cycle,
                           double latency_cycles, int slots) {
  TrafficPlan whole = plan_traffic(g, plan, in, false);
  if (!whole.spills) return whole;
  TrafficPlan chunked = plan_traffic(g, plan, in, true);
  if (chunked.temporal_chunks == 1) return whole;  // not even one step's partial sums fit
  const double t_whole = estimate_cycles(whole, bytes_per_cycle, latency_cycles, slots);
  const double t_chunked = estimate_cycles(chunked, bytes_per_cycle, latency_cycles, slots);
  if (t_chunked < t_whole || (t_chunked == t_whole && chunked.dram_bytes() < whole.dram_bytes())) return chunked;
  return whole;
}

}  // namespace accsim
