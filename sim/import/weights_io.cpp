#include "sim/core/parse_number.hpp"
#include "sim/import/weights_io.hpp"
#include "sim/core/input_file.hpp"

#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "sim/core/error.hpp"

namespace accsim {

namespace {

std::vector<uint8_t> read_bytes(const std::string& path, uint64_t offset, uint64_t n) {
  std::ifstream in = open_input_file(path, "weights file", std::ios::binary);
  std::vector<uint8_t> b(n);
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(n));
  if (static_cast<uint64_t>(in.gcount()) != n) throw InputError(path + ": file is truncated");
  return b;
}

uint64_t le(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

size_t elem_size(const std::string& dtype, const std::string& where) {
  static const std::map<std::string, size_t> sizes = {{"f2", 2}, {"f4", 4}, {"f8", 8}, {"bf16", 2}, {"i1", 1},
                                                      {"u1", 1}, {"i2", 2}, {"i4", 4}, {"i8", 8}};
  auto it = sizes.find(dtype);
  if (it == sizes.end()) throw InputError(where + ": unsupported element type '" + dtype + "' (float16/32/64, bfloat16, int8/16/32/64, uint8)");
  return it->second;
}

double half_to_double(uint16_t h) {
  const int e = (h >> 10) & 0x1f, m = h & 0x3ff;
  double v = e == 0 ? std::ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : std::ldexp(m | 0x400, e - 25);
  return (h & 0x8000) ? -v : v;
}

// Elements [first, first + n) of a stored tensor as floats; non-finite values are InputError.
std::vector<float> decode_elements(const StoredTensor& t, uint64_t first, uint64_t n, const std::string& where) {
  const size_t es = elem_size(t.dtype, where);
  const auto raw = read_bytes(t.file, t.offset + first * es, n * es);
  std::vector<float> out(n);
  for (uint64_t i = 0; i < n; ++i) {
    const uint8_t* p = &raw[i * es];
    double v = 0;
    if (t.dtype == "f4") { uint32_t b = static_cast<uint32_t>(le(p, 4)); float f; std::memcpy(&f, &b, 4); v = f; }
    else if (t.dtype == "f8") { uint64_t b = le(p, 8); std::memcpy(&v, &b, 8); }
    else if (t.dtype == "f2") v = half_to_double(static_cast<uint16_t>(le(p, 2)));
    else if (t.dtype == "bf16") { uint32_t b = static_cast<uint32_t>(le(p, 2)) << 16; float f; std::memcpy(&f, &b, 4); v = f; }
    else if (t.dtype == "u1") v = p[0];
    else v = static_cast<double>(static_cast<int64_t>(le(p, static_cast<int>(es)) << (64 - 8 * es)) >> (64 - 8 * es));
    if (!std::isfinite(v)) throw InputError(where + " holds a non-finite value");
    out[i] = static_cast<float>(v);
  }
  return out;
}

// The [x_t, h_(t-1)] weight operand of one direction of an ONNX recurrent node (StoredTensor::parts).
std::vector<float> recurrent_operand(const StoredTensor& t, const std::string& where) {
  const StoredTensor &w = t.parts.at(0), &r = t.parts.at(1);
  const auto gates = static_cast<uint64_t>(t.gate_order.size()), hidden = static_cast<uint64_t>(t.hidden);
  const auto in = static_cast<uint64_t>(w.shape.at(2)), rows = gates * hidden;
  const auto wd = decode_elements(w, static_cast<uint64_t>(t.direction) * rows * in, rows * in, where + " (W)");
  const auto rd = decode_elements(r, static_cast<uint64_t>(t.direction) * rows * hidden, rows * hidden, where + " (R)");
  std::vector<float> out;
  out.reserve(rows * (in + hidden));
  for (uint64_t g = 0; g < gates; ++g)
    for (uint64_t h = 0; h < hidden; ++h) {
      const uint64_t src = static_cast<uint64_t>(t.gate_order[g]) * hidden + h;
      out.insert(out.end(), wd.begin() + static_cast<std::ptrdiff_t>(src * in), wd.begin() + static_cast<std::ptrdiff_t>((src + 1) * in));
      out.insert(out.end(), rd.begin() + static_cast<std::ptrdiff_t>(src * hidden), rd.begin() + static_cast<std::ptrdiff_t>((src + 1) * hidden));
    }
  return out;
}

void check_size(const StoredTensor& t, const std::string& where, uint64_t file_size) {
  uint64_t n = 1;
  for (int64_t d : t.shape) {
    if (d < 0 || (d > 0 && n > (uint64_t{1} << 40) / static_cast<uint64_t>(d))) throw InputError(where + ": tensor shape is out of range");
    n *= static_cast<uint64_t>(d);
  }
  if (t.bytes != n * elem_size(t.dtype, where)) throw InputError(where + ": data size does not match shape and dtype");
  if (t.offset + t.bytes > file_size || t.offset + t.bytes < t.offset) throw InputError(where + ": file is truncated (tensor data runs past its end)");
}

}  // namespace

// Index of the value after `key` and its ':' in a .npy header dict, or npos.
static size_t npy_value_at(const std::string& h, const char* key) {
  size_t i = h.find(key);
  if (i == std::string::npos) return i;
  i += std::strlen(key);
  auto skip = [&] { while (i < h.size() && std::isspace(static_cast<unsigned char>(h[i]))) ++i; };
  skip();
  if (i >= h.size() || h[i] != ':') return std::string::npos;
  ++i;
  skip();
  return i < h.size() ? i : std::string::npos;
}

StoredTensor parse_npy(const std::string& file, uint64_t offset, uint64_t size) {
  const std::string where = file;
  if (size < 10) throw InputError(where + ": not a .npy file (too short)");
  const auto head = read_bytes(file, offset, 10);
  if (std::memcmp(head.data(), "\x93NUMPY", 6) != 0) throw InputError(where + ": not a .npy file (bad magic)");
  const int major = head[6];
  if (major < 1 || major > 3) throw InputError(where + ": unsupported .npy version " + std::to_string(major));
  const int len_bytes = major == 1 ? 2 : 4;
  const auto lenb = read_bytes(file, offset + 8, static_cast<uint64_t>(len_bytes));
  const uint64_t hlen = le(lenb.data(), len_bytes), hstart = 8 + static_cast<uint64_t>(len_bytes);
  if (hstart + hlen > size) throw InputError(where + ": .npy header is truncated");
  // numpy writes headers of a few hundred bytes (and itself refuses past 10000 by default).
  if (hlen > 65536) throw InputError(where + ": .npy header is longer than 64 KiB");
  const auto hb = read_bytes(file, offset + hstart, hlen);
  const std::string h(hb.begin(), hb.end());
  // The header is a Python dict literal; its three keys have fixed forms. Scanned by hand, in one
  // pass per key: std::regex recursed per character and overflowed the stack on ~40k-char headers.
  StoredTensor t;
  t.file = file;
  const size_t descr = npy_value_at(h, "'descr'");
  if (descr == std::string::npos || descr + 3 > h.size() || h[descr] != '\'' ||
      std::string("<>|=").find(h[descr + 1]) == std::string::npos || !std::isalpha(static_cast<unsigned char>(h[descr + 2])))
    throw InputError(where + ": .npy header has no readable 'descr'");
  size_t e = descr + 3;
  while (e < h.size() && e < descr + 6 && std::isdigit(static_cast<unsigned char>(h[e]))) ++e;
  if (e == descr + 3 || e >= h.size() || h[e] != '\'') throw InputError(where + ": .npy header has no readable 'descr'");
  const std::string width = h.substr(descr + 3, e - descr - 3);
  if (h[descr + 1] == '>' && width != "1") throw InputError(where + ": big-endian arrays are not supported");
  t.dtype = std::string(1, h[descr + 2]) + width;
  const size_t fo = npy_value_at(h, "'fortran_order'");
  if (fo != std::string::npos && h.compare(fo, 4, "True") == 0) t.fortran_order = true;
  else if (fo == std::string::npos || h.compare(fo, 5, "False") != 0)
    throw InputError(where + ": .npy header has no 'fortran_order'");
  const size_t sh = npy_value_at(h, "'shape'");
  const size_t close = sh == std::string::npos ? sh : h.find(')', sh);
  if (sh == std::string::npos || h[sh] != '(' || close == std::string::npos)
    throw InputError(where + ": .npy header has no 'shape'");
  for (size_t i = sh + 1; i < close;) {
    if (!std::isdigit(static_cast<unsigned char>(h[i]))) { ++i; continue; }
    size_t j = i;
    while (j < close && std::isdigit(static_cast<unsigned char>(h[j]))) ++j;
    const auto d = parse_int64(std::string_view(h).substr(i, j - i));
    if (!d || *d > (int64_t{1} << 40)) throw InputError(where + ": .npy shape dimension '" + h.substr(i, std::min<size_t>(j - i, 30)) + "' is out of range");
    t.shape.push_back(*d);
    i = j;
  }
  t.offset = offset + hstart + hlen;
  uint64_t n = 1;
  for (int64_t d : t.shape)  // each dim <= 2^40; a product past 2^40 elements is refused here
    if (d != 0 && n > (uint64_t{1} << 40) / static_cast<uint64_t>(d)) throw InputError(where + ": tensor shape is out of range");
    else n *= static_cast<uint64_t>(d);
  t.bytes = n * elem_size(t.dtype, where);
  check_size(t, where, offset + size);
  return t;
}

static void read_safetensors(const std::string& path, uint64_t size, std::map<std::string, StoredTensor>& out) {
    if (size < 8) throw InputError(path + ": not a safetensors file (too short)");
    const uint64_t hlen = le(read_bytes(path, 0, 8).data(), 8);
    if (hlen > size - 8 || hlen > (uint64_t{100} << 20)) throw InputError(path + ": safetensors header length out of range (truncated?)");
    const auto hb = read_bytes(path, 8, hlen);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(hb.begin(), hb.end());
    } catch (const std::exception& ex) {
      throw InputError(path + ": safetensors header is not valid JSON");
    }
    if (!j.is_object()) throw InputError(path + ": safetensors header is not a JSON object");
    static const std::map<std::string, std::string> types = {{"F16", "f2"}, {"F32", "f4"}, {"F64", "f8"}, {"BF16", "bf16"},
                                                             {"I8", "i1"},  {"U8", "u1"},  {"I16", "i2"}, {"I32", "i4"}, {"I64", "i8"}};
    for (const auto& [name, v] : j.items()) {
      if (name == "__metadata__") continue;
      const std::string where = path + ": tensor '" + name + "'";
      try {
        StoredTensor t;
        t.file = path;
        const std::string dt = v.at("dtype").get<std::string>();
        if (!types.count(dt)) throw InputError(where + ": unsupported dtype " + dt);
        t.dtype = types.at(dt);
        // Checked JSON integers: a float such as 1e20 or a negative offset is an error, not a
        // float-to-int cast out of range or a wrapped unsigned value.
        const auto& entry = v;  // clang 14 cannot capture a structured binding in a lambda
        auto ints = [&](const char* key) {
          std::vector<uint64_t> vals;
          for (const auto& x : entry.at(key)) {
            if (!x.is_number_unsigned() || x.get<uint64_t>() > (uint64_t{1} << 62))
              throw InputError(where + ": " + key + " must hold non-negative integers below 2^62");
            vals.push_back(x.get<uint64_t>());
          }
          return vals;
        };
        for (uint64_t d : ints("shape")) t.shape.push_back(static_cast<int64_t>(d));
        const auto off = ints("data_offsets");
        if (off.size() != 2 || off[1] < off[0]) throw InputError(where + ": bad data_offsets");
        t.offset = 8 + hlen + off[0];
        t.bytes = off[1] - off[0];
        check_size(t, where, size);
        out[name] = t;
      } catch (const nlohmann::json::exception&) {
        throw InputError(where + ": needs dtype, shape and data_offsets");
      }
    }
}

