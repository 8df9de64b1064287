#include "sim/hw/stc/stc_streams.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

namespace {

uint64_t align4k(uint64_t x) { return (x + 4095) / 4096 * 4096; }
uint64_t nbytes(double x) { return static_cast<uint64_t>(std::llround(x)); }
double d(int64_t x) { return static_cast<double>(x); }

}  // namespace

StcStreams::StcStreams(const GemmPlan& p, const GemmShape& g, GpuDramLayout layout) : p_(p), g_(g), layout_(layout) {
  const int64_t K = p.k_padded;
  const double meta = p.meta_bytes_per_element;
  w_ = {0, K, p.weight_bytes_per_element - meta};
  e_base_ = align4k(nbytes(d(g.n * K) * w_.elem));
  uint64_t e_bytes = 0;
  if (meta > 0) {
    // CUTLASS's ElementE holds the metadata of 128 bits of kept values; ColumnMajorInterleaved<2>
    // keeps two such columns of every row together: 256 bits of kept values per block.
    const double kept_bits_per_k = p.format.density() * p.format.value_bits;
    meta_cover_k_ = std::max<int64_t>(1, std::llround(256.0 / kept_bits_per_k));
    const int64_t blocks = (K + meta_cover_k_ - 1) / meta_cover_k_;
    e_bytes = nbytes(d(blocks * g.n * meta_cover_k_) * meta);
  }
  weight_stride_ = align4k(e_base_ + e_bytes);
  weight_end_ = weight_stride_ * static_cast<uint64_t>(p.weights_per_instance ? g.instances : 1);
  // Implicit-GEMM convolution: X holds the input's unique bytes, addressed as an m x K matrix.
  x_ = {0, K, p.a_bytes * p.a_unique};
  y_ = {align4k(nbytes(d(g.m * K) * x_.elem)), g.n, p.out_bytes};
  ws_ = {align4k(y_.base + nbytes(d(g.m * g.n) * p.out_bytes)), g.n, p.partial_bytes};
  workspace_bytes_ = p.split_k > 1 ? nbytes(d(p.split_k * g.m * g.n) * p.partial_bytes) : 0;
  instance_stride_ = align4k(ws_.base + workspace_bytes_);
}

void StcStreams::block(AddressStream& s, const Matrix& m, int64_t r0, int64_t rows, int64_t c0, int64_t c1) const {
  if (rows <= 0 || c1 <= c0) return;
  const uint64_t row_start = m.base + nbytes(d(r0 * m.cols) * m.elem);
  if (layout_ == GpuDramLayout::Tiled) {
    // A tile row-block stored column chunk by column chunk: chunk [c0, c1) of its rows is one run.
    s.push_back({row_start + nbytes(d(c0 * rows) * m.elem), nbytes(d((c1 - c0) * rows) * m.elem), 0, 1});
    return;
  }
  const uint64_t seg = nbytes(d(c1 - c0) * m.elem);
  if (c0 == 0 && c1 == m.cols) {
    s.push_back({row_start, seg * static_cast<uint64_t>(rows), 0, 1});
    return;
  }
  s.push_back({row_start + nbytes(d(c0) * m.elem), seg, nbytes(d(m.cols) * m.elem), static_cast<uint64_t>(rows)});
}

void StcStreams::metadata(AddressStream& s, uint64_t base, int64_t r0, int64_t rows, int64_t k0, int64_t k1) const {
  const double meta = p_.meta_bytes_per_element;
  const uint64_t block_row = nbytes(d(meta_cover_k_) * meta);  // one row's bytes in one block
  for (int64_t b = k0 / meta_cover_k_; b * meta_cover_k_ < k1; ++b) {
    const int64_t lo = std::max(k0, b * meta_cover_k_), hi = std::min(k1, (b + 1) * meta_cover_k_);
    const uint64_t part = nbytes(d(hi - lo) * meta);
    const uint64_t at = base + static_cast<uint64_t>(b * g_.n + r0) * block_row + nbytes(d(lo - b * meta_cover_k_) * meta);
    if (part == block_row) s.push_back({at, block_row * static_cast<uint64_t>(rows), 0, 1});
    else s.push_back({at, part, block_row, static_cast<uint64_t>(rows)});
  }
}

