#include "sim/hw/stc/nm_format.hpp"

#include <algorithm>
#include <numeric>

namespace accsim {

namespace {

int ceil_log2(int m) {
  int bits = 0;
  while ((1 << bits) < m) ++bits;
  return bits;
}

// Number of nonzero elements in unit u of group g of row r (elements past the row end count as zero).
int unit_nonzeros(const NmFormat& f, const std::vector<uint8_t>& nz, int64_t r, int64_t cols, int64_t g, int u) {
  int count = 0;
  for (int e = 0; e < f.unit; ++e) {
    const int64_t c = g * f.group_elements() + u * f.unit + e;
    if (c < cols && nz[static_cast<size_t>(r * cols + c)]) ++count;
  }
  return count;
}

uint32_t read_bits(const uint32_t* words, int64_t bit, int width) {
  uint32_t v = 0;
  for (int i = 0; i < width; ++i) {
    const int64_t b = bit + i;
    v |= ((words[b / 32] >> (b % 32)) & 1u) << i;
  }
  return v;
}

void write_bits(uint32_t* words, int64_t bit, int width, uint32_t value) {
  for (int i = 0; i < width; ++i) {
    const int64_t b = bit + i;
    if ((value >> i) & 1u) words[b / 32] |= 1u << (b % 32);
  }
}

constexpr uint32_t kTf32Element0 = 0b0100;  // halves (0, 1)
constexpr uint32_t kTf32Element1 = 0b1110;  // halves (2, 3)

}  // namespace

NmFormat nvidia_nm_format(const DType& t) {
  NmFormat f;
  f.value_bits = t.bits;
  if (t.name == "tf32") {
    // PTX mma.sp .tf32: 1:2, a 4-bit descriptor per pair; tf32 occupies 32 bits of storage.
    f.name = "1:2 (tf32)";
    f.n = 1;
    f.m = 2;
    f.index_bits = 4;
    f.value_bits = 32;
    f.tf32_halves = true;
    return f;
  }
  if (t.is_integer() && t.bits == 4) {
    // PTX mma.sp .s4/.u4: pairwise 4:8 = two of the four element pairs of a group of eight.
    f.name = "4:8 pairwise";
    f.n = 2;
    f.m = 4;
    f.unit = 2;
    f.index_bits = 2;
    return f;
  }
  const bool ok = t.name == "fp16" || t.name == "bf16" || t.name == "fp8_e4m3" || t.name == "fp8_e5m2" ||
                  (t.is_integer() && t.bits == 8);
  if (!ok)
    throw InputError("no sparse tensor core format for " + t.name +
                     " (NVIDIA's mma.sp takes fp16, bf16, tf32, int8/uint8, fp8, int4/uint4)");
  f.name = "2:4";
  f.n = 2;
  f.m = 4;
  f.index_bits = 2;
  return f;
}

NmFormat generic_nm_format(int n, int m, const DType& t) {
  if (n <= 0 || m <= 0 || n >= m)
    throw InputError("N:M sparsity needs 0 < N < M (got " + std::to_string(n) + ":" + std::to_string(m) + ")");
  NmFormat f;
  f.name = std::to_string(n) + ":" + std::to_string(m);
  f.n = n;
  f.m = m;
  f.index_bits = std::max(1, ceil_log2(m));
  f.value_bits = t.bits;
  return f;
}

std::vector<uint8_t> nm_select(const NmFormat& f, const std::vector<uint8_t>& nz, int64_t rows, int64_t cols,
                               const std::string& what) {
  const int64_t gpr = nm_detail::groups_per_row(f, cols);
  std::vector<uint8_t> sel(static_cast<size_t>(rows * gpr * f.n));
  std::vector<uint8_t> used(static_cast<size_t>(f.m));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < gpr; ++g) {
      std::fill(used.begin(), used.end(), 0);
      int kept = 0;
      for (int u = 0; u < f.m; ++u) {
        if (unit_nonzeros(f, nz, r, cols, g, u) == 0) continue;
        if (kept == f.n) {
          const int64_t c0 = g * f.group_elements();
          throw InputError(what + " is not " + f.name + " sparse: row " + std::to_string(r) + ", columns " +
                           std::to_string(c0) + ".." + std::to_string(std::min(cols, c0 + f.group_elements()) - 1) +
                           " hold more than " + std::to_string(f.n) + (f.unit > 1 ? " nonzero pairs" : " nonzeros") +
                           " (prune it, e.g. prune=nm:" + std::to_string(f.n * f.unit) + ":" +
                           std::to_string(f.m * f.unit) + ")");
        }
        used[static_cast<size_t>(u)] = 1;
        ++kept;
      }
      // Pad short groups with the lowest unused units (explicit zeros), keeping indices ascending.
      for (int u = 0; u < f.m && kept < f.n; ++u)
        if (!used[static_cast<size_t>(u)]) {
          used[static_cast<size_t>(u)] = 1;
          ++kept;
        }
      int j = 0;
      for (int u = 0; u < f.m; ++u)
        if (used[static_cast<size_t>(u)]) sel[static_cast<size_t>((r * gpr + g) * f.n + j++)] = static_cast<uint8_t>(u);
    }
  return sel;
}

