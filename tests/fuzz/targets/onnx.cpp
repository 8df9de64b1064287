// ONNX models: the protobuf reader, graph lowering and the initializers.
#include "sim/import/onnx.hpp"
#include "tests/fuzz/fuzz_common.hpp"

ACCSIM_FUZZ_TARGET({ (void)accsim::import_onnx(accsim::fuzz::input_file(data, size, "fuzz.onnx"), 1); })
