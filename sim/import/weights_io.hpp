#pragma once
// Real weights for `accsim trace --weights FILE`: NumPy .npy / .npz (uncompressed, as np.savez
// writes), safetensors and ONNX initializers. Tensors are matched to layers by name: "<layer>.weight" or "<layer>".
// Malformed or truncated files are InputError (exit 2), never a crash or a silent fallback.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace accsim {

struct StoredTensor {
  std::string dtype;            // numpy descr kind+size, e.g. f4, f2, f8, i1, u1, bf16
  std::vector<int64_t> shape;
  uint64_t offset = 0, bytes = 0;  // where the raw little-endian data lies in `file`
  std::string file;
  bool fortran_order = false;
  bool transposed = false;      // a 2-D [K, N] matrix feeding y = x W: read as its N x K transpose
  std::vector<int64_t> ints;    // small integer tensors (ONNX shape constants), decoded
  // A recurrent layer's weight operand made of two stored tensors (ONNX LSTM/GRU/RNN W and R,
  // [directions, gates x hidden, in]): row g*hidden + r is W[direction][gate_order[g]*hidden + r]
  // followed by R[direction][same row], the [x_t, h_(t-1)] GEMM in PyTorch's gate order. Set when
  // `parts` holds {W, R}; `shape` is then [gates x hidden, in + hidden].
  std::vector<StoredTensor> parts;
  int64_t direction = 0, hidden = 0;
  std::vector<int> gate_order;
};

class WeightStore {
 public:
  // Reads the file's directory (not the data). Format by extension: .npy, .npz, .safetensors.
  static WeightStore open(const std::string& path);
  static WeightStore from(const std::string& path, std::map<std::string, StoredTensor> tensors);
  bool empty() const { return tensors_.empty(); }
  const std::map<std::string, StoredTensor>& tensors() const { return tensors_; }
  // The tensor for layer `name`, checked to hold rows*cols elements, as float row-major; nullopt
  // when the store has no such tensor.
  std::optional<std::vector<float>> get(const std::string& name, int64_t rows, int64_t cols) const;
  const std::string& path() const { return path_; }
  // Whether get() would find a tensor for layer `name` (without reading it).
  bool has(const std::string& name) const { return tensors_.count(name + ".weight") || tensors_.count(name); }

 private:
  std::string path_;
  std::map<std::string, StoredTensor> tensors_;
};

// Reads the initializers of an ONNX model (onnx_weights.cpp) into `out`, by name.
void read_onnx_initializers(const std::string& path, std::map<std::string, StoredTensor>& out);

// Parses one .npy header at `offset` of `file` (`size` bytes available); exposed for tests.
StoredTensor parse_npy(const std::string& file, uint64_t offset, uint64_t size);

}  // namespace accsim
