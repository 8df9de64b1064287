#include "sim/workload/side_file.hpp"
#include "sim/core/input_file.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>

namespace accsim {

namespace {

constexpr char kMagic[8] = {'A', 'C', 'C', 'S', 'I', 'M', 'S', 'F'};
constexpr char kIndexMagic[8] = {'A', 'C', 'C', 'S', 'I', 'M', 'I', 'X'};
constexpr uint64_t kMaxEntries = 1u << 20;

void le_put(std::vector<uint8_t>& b, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// Bounds-checked little-endian reads over a byte buffer; every overrun is a truncated file.
struct Reader {
  const std::vector<uint8_t>& b;
  size_t pos;
  const std::string& path;
  uint64_t get(int bytes) {
    if (pos + static_cast<size_t>(bytes) > b.size()) throw InputError(path + ": side file index is truncated");
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(b[pos + i]) << (8 * i);
    pos += static_cast<size_t>(bytes);
    return v;
  }
};

size_t code_bytes(const SideEntry& e) { return (e.bits + 7u) / 8u; }
uint64_t mask_bytes(const SideEntry& e) { return (static_cast<uint64_t>(e.rows * e.cols) + 7) / 8; }

std::vector<uint8_t> read_range(const std::string& path, uint64_t offset, uint64_t n) {
  std::ifstream in = open_input_file(path, "side file", std::ios::binary);
  std::vector<uint8_t> out(n);
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(n));
  if (static_cast<uint64_t>(in.gcount()) != n) throw InputError(path + ": side file is truncated");
  return out;
}


}  // namespace

void Fnv1a64::update(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t x = h;
  for (size_t i = 0; i < n; ++i) x = (x ^ p[i]) * 0x100000001b3ULL;
  h = x;
}

std::string checksum_text(uint64_t h) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string file_identity(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const auto time = std::filesystem::last_write_time(path, ec);
  return path + "|" + std::to_string(size) + "|" + std::to_string(time.time_since_epoch().count());
}

std::string file_checksum(const std::string& path, const std::string& like) {
  std::ifstream in = open_input_file(path, "side file", std::ios::binary);
  const bool fnv = like.rfind("fnv1a64:", 0) == 0;
  Fnv1a64 f;
  Mum64x4 m;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (fnv) f.update(buf.data(), static_cast<size_t>(in.gcount()));
    else m.update(buf.data(), static_cast<size_t>(in.gcount()));
  }
  return fnv ? checksum_text(f.h) : mum64x4_text(m.digest());
}

SideFileWriter::SideFileWriter(std::ostream& out, std::string name) : out_(out), path_(std::move(name)) {
  std::vector<uint8_t> head(kMagic, kMagic + 8);
  le_put(head, 1, 4);
  le_put(head, 0, 4);
  put(head.data(), head.size());
}

void SideFileWriter::put(const void* data, size_t n) {
  out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
  hash_.update(data, n);
  pos_ += n;
}

void SideFileWriter::add(SideEntry e, const WeightMask& mask, const std::vector<uint8_t>& codes) {
  e.rows = mask.rows;
  e.cols = mask.cols;
  e.mask_offset = pos_;
  std::vector<uint8_t> bits(mask_bytes(e), 0);
  mask.keep.to_packed(bits.data());
  put(bits.data(), bits.size());
  if (e.value_kind != 0) {
    if (codes.size() != mask.keep.size() * code_bytes(e)) throw std::logic_error("side file: code count mismatch");
    e.values_offset = pos_;
    put(codes.data(), codes.size());
  }
  entries_.push_back(std::move(e));
}

void SideFileWriter::add_packed(SideEntry e, int64_t rows, int64_t cols, const std::vector<uint8_t>& bits) {
  e.rows = rows;
  e.cols = cols;
  if (bits.size() != mask_bytes(e) || e.value_kind != 0) throw std::logic_error("side file: packed mask size mismatch");
  e.mask_offset = pos_;
  put(bits.data(), bits.size());
  entries_.push_back(std::move(e));
}

std::string SideFileWriter::finish() {
  std::vector<uint8_t> idx;
  const uint64_t index_offset = pos_;
  le_put(idx, entries_.size(), 4);
  for (const auto& e : entries_) {
    le_put(idx, e.name.size(), 4);
    idx.insert(idx.end(), e.name.begin(), e.name.end());
    le_put(idx, static_cast<uint64_t>(e.rows), 8);
    le_put(idx, static_cast<uint64_t>(e.cols), 8);
    le_put(idx, e.mask_offset, 8);
    idx.push_back(e.value_kind);
    idx.push_back(e.bits);
    idx.push_back(e.flags);
    idx.push_back(0);
    le_put(idx, e.values_offset, 8);
    le_put(idx, e.scales.size(), 4);
    for (size_t i = 0; i < e.scales.size(); ++i) {
      uint32_t s = 0;
      std::memcpy(&s, &e.scales[i], 4);
      le_put(idx, s, 4);
      le_put(idx, static_cast<uint32_t>(i < e.zero_points.size() ? e.zero_points[i] : 0), 4);
    }
  }
  le_put(idx, index_offset, 8);
  idx.insert(idx.end(), kIndexMagic, kIndexMagic + 8);
  put(idx.data(), idx.size());
  out_.flush();
  if (!out_) throw InputError(path_ + ": writing the side file failed");
  return mum64x4_text(hash_.digest());
}

