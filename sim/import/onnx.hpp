#pragma once
// ONNX models without a protobuf library: a minimal reader of the protobuf wire format for
// ModelProto (field numbers from onnx/onnx.proto). It reads graph initializers (weights) and, for
// `accsim trace --onnx`, imports the operator graph: shapes are propagated from the graph inputs
// through the common CNN/transformer operators, and Conv / Gemm / MatMul become trace layers.
#include <string>

#include "sim/import/weights_io.hpp"
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

struct OnnxImport {
  ZooNetwork network;   // layers in graph order; weights shared by several nodes are marked
  WeightStore weights;  // the initializers, matrices of y = x W marked transposed
};

// Values for the graph inputs' symbolic dimensions, by their names: a name holding "batch" (or "N",
// or any unnamed/other symbolic first dimension) takes `batch`; "seq"/"len"/"token"/"time" take
// `seq_len`; "height"/"width"/"H"/"W" take `image`. 0 = not given: a dimension needing it is an
// error, and so is a given option that no dimension takes.
struct OnnxDims {
  int64_t batch = 1;
  bool batch_given = false;
  int64_t seq_len = 0, image = 0;
};

// InputError for an unsupported operator, a shape that cannot be inferred, or a malformed file.
OnnxImport import_onnx(const std::string& path, const OnnxDims& dims);
inline OnnxImport import_onnx(const std::string& path, int64_t batch) { return import_onnx(path, OnnxDims{batch, true, 0, 0}); }

}  // namespace accsim
