#pragma once
// ONNX external data (TensorProto.data_location = EXTERNAL): a tensor's bytes lie in a file beside
// the model, named by the external_data keys "location" (a path relative to the model's folder),
// "offset" and "length" (decimal byte counts) and "checksum" (a SHA-1 digest, accepted unchecked).
// Locations are confined to the model's folder: absolute paths, ".." components and symbolic
// links that lead out are refused, and offset + length must lie inside the file.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace accsim {

struct ExternalData {
  std::string file;  // the model's folder / location
  uint64_t offset = 0, length = 0;
};

// Checks the keys and the file; `expected` is the byte count the tensor's dims and type need (the
// length when the key is absent). InputError (exit 2) starting with `who` on any problem.
ExternalData resolve_external_data(const std::string& model_path, const std::string& who,
                                   const std::vector<std::pair<std::string, std::string>>& keys, uint64_t expected);
std::vector<uint8_t> read_external_bytes(const ExternalData& x, const std::string& who);

}  // namespace accsim
