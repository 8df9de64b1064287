#pragma once
// The binary side file of a trace: per-layer weight masks and, optionally, quantized weight codes.
// Layout (little-endian; docs/workloads.md):
//   "ACCSIMSF" u32 version=1 u32 0 | blobs ... | index | u64 index_offset "ACCSIMIX"
// index: u32 count, then per entry: u32 name_len, name, u64 rows, u64 cols, u64 mask_offset,
//   u8 value_kind (0 none, 1 signed int, 2 float format), u8 bits, u8 flags (1 per-channel,
//   2 asymmetric), u8 0, u64 values_offset, u32 n_scales, n_scales x (f32 scale, i32 zero_point).
// Masks are bit-packed row-major, bit i of the tensor in byte i/8 at bit i%8. Values hold one code
// per element in ceil(bits/8) bytes (int: two's complement; float: the format's bit pattern).
// The whole file's mum64x4 digest (file_digest.hpp) is recorded in the trace and checked when it is
// read; traces written before it carry an FNV-1a 64-bit hash, still accepted.
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/workload/file_digest.hpp"
#include "sim/workload/weight_mask.hpp"

namespace accsim {

struct SideEntry {
  std::string name;
  int64_t rows = 0, cols = 0;
  uint64_t mask_offset = 0;
  uint8_t value_kind = 0, bits = 0, flags = 0;
  uint64_t values_offset = 0;
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
};

// FNV-1a 64-bit, streamed: the side files' checksum before mum64x4.
struct Fnv1a64 {
  uint64_t h = 0xcbf29ce484222325ULL;
  void update(const void* data, size_t n);
};
std::string checksum_text(uint64_t h);  // "fnv1a64:<16 hex digits>"
// Checksum text of a whole file in the algorithm `like` names ("fnv1a64:..." or, by default,
// "mum64x4:..."); InputError if it cannot be read.
std::string file_checksum(const std::string& path, const std::string& like = "");
// Path, size and modification time: a cache key that changes when the file is rewritten.
std::string file_identity(const std::string& path);

class SideFileWriter {
 public:
  // Writes to `out` (a safe temporary, sim/core/safe_file.hpp); `name` appears in errors.
  SideFileWriter(std::ostream& out, std::string name);
  // Adds one tensor's mask; `codes` (may be empty) holds ceil(bits/8)-byte codes per element.
  void add(SideEntry entry, const WeightMask& mask, const std::vector<uint8_t>& codes);
  // Adds a mask that is already bit-packed (ceil(rows*cols/8) bytes, no values).
  void add_packed(SideEntry entry, int64_t rows, int64_t cols, const std::vector<uint8_t>& bits);
  // Writes the index; returns the checksum text of the finished file.
  std::string finish();

 private:
  void put(const void* data, size_t n);
  std::ostream& out_;
  std::string path_;
  uint64_t pos_ = 0;
  Mum64x4 hash_;
  std::vector<SideEntry> entries_;
};

class SideFile {
 public:
  // Reads and checks the index; InputError on a malformed or truncated file.
  static std::shared_ptr<const SideFile> open(const std::string& path);
  const SideEntry* find(const std::string& name) const;
  WeightMask mask(const SideEntry& e) const;
  std::vector<uint8_t> codes(const SideEntry& e) const;
  const std::vector<SideEntry>& entries() const { return entries_; }

 private:
  std::string path_;
  uint64_t size_ = 0;
  std::vector<SideEntry> entries_;
  std::map<std::string, size_t> by_name_;
};

// The mask of a layer whose compression names a side file (weight_mask() calls it): from the
// side file the trace reader opened, else opened now. InputError for a missing entry or a shape
// that does not match the layer.
std::shared_ptr<const WeightMask> mask_from_side_file(const Layer& layer);

}  // namespace accsim
