// ONNX TensorProto: dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8,
// raw_data 9, double_data 10, external_data 13, data_location 14. Weights stored as raw_data or
// packed float/double data lie contiguously in the file and are read in place; external data
// (data_location = EXTERNAL, onnx.save_model(save_as_external_data=True)) is read in place from
// its file beside the model (onnx_external.cpp).
#include <fstream>
#include <map>

#include "sim/import/onnx_external.hpp"

#include "sim/import/onnx_proto.hpp"

namespace accsim {

namespace {

size_t elem_bytes(const std::string& d) {
  return d == "f8" || d == "i8" ? 8 : d == "f4" || d == "i4" ? 4 : d == "f2" || d == "bf16" || d == "i2" ? 2 : 1;
}

}  // namespace

std::string read_onnx_tensor(Wire w, StoredTensor& t) {
  t.file = w.path;
  std::string name;
  int64_t type = 0;
  bool have_data = false, external = false;
  std::vector<int64_t> varint_data;
  std::vector<std::pair<std::string, std::string>> external_keys;
  while (!w.done()) {
    uint64_t f = 0;
    const int wire = w.key(f);
    if (f == 1) {
      w.ints(wire, t.shape);
    } else if (f == 2 && wire == 0) {
      type = static_cast<int64_t>(w.varint());
    } else if (f == 8 && wire == 2) {
      name = w.str();
    } else if ((f == 9 || f == 4 || f == 10) && wire == 2) {
      size_t a = 0, z = 0;
      w.span(a, z);
      t.offset = a;
      t.bytes = z - a;
      have_data = true;
    } else if ((f == 5 || f == 7) && (wire == 0 || wire == 2)) {
      w.ints(wire, varint_data);
    } else if (f == 13 && wire == 2) {
      Wire e = w.sub();  // StringStringEntryProto: key 1, value 2
      std::string k, v;
      while (!e.done()) {
        uint64_t ef = 0;
        const int ew = e.key(ef);
        if (ef == 1 && ew == 2) k = e.str();
        else if (ef == 2 && ew == 2) v = e.str();
        else e.skip(ew);
      }
      external_keys.emplace_back(k, v);
    } else if (f == 14 && wire == 0) {
      const uint64_t loc = w.varint();
      if (loc > 1) throw InputError(w.path + ": tensor '" + name + "' has unknown data_location " + std::to_string(loc));
      external = loc == 1;
    } else {
      w.skip(wire);
    }
  }
  static const std::map<int64_t, std::string> types = {{1, "f4"}, {2, "u1"}, {3, "i1"}, {5, "i2"}, {6, "i4"},
                                                       {7, "i8"}, {10, "f2"}, {11, "f8"}, {16, "bf16"}};
  const std::string who = w.path + ": tensor '" + name + "'";
  if (!external && !external_keys.empty()) throw InputError(who + " has external_data keys but data_location is not EXTERNAL");
  auto it = types.find(type);
  if (it == types.end()) throw InputError(who + " has unsupported data_type " + std::to_string(type));
  t.dtype = it->second;
  uint64_t n = 1;
  for (int64_t d : t.shape) {
    if (d < 0 || d > (int64_t{1} << 40) || (d > 0 && n > (uint64_t{1} << 40) / static_cast<uint64_t>(d)))
      throw InputError(who + " has a bad dimension");
    n *= static_cast<uint64_t>(d);
  }
  std::vector<uint8_t> small;  // an external integer constant's bytes, decoded below
  if (external) {
    if (have_data || !varint_data.empty()) throw InputError(who + " has both in-file data and data_location EXTERNAL");
    const ExternalData x = resolve_external_data(w.path, who, external_keys, n * elem_bytes(t.dtype));
    t.file = x.file;
    t.offset = x.offset;
    t.bytes = x.length;
    have_data = true;
    if ((type == 6 || type == 7) && n <= 64) small = read_external_bytes(x, who);
  }
  if (have_data && n * elem_bytes(t.dtype) != t.bytes) throw InputError(who + ": data size does not match its dims");
  if (!have_data && varint_data.size() != n && n > 0) throw InputError(who + ": data size does not match its dims");
  if (type == 6 || type == 7) {
    if (!have_data) t.ints = varint_data;
    else if (n <= 64)
      for (uint64_t i = 0; i < n; ++i) {
        int64_t v = 0;
        const size_t es = elem_bytes(t.dtype);
        for (size_t k = 0; k < es; ++k)
          v |= static_cast<int64_t>(external ? small[i * es + k] : w.b[t.offset + i * es + k]) << (8 * k);
        if (es == 4) v = static_cast<int32_t>(v);
        t.ints.push_back(v);
      }
  }
  if (!have_data) t.bytes = 0;  // integer constants in varint form: not readable as weights
  return name;
}

std::vector<uint8_t> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open ONNX file");
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

// Calls `f(graph wire)` for the model's graph.

}  // namespace accsim
