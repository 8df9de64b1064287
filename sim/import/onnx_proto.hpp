#pragma once
// ONNX TensorProto and ModelProto reading shared by the initializer reader and the graph importer
// (field numbers from onnx/onnx.proto).
#include <string>
#include <vector>

#include "sim/import/protobuf_wire.hpp"
#include "sim/import/weights_io.hpp"

namespace accsim {

// Parses a TensorProto; returns its name ("" when unnamed). Integer tensors of up to 64 elements
// also get their values decoded (shape constants).
std::string read_onnx_tensor(Wire w, StoredTensor& t);
std::vector<uint8_t> read_whole_file(const std::string& path);

// Calls `f(graph wire)` for the model's graph (ModelProto field 7).
template <class F>
void with_graph(const std::vector<uint8_t>& b, const std::string& path, F f) {
  Wire model{b, 0, b.size(), path};
  bool graph = false;
  while (!model.done()) {
    uint64_t fnum = 0;
    const int wire = model.key(fnum);
    if (fnum == 7 && wire == 2) {
      graph = true;
      f(model.sub());
    } else {
      model.skip(wire);
    }
  }
  if (!graph) throw InputError(path + ": not an ONNX model (no graph)");
}


}  // namespace accsim