void StcStreams::panel(AddressStream& s, const PanelMiss& miss, int64_t shift, int64_t k0, int64_t k1) const {
  const int64_t from = miss.slice * p_.k_slice;
  const int64_t lo = from + k0, hi = std::min(from + k1, p_.k_padded);
  if (miss.kind == 0) {
    const int64_t r0 = miss.index * p_.tile_m;
    Matrix m = x_;
    m.base += instance_base(miss.inst + shift);
    block(s, m, r0, std::min(p_.tile_m, g_.m - r0), lo, hi);
    return;
  }
  const int64_t inst = p_.weights_per_instance ? miss.inst + shift : 0;
  const int64_t r0 = miss.index * p_.tile_n, rows = std::min(p_.tile_n, g_.n - r0);
  Matrix m = w_;
  m.base += weight_base(inst);
  block(s, m, r0, rows, lo, hi);
  if (p_.meta_bytes_per_element <= 0) return;
  const uint64_t e = weight_base(inst) + e_base_;
  if (layout_ == GpuDramLayout::Tiled) block(s, Matrix{e, p_.k_padded, p_.meta_bytes_per_element}, r0, rows, lo, hi);
  else metadata(s, e, r0, rows, lo, hi);
}

AddressStream StcStreams::reads(int64_t wave, int64_t s0, int64_t s1, uint64_t bytes) const {
  AddressStream s;
  if (bytes == 0) return s;
  const int64_t shift = p_.instance_shift(wave);
  const int64_t k0 = s0 * p_.bk, k1 = std::min(s1 * p_.bk, p_.k_slice);
  for (const PanelMiss& m : p_.wave(wave).misses) panel(s, m, shift, k0, k1);
  fit(s, bytes);
  return s;
}

AddressStream StcStreams::stores(int64_t wave, uint64_t bytes) const {
  AddressStream s;
  if (bytes == 0) return s;
  const bool partial = p_.split_k > 1;
  // A stream-K wave stores the C tiles that follow the data-parallel ones (its partials stay in L2).
  const bool stream_k = p_.wave(wave).steps > 0;
  const int64_t first = stream_k ? p_.dp_ctas() : wave * p_.wave_size;
  const int64_t ctas = stream_k ? p_.sk_tiles : p_.wave(wave).ctas;
  for (int64_t c = 0; c < ctas; ++c) {
    const GemmTile t = gemm_tile(p_, first + c);
    const int64_t r0 = t.i * p_.tile_m, c0 = t.j * p_.tile_n;
    Matrix m = partial ? ws_ : y_;
    m.base += instance_base(t.inst) + (partial ? nbytes(d(t.slice * g_.m * g_.n) * p_.partial_bytes) : 0);
    block(s, m, r0, std::min(p_.tile_m, g_.m - r0), c0, std::min(c0 + p_.tile_n, g_.n));
  }
  fit(s, bytes);
  return s;
}

AddressStream StcStreams::workspace_reads(uint64_t bytes) const {
  AddressStream s;
  if (bytes == 0) return s;
  s.push_back({instance_base(0) + ws_.base, workspace_bytes_, instance_stride_, static_cast<uint64_t>(g_.instances)});
  fit(s, bytes);
  return s;
}

AddressStream StcStreams::reduction_stores(uint64_t bytes) const {
  AddressStream s;
  if (bytes == 0) return s;
  s.push_back({instance_base(0) + y_.base, nbytes(d(g_.m * g_.n) * p_.out_bytes), instance_stride_,
               static_cast<uint64_t>(g_.instances)});
  fit(s, bytes);
  return s;
}

void StcStreams::fit(AddressStream& s, uint64_t bytes) const {
  const uint64_t have = stream_bytes(s);
  adjusted_ += have > bytes ? have - bytes : bytes - have;
  fit_stream(s, bytes);
}

void fit_stream(AddressStream& s, uint64_t bytes) {
  uint64_t have = stream_bytes(s);
  if (have < bytes) {
    uint64_t end = 0;
    if (!s.empty()) end = s.back().base + (s.back().count - 1) * s.back().stride + s.back().bytes;
    s.push_back({end, bytes - have, 0, 1});
    return;
  }
  while (have > bytes) {
    Extent& e = s.back();
    const uint64_t excess = have - bytes;
    if (e.bytes == 0 || e.total() <= excess) {
      have -= e.total();
      s.pop_back();
      continue;
    }
    const uint64_t keep = e.total() - excess, whole = keep / e.bytes, rem = keep % e.bytes;
    const Extent tail{e.base + whole * e.stride, rem, e.stride, 1};
    e.count = whole;
    if (whole == 0) s.pop_back();
    if (rem > 0) s.push_back(tail);
    have = bytes;
  }
}

}  // namespace accsim
