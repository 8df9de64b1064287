#include "sim/hw/systolic/cycle_mode.hpp"

#include <stdexcept>
#include <string>

#include "sim/hw/systolic/wavefront.hpp"
#include "sim/workload/side_file.hpp"
#include "sim/workload/weight_mask.hpp"

namespace accsim {

namespace {

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Signed values of `bits` bits (at most 8: int8 codes bound the products' range), seeded.
void fill(std::vector<int32_t>& v, int bits, uint64_t seed) {
  const int b = bits < 2 ? 2 : (bits > 8 ? 8 : bits);
  const int64_t span = int64_t{1} << b, lo = -(span / 2);
  for (int32_t& x : v) x = static_cast<int32_t>(lo + static_cast<int64_t>(splitmix(seed) % static_cast<uint64_t>(span)));
}

// row[n] += a x b[n]: the reference GEMM's inner loop (multiversioned like the grid's).
__attribute__((target_clones("avx2", "default"))) void axpy(int64_t* __restrict row, int64_t a,
                                                                       const int32_t* __restrict b, int64_t n) {
  for (int64_t j = 0; j < n; ++j) row[j] += a * b[j];
}

// The trace's own integer weight codes (side file, value kind 1 = signed int, up to 16 bits), as
// B (K x N): codes are stored per weight row (N rows of K). False when the layer has none.
bool codes_from_trace(const Layer& layer, int64_t N, int64_t K, std::vector<int32_t>& B) {
  const Compression& c = layer.weights.compression;
  if (c.mask_file.empty() && !c.side_file) return false;
  const std::shared_ptr<const SideFile> f = c.side_file ? c.side_file : SideFile::open(c.mask_file);
  const SideEntry* e = f->find(layer.name);
  if (!e || e->value_kind != 1 || e->bits > 16 || e->rows != N || e->cols != K) return false;
  const std::vector<uint8_t> raw = f->codes(*e);
  const int width = (e->bits + 7) / 8;
  if (raw.size() < static_cast<size_t>(N * K * width)) return false;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t kk = 0; kk < K; ++kk) {
      const uint8_t* b = &raw[static_cast<size_t>((n * K + kk) * width)];
      const int32_t v = width == 1 ? static_cast<int8_t>(b[0]) : static_cast<int16_t>(b[0] | (b[1] << 8));
      B[kk * N + n] = v;
    }
  return true;
}

}  // namespace

SteppedLayer step_instance(const Layer& layer, const GemmShape& g, const TrafficPlan& plan, const TrafficInputs& in,
                           int64_t temporal_scale, bool drain, uint64_t instance) {
  const int64_t M = g.m, N = g.n, K = g.k;
  std::vector<int32_t> A(static_cast<size_t>(M * K)), B(static_cast<size_t>(K * N));
  const uint64_t seed = synthetic_seed(layer.weights.compression.seed, layer.name) ^ (instance * 0x100000001B3ULL);
  fill(A, layer.activations.dtype.bits, seed ^ 0xA5A5A5A5ULL);
  fill(B, layer.weights.dtype.bits, seed);
  // The trace's weight codes where it stores them (one GEMM instance of weights); otherwise pruned
  // weights are zeros where the layer's mask (its side file, or its synthetic pruning) says.
  const bool real = !g.b_is_activation && g.instances == 1 && codes_from_trace(layer, N, K, B);
  if (!real && !layer.weights.compression.is_dense() && !g.b_is_activation) {
    const auto mask = weight_mask(layer);
    if (mask && mask->rows == N && mask->cols == K)
      for (int64_t kk = 0; kk < K; ++kk)
        for (int64_t n = 0; n < N; ++n)
          if (!mask->at(n, kk)) B[kk * N + n] = 0;
  }
  std::vector<int64_t> C(static_cast<size_t>(M * N), 0);
  SteppedLayer out;
  out.trace_weights = real;
  out.tile_cycles.reserve(plan.regions.size());
  const int64_t R = in.rows, Cc = in.cols, kr = in.rows * in.k_pack;
  for (const FoldRegion& f : plan.regions) {
    WavefrontFold w;
    switch (in.dataflow) {
      case Dataflow::OutputStationary: {
        const int64_t m0 = f.fr * R, n0 = f.fc * Cc;
        w = step_wavefront(in.dataflow, R, Cc, &A[m0 * K], K, &B[n0], N, f.r_used, f.c_used, K, in.k_pack,
                           temporal_scale, drain, &C[m0 * N + n0], N);
        break;
      }
      case Dataflow::WeightStationary: {
        const int64_t k0 = f.fr * kr, n0 = f.fc * Cc;
        w = step_wavefront(in.dataflow, R, Cc, &A[f.t0 * K + k0], K, &B[k0 * N + n0], N, f.t_len, f.c_used,
                           f.r_used, in.k_pack, temporal_scale, false, &C[f.t0 * N + n0], N);
        break;
      }
      case Dataflow::InputStationary: {
        const int64_t k0 = f.fr * kr, m0 = f.fc * Cc;
        w = step_wavefront(in.dataflow, R, Cc, &A[m0 * K + k0], K, &B[k0 * N + f.t0], N, f.c_used, f.t_len,
                           f.r_used, in.k_pack, temporal_scale, false, &C[m0 * N + f.t0], N);
        break;
      }
    }
    out.tile_cycles.push_back(static_cast<uint64_t>(w.cycles));
    out.pe_cycles += static_cast<double>(w.pe_cycles);
  }
  // The reference GEMM: every output the array produced must match.
  std::vector<int64_t> row(static_cast<size_t>(N));
  for (int64_t m = 0; m < M; ++m) {
    std::fill(row.begin(), row.end(), 0);
    for (int64_t kk = 0; kk < K; ++kk) {
      const int64_t av = A[m * K + kk];
      axpy(row.data(), av, &B[kk * N], N);
    }
    for (int64_t n = 0; n < N; ++n)
      if (row[n] != C[m * N + n])
        throw std::logic_error("systolic cycle mode: layer '" + layer.name + "' output (" + std::to_string(m) + ", " +
                               std::to_string(n) + ") differs from the reference GEMM");
  }
  return out;
}

}  // namespace accsim
