#pragma once
// Reading the protobuf wire format by hand (varints, keys, length-delimited fields), for ONNX
// files without a protobuf library. Every read is bounds-checked; a short or malformed buffer is
// an InputError naming the file and byte offset.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/error.hpp"

namespace accsim {

struct Wire {
  const std::vector<uint8_t>& b;
  size_t pos, end;
  const std::string& path;

  [[noreturn]] void bad(const std::string& what) const { throw InputError(path + ": malformed ONNX file (" + what + " at byte " + std::to_string(pos) + ")"); }
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
  // A field key: returns the wire type and sets `field`.
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
  std::string str() {
    size_t a = 0, z = 0;
    span(a, z);
    return std::string(b.begin() + static_cast<std::ptrdiff_t>(a), b.begin() + static_cast<std::ptrdiff_t>(z));
  }
  Wire sub() {
    size_t a = 0, z = 0;
    span(a, z);
    return Wire{b, a, z, path};
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
  // A repeated int64 field, packed (wire 2) or not (wire 0).
  void ints(int wire, std::vector<int64_t>& out) {
    if (wire == 0) {
      out.push_back(static_cast<int64_t>(varint()));
    } else if (wire == 2) {
      Wire p = sub();
      while (!p.done()) out.push_back(static_cast<int64_t>(p.varint()));
    } else {
      bad("bad encoding of an integer list");
    }
  }
};


}  // namespace accsim