bool nm_conforms(const NmFormat& f, const std::vector<uint8_t>& nz, int64_t rows, int64_t cols) {
  if (f.unit == 1 && cols % f.m == 0) {
    // Element-wise layouts on whole groups: one pass over the mask bytes (masks reach 10^8 weights).
    const uint8_t* p = nz.data();
    const size_t groups = static_cast<size_t>(rows * cols / f.m);
    for (size_t g = 0; g < groups; ++g, p += f.m) {
      int units = 0;
      for (int u = 0; u < f.m; ++u) units += p[u] != 0;
      if (units > f.n) return false;
    }
    return true;
  }
  const int64_t gpr = nm_detail::groups_per_row(f, cols);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < gpr; ++g) {
      int units = 0;
      for (int u = 0; u < f.m; ++u) units += unit_nonzeros(f, nz, r, cols, g, u) > 0;
      if (units > f.n) return false;
    }
  return true;
}

std::vector<uint8_t> nm_prune_mask(const NmFormat& f, const std::vector<double>& mag, int64_t rows, int64_t cols) {
  const int64_t gpr = nm_detail::groups_per_row(f, cols);
  std::vector<uint8_t> keep(static_cast<size_t>(rows * cols), 0);
  std::vector<double> score(static_cast<size_t>(f.m));
  std::vector<int> order(static_cast<size_t>(f.m));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < gpr; ++g) {
      for (int u = 0; u < f.m; ++u) {
        double s = 0;
        for (int e = 0; e < f.unit; ++e) {
          const int64_t c = g * f.group_elements() + u * f.unit + e;
          if (c < cols) s += mag[static_cast<size_t>(r * cols + c)];
        }
        score[static_cast<size_t>(u)] = s;
      }
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int a, int b) { return score[static_cast<size_t>(a)] > score[static_cast<size_t>(b)]; });
      for (int j = 0; j < f.n; ++j)
        for (int e = 0; e < f.unit; ++e) {
          const int64_t c = g * f.group_elements() + order[static_cast<size_t>(j)] * f.unit + e;
          if (c < cols) keep[static_cast<size_t>(r * cols + c)] = 1;
        }
    }
  return keep;
}

std::vector<uint32_t> nm_pack_metadata(const NmFormat& f, const std::vector<uint8_t>& sel, int64_t rows,
                                       int64_t gpr) {
  const int64_t words = (gpr * f.group_meta_bits() + 31) / 32;
  std::vector<uint32_t> meta(static_cast<size_t>(rows * words), 0);
  for (int64_t r = 0; r < rows; ++r) {
    uint32_t* row = meta.data() + r * words;
    for (int64_t g = 0; g < gpr; ++g)
      for (int j = 0; j < f.n; ++j) {
        const uint32_t u = sel[static_cast<size_t>((r * gpr + g) * f.n + j)];
        const uint32_t field = f.tf32_halves ? (u == 0 ? kTf32Element0 : kTf32Element1) : u;
        write_bits(row, g * f.group_meta_bits() + static_cast<int64_t>(j) * f.index_bits, f.index_bits, field);
      }
  }
  return meta;
}

int nm_unpack_index(const NmFormat& f, const uint32_t* row_words, int64_t group, int j) {
  const uint32_t field = read_bits(row_words, group * f.group_meta_bits() + static_cast<int64_t>(j) * f.index_bits,
                                   f.index_bits);
  if (f.tf32_halves) return field == kTf32Element1 ? 1 : 0;
  return static_cast<int>(field);
}

void nm_validate_metadata(const NmFormat& f, const std::vector<uint32_t>& meta, int64_t rows, int64_t gpr) {
  const int64_t words = (gpr * f.group_meta_bits() + 31) / 32;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < gpr; ++g) {
      const uint32_t* row = meta.data() + r * words;
      auto bad = [&](const std::string& why) {
        throw InputError("invalid " + f.name + " metadata at row " + std::to_string(r) + ", group " +
                         std::to_string(g) + ": " + why);
      };
      if (f.tf32_halves) {
        const uint32_t d = read_bits(row, g * f.group_meta_bits(), f.index_bits);
        if (d != kTf32Element0 && d != kTf32Element1) bad("descriptor must be 0b0100 or 0b1110");
        continue;
      }
      int previous = -1;
      for (int j = 0; j < f.n; ++j) {
        const int u = nm_unpack_index(f, row, g, j);
        if (u >= f.m) bad("index " + std::to_string(u) + " outside the group");
        if (u <= previous) bad("indices must be distinct and ascending");
        previous = u;
      }
    }
}

}  // namespace accsim