// A sharded checkpoint: model.safetensors.index.json maps each tensor to its shard file.
static void read_safetensors_index(const std::string& path, std::map<std::string, StoredTensor>& out) {
  std::ifstream in = open_input_file(path, "safetensors index");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception&) {
    throw InputError(path + ": not valid JSON (expected a model.safetensors.index.json)");
  }
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
    throw InputError(path + ": no \"weight_map\" object (expected a model.safetensors.index.json)");
  std::map<std::string, std::vector<std::string>> by_shard;
  for (const auto& [name, file] : j["weight_map"].items()) {
    if (!file.is_string()) throw InputError(path + ": weight_map['" + name + "'] is not a file name");
    const std::string f = file.get<std::string>();
    // Shards lie beside the index: a path that leaves the folder is refused.
    if (f.empty() || f.find('/') != std::string::npos || f.find('\\') != std::string::npos || f == "..")
      throw InputError(path + ": weight_map['" + name + "'] names '" + f + "', not a file beside the index");
    by_shard[f].push_back(name);
  }
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  for (const auto& [file, names] : by_shard) {
    const std::string shard = (dir / file).string();
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(shard, ec);
    if (ec) throw InputError(path + ": shard " + file + " (named by weight_map) cannot be opened");
    std::map<std::string, StoredTensor> tensors;
    read_safetensors(shard, size, tensors);
    for (const auto& n : names) {
      auto it = tensors.find(n);
      if (it == tensors.end()) throw InputError(path + ": weight_map puts '" + n + "' in " + file + ", which does not hold it");
      out[n] = it->second;
    }
  }
}

