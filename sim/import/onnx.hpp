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

// `batch` replaces symbolic (named) input dimensions. InputError for an unsupported operator,
// a shape that cannot be inferred, or a malformed file.
OnnxImport import_onnx(const std::string& path, int64_t batch);

}  // namespace accsim
