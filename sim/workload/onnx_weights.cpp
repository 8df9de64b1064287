// A minimal ONNX initializer reader: walks the protobuf wire format of ModelProto -> graph (7) ->
// initializer (5) TensorProto {dims 1, data_type 2, float_data 4, name 8, raw_data 9,
// double_data 10, data_location 14} (field numbers from onnx/onnx.proto). Only the graph's weight
// tensors are read; operators are not. Tensors stored as raw_data or packed float/double data lie
// contiguously in the file and are read in place; external data and varint-packed integer fields are
// rejected with a clear error. No protobuf library is needed.
#include <fstream>

#include "sim/core/error.hpp"
#include "sim/workload/weights_io.hpp"

namespace accsim {

namespace {

struct Wire {
  const std::vector<uint8_t>& b;
  size_t pos, end;
  const std::string& path;

  [[noreturn]] void bad(const std::string& what) const { throw InputError(path + ": malformed ONNX file (" + what + ")"); }
  bool done() const { return pos >= end; }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) bad("truncated varint");
      const uint8_t c = b[pos++];
      v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    bad("varint too long");
  }
  // Reads a field key: returns the wire type and sets `field`.
  int key(uint64_t& field) {
    const uint64_t k = varint();
    field = k >> 3;
    return static_cast<int>(k & 7);
  }
  // A length-delimited payload: its [start, stop) in the buffer.
  void span(size_t& start, size_t& stop) {
    const uint64_t len = varint();
    if (len > end - pos) bad("field runs past the end (truncated?)");
    start = pos;
    stop = pos + static_cast<size_t>(len);
    pos = stop;
  }
  void skip(int wire) {
    size_t a = 0, z = 0;
    switch (wire) {
      case 0: varint(); break;
      case 1: if (end - pos < 8) bad("truncated"); pos += 8; break;
      case 2: span(a, z); break;
      case 5: if (end - pos < 4) bad("truncated"); pos += 4; break;
      default: bad("unsupported wire type " + std::to_string(wire));
    }
  }
};

void read_tensor(const std::vector<uint8_t>& b, size_t start, size_t stop, const std::string& path,
                 std::map<std::string, StoredTensor>& out) {
  Wire w{b, start, stop, path};
  StoredTensor t;
  t.file = path;
  std::string name;
  int64_t type = 0;
  bool have_data = false, external = false;
  while (!w.done()) {
    uint64_t f = 0;
    const int wire = w.key(f);
    if (f == 1 && wire == 0) {
      t.shape.push_back(static_cast<int64_t>(w.varint()));
    } else if (f == 1 && wire == 2) {
      size_t a = 0, z = 0;
      w.span(a, z);
      Wire d{b, a, z, path};
      while (!d.done()) t.shape.push_back(static_cast<int64_t>(d.varint()));
    } else if (f == 2 && wire == 0) {
      type = static_cast<int64_t>(w.varint());
    } else if (f == 8 && wire == 2) {
      size_t a = 0, z = 0;
      w.span(a, z);
      name.assign(b.begin() + static_cast<std::ptrdiff_t>(a), b.begin() + static_cast<std::ptrdiff_t>(z));
    } else if ((f == 9 || f == 4 || f == 10) && wire == 2) {
      size_t a = 0, z = 0;
      w.span(a, z);
      t.offset = a;
      t.bytes = z - a;
      have_data = true;
      if (f == 4) type = 1;   // packed float_data
      if (f == 10) type = 11; // packed double_data
    } else if (f == 14 && wire == 0) {
      external = w.varint() == 1;
    } else if ((f == 5 || f == 7) && wire == 2) {
      w.skip(wire);
      t.dtype = "varint";
    } else {
      w.skip(wire);
    }
  }
  if (name.empty()) return;  // unnamed tensors cannot be matched to layers
  if (external) throw InputError(path + ": initializer '" + name + "' uses external data, which is not supported");
  static const std::map<int64_t, std::string> types = {{1, "f4"}, {2, "u1"}, {3, "i1"}, {5, "i2"}, {6, "i4"},
                                                       {7, "i8"}, {10, "f2"}, {11, "f8"}, {16, "bf16"}};
  if (!have_data) {
    // Integer initializers in int32_data/int64_data (varints) are shape constants, not weights.
    if (t.dtype == "varint") return;
    throw InputError(path + ": initializer '" + name + "' has no data");
  }
  auto it = types.find(type);
  if (it == types.end()) throw InputError(path + ": initializer '" + name + "' has unsupported data_type " + std::to_string(type));
  t.dtype = it->second;
  uint64_t n = 1;
  for (int64_t d : t.shape) n *= static_cast<uint64_t>(std::max<int64_t>(d, 0));
  const uint64_t es = t.dtype == "f8" || t.dtype == "i8" ? 8 : t.dtype == "f4" || t.dtype == "i4" ? 4 : t.dtype == "f2" || t.dtype == "bf16" || t.dtype == "i2" ? 2 : 1;
  if (n * es != t.bytes) throw InputError(path + ": initializer '" + name + "' data size does not match its dims");
  out[name] = t;
}

}  // namespace

void read_onnx_initializers(const std::string& path, std::map<std::string, StoredTensor>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open ONNX file");
  const std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), {});
  Wire model{b, 0, b.size(), path};
  bool graph = false;
  while (!model.done()) {
    uint64_t f = 0;
    const int wire = model.key(f);
    if (f == 7 && wire == 2) {
      graph = true;
      size_t a = 0, z = 0;
      model.span(a, z);
      Wire g{b, a, z, path};
      while (!g.done()) {
        uint64_t gf = 0;
        const int gw = g.key(gf);
        if (gf == 5 && gw == 2) {
          size_t ta = 0, tz = 0;
          g.span(ta, tz);
          read_tensor(b, ta, tz, path, out);
        } else {
          g.skip(gw);
        }
      }
    } else {
      model.skip(wire);
    }
  }
  if (!graph) throw InputError(path + ": not an ONNX model (no graph)");
}

}  // namespace accsim