WeightStore WeightStore::open(const std::string& path) {
  WeightStore s;
  s.path_ = path;
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path + ": cannot open weights file");
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".npy") {
    s.tensors_[std::filesystem::path(path).stem().string()] = parse_npy(path, 0, size);
  } else if (ext == ".npz") {
    // A zip archive: walk the central directory; np.savez stores members uncompressed.
    if (size < 22) throw InputError(path + ": not a .npz (zip) file (too short)");
    const uint64_t tail_len = std::min<uint64_t>(size, 65557);
    const auto tail = read_bytes(path, size - tail_len, tail_len);
    int64_t eocd = -1;
    for (int64_t i = static_cast<int64_t>(tail_len) - 22; i >= 0; --i)
      if (le(&tail[static_cast<size_t>(i)], 4) == 0x06054b50) { eocd = i; break; }
    if (eocd < 0) throw InputError(path + ": not a .npz (zip) file or truncated (no end-of-directory record)");
    const uint8_t* e = &tail[static_cast<size_t>(eocd)];
    const uint64_t count = le(e + 10, 2), cd_size = le(e + 12, 4), cd_off = le(e + 16, 4);
    if (cd_off == 0xffffffffu || count == 0xffffu) throw InputError(path + ": zip64 archives are not supported");
    if (cd_off + cd_size > size) throw InputError(path + ": zip central directory runs past the end (truncated)");
    const auto cd = read_bytes(path, cd_off, cd_size);
    size_t p = 0;
    for (uint64_t i = 0; i < count; ++i) {
      if (p + 46 > cd.size() || le(&cd[p], 4) != 0x02014b50) throw InputError(path + ": malformed zip central directory");
      const uint64_t method = le(&cd[p + 10], 2), csize = le(&cd[p + 20], 4), usize = le(&cd[p + 24], 4);
      const uint64_t nlen = le(&cd[p + 28], 2), xlen = le(&cd[p + 30], 2), clen = le(&cd[p + 32], 2);
      const uint64_t local = le(&cd[p + 42], 4);
      if (p + 46 + nlen > cd.size()) throw InputError(path + ": malformed zip central directory");
      std::string name(cd.begin() + static_cast<std::ptrdiff_t>(p + 46), cd.begin() + static_cast<std::ptrdiff_t>(p + 46 + nlen));
      p += 46 + nlen + xlen + clen;
      if (method != 0)
        throw InputError(path + ": member '" + name + "' is compressed; save with np.savez, not np.savez_compressed");
      if (csize == 0xffffffffu || local == 0xffffffffu) throw InputError(path + ": zip64 archives are not supported");
      if (local + 30 > size) throw InputError(path + ": zip member '" + name + "' lies past the end (truncated)");
      const auto lh = read_bytes(path, local, 30);
      if (le(lh.data(), 4) != 0x04034b50) throw InputError(path + ": malformed zip member '" + name + "'");
      const uint64_t data = local + 30 + le(&lh[26], 2) + le(&lh[28], 2);
      if (data + usize > size) throw InputError(path + ": zip member '" + name + "' is truncated");
      if (name.size() > 4 && name.substr(name.size() - 4) == ".npy") name.resize(name.size() - 4);
      s.tensors_[name] = parse_npy(path, data, usize);
    }
  } else if (ext == ".safetensors") {
    read_safetensors(path, size, s.tensors_);
  } else if (ext == ".json") {
    read_safetensors_index(path, s.tensors_);
  } else if (ext == ".onnx") {
    read_onnx_initializers(path, s.tensors_);
  } else {
    throw InputError(path + ": unknown weights format (expected .npy, .npz, .safetensors, model.safetensors.index.json or .onnx)");
  }
  return s;
}

