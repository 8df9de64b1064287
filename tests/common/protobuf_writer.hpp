#pragma once
// Protobuf wire format written by hand, for tests that build ONNX files byte by byte
// (field numbers from onnx.proto): varints, keys, length-delimited and varint fields.
#include <cstdint>
#include <string>

namespace accsim::pbwire {

inline std::string varint(uint64_t v) {
  std::string s;
  do {
    s += static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v);
  return s;
}
inline std::string key(int field, int wire) {
  return varint(static_cast<uint64_t>(field) << 3 | static_cast<uint64_t>(wire));
}
// A length-delimited field (wire type 2): strings, bytes, nested messages.
inline std::string bytes(int field, const std::string& payload) { return key(field, 2) + varint(payload.size()) + payload; }
// A varint field (wire type 0).
inline std::string num(int field, uint64_t v) { return key(field, 0) + varint(v); }

}  // namespace accsim::pbwire