std::shared_ptr<const SideFile> SideFile::open(const std::string& path) {
  auto f = std::make_shared<SideFile>();
  f->path_ = path;
  std::error_code ec;
  f->size_ = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path + ": cannot open side file");
  if (f->size_ < 32) throw InputError(path + ": not an accsim side file (too short)");
  const auto head = read_range(path, 0, 16);
  if (std::memcmp(head.data(), kMagic, 8) != 0) throw InputError(path + ": not an accsim side file (bad magic)");
  if (head[8] != 1 || head[9] || head[10] || head[11]) throw InputError(path + ": unsupported side file version");
  const auto tail = read_range(path, f->size_ - 16, 16);
  if (std::memcmp(tail.data() + 8, kIndexMagic, 8) != 0) throw InputError(path + ": side file is truncated (no index footer)");
  uint64_t index_offset = 0;
  for (int i = 0; i < 8; ++i) index_offset |= static_cast<uint64_t>(tail[i]) << (8 * i);
  if (index_offset < 16 || index_offset > f->size_ - 16) throw InputError(path + ": side file index offset out of range");
  const auto idx = read_range(path, index_offset, f->size_ - 16 - index_offset);
  Reader r{idx, 0, path};
  const uint64_t count = r.get(4);
  if (count > kMaxEntries) throw InputError(path + ": side file claims too many entries");
  for (uint64_t i = 0; i < count; ++i) {
    SideEntry e;
    const uint64_t len = r.get(4);
    if (len > idx.size() - r.pos) throw InputError(path + ": side file index is truncated");
    e.name.assign(idx.begin() + static_cast<std::ptrdiff_t>(r.pos), idx.begin() + static_cast<std::ptrdiff_t>(r.pos + len));
    r.pos += len;
    e.rows = static_cast<int64_t>(r.get(8));
    e.cols = static_cast<int64_t>(r.get(8));
    e.mask_offset = r.get(8);
    e.value_kind = static_cast<uint8_t>(r.get(1));
    e.bits = static_cast<uint8_t>(r.get(1));
    e.flags = static_cast<uint8_t>(r.get(1));
    r.get(1);
    e.values_offset = r.get(8);
    const uint64_t ns = r.get(4);
    if (ns > static_cast<uint64_t>(e.rows) + 1 || ns * 8 > idx.size() - r.pos) throw InputError(path + ": side file index is truncated");
    for (uint64_t s = 0; s < ns; ++s) {
      const auto bitsv = static_cast<uint32_t>(r.get(4));
      float sc = 0;
      std::memcpy(&sc, &bitsv, 4);
      e.scales.push_back(sc);
      e.zero_points.push_back(static_cast<int32_t>(static_cast<uint32_t>(r.get(4))));
    }
    const bool sane = e.rows > 0 && e.cols > 0 && e.rows < (int64_t{1} << 32) && e.cols < (int64_t{1} << 32) &&
                      e.value_kind <= 2 && (e.value_kind == 0 || (e.bits >= 1 && e.bits <= 32));
    if (!sane) throw InputError(path + ": side file entry '" + e.name + "' is malformed");
    if (e.mask_offset + mask_bytes(e) > index_offset ||
        (e.value_kind && e.values_offset + static_cast<uint64_t>(e.rows * e.cols) * code_bytes(e) > index_offset))
      throw InputError(path + ": side file entry '" + e.name + "' points past the data (truncated?)");
    if (!f->by_name_.emplace(e.name, f->entries_.size()).second)
      throw InputError(path + ": side file has two entries named '" + e.name + "'");
    f->entries_.push_back(std::move(e));
  }
  return f;
}

const SideEntry* SideFile::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &entries_[it->second];
}

WeightMask SideFile::mask(const SideEntry& e) const {
  WeightMask m;
  m.rows = e.rows;
  m.cols = e.cols;
  const auto bits = read_range(path_, e.mask_offset, mask_bytes(e));
  m.keep = BitMask::from_packed(bits.data(), static_cast<size_t>(e.rows * e.cols));
  return m;
}

std::vector<uint8_t> SideFile::codes(const SideEntry& e) const {
  if (e.value_kind == 0) return {};
  return read_range(path_, e.values_offset, static_cast<uint64_t>(e.rows * e.cols) * code_bytes(e));
}

std::shared_ptr<const WeightMask> mask_from_side_file(const Layer& layer) {
  const Compression& c = layer.weights.compression;
  const std::string& path = c.mask_file;
  const std::shared_ptr<const SideFile> f = c.side_file ? c.side_file : SideFile::open(path);
  const SideEntry* e = f->find(layer.name);
  if (!e) throw InputError(layer.origin, "side file " + path + " has no mask for layer '" + layer.name + "'");
  int64_t rows = 0, cols = 0;
  weight_shape(layer, rows, cols);
  if (rows != e->rows || cols != e->cols)
    throw InputError(layer.origin, "side file " + path + ": mask of '" + layer.name + "' is " + std::to_string(e->rows) +
                                       "x" + std::to_string(e->cols) + ", the layer's weights are " +
                                       std::to_string(rows) + "x" + std::to_string(cols));
  return std::make_shared<WeightMask>(f->mask(*e));
}

}  // namespace accsim