WeightStore WeightStore::from(const std::string& path, std::map<std::string, StoredTensor> tensors) {
  WeightStore s;
  s.path_ = path;
  s.tensors_ = std::move(tensors);
  return s;
}

std::optional<std::vector<float>> WeightStore::get(const std::string& name, int64_t rows, int64_t cols) const {
  auto it = tensors_.find(name + ".weight");
  if (it == tensors_.end()) it = tensors_.find(name);
  if (it == tensors_.end()) return std::nullopt;
  const StoredTensor& t = it->second;
  const std::string where = t.file + ": tensor '" + it->first + "'";
  uint64_t n = 1;
  std::string shape;
  for (int64_t d : t.shape) {
    n *= static_cast<uint64_t>(d);
    if (!shape.empty()) shape += 'x';
    shape += std::to_string(d);
  }
  if (n != static_cast<uint64_t>(rows * cols))
    throw InputError(where + " has shape " + shape + " (" + std::to_string(n) + " elements); layer '" + name + "' needs " +
                     std::to_string(rows) + "x" + std::to_string(cols));
  if (t.fortran_order && t.shape.size() > 1) throw InputError(where + ": Fortran-ordered arrays are not supported (save C order)");
  if (!t.parts.empty()) return recurrent_operand(t, where);
  std::vector<float> out = decode_elements(t, 0, n, where);
  if (t.transposed && t.shape.size() == 2) {
    const auto k = static_cast<size_t>(t.shape[0]), n = static_cast<size_t>(t.shape[1]);
    std::vector<float> tr(out.size());
    for (size_t a = 0; a < k; ++a)
      for (size_t b = 0; b < n; ++b) tr[b * k + a] = out[a * n + b];
    return tr;
  }
  return out;
}

}  // namespace accsim
