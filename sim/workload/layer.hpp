#pragma once
// The in-memory form of a workload trace (format v1, docs/trace-format.md).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/dtype.hpp"
#include "sim/core/error.hpp"
#include "sim/workload/value_dist.hpp"

namespace accsim {

enum class OpKind { Conv2d, Linear, Gemm, Matmul, Lstm, Gru };
std::string op_name(OpKind op);

enum class SparsityPattern { Dense, Unstructured, Block, BankBalanced, NM };
std::string pattern_name(SparsityPattern p);

// How a weight tensor was compressed. `density` is the fraction of nonzeros kept (1 - sparsity).
class SideFile;  // sim/workload/side_file.hpp

struct Compression {
  SparsityPattern pattern = SparsityPattern::Dense;
  double density = 1.0;
  int nm_n = 0, nm_m = 0;               // N:M: N nonzeros in every group of M
  int block_rows = 0, block_cols = 0;   // block pruning granularity
  int bank_size = 0;                    // bank-balanced: elements per bank
  std::string mask_file;                // optional: a mask/weights side file (resolved path)
  // The side file, opened and checked once per trace load by the trace reader (null: weight_mask()
  // opens mask_file itself). Carried by the layer, so no process-wide cache is needed.
  std::shared_ptr<const SideFile> side_file;
  uint64_t seed = 0;                    // synthetic masks are generated from this seed

  bool is_dense() const { return pattern == SparsityPattern::Dense; }
};

// Group-wise weight quantization (GPTQ/AWQ style): one scale (and optionally one zero point) per
// `size` consecutive weights along the reduction dimension. They travel with the weights, so they
// count in the bytes moved.
struct QuantGroup {
  int64_t size = 0;       // 0 = no groups (per-tensor or per-channel scales: negligible bytes)
  int scale_bits = 16;    // fp16 scales
  int zero_bits = 0;      // asymmetric: a zero point per group at the weight width; 0 = symmetric
};

struct TensorSpec {
  DType dtype;
  Compression compression;  // meaningful for weights
  QuantGroup group;         // meaningful for weights
  // Activations: measured fraction of values that are zero (data statistics, e.g. after ReLU).
  // Nothing is skipped for it; blocks that gate on zeros price fewer switching actions (eyeriss).
  double zero_fraction = 0.0;
  // What the values look like (weights, activations): sets how often datapath bits toggle, which
  // GPU power, and so a power-limited clock, depends on.
  ValueDist values;
};

struct Layer {
  std::string name;
  OpKind op = OpKind::Gemm;
  SourceLocation origin;  // where the layer was defined, for error messages
  int64_t repeat = 1;     // identical consecutive layers folded into one entry

  // conv2d: NCHW input, OIHW weights.
  int64_t batch = 1;
  int64_t in_channels = 0, in_h = 0, in_w = 0, out_channels = 0;
  int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0, dilation_h = 1, dilation_w = 1, groups = 1;

  // linear/gemm/matmul: output M x N, reduction K; weights are the N x K operand.
  int64_t m = 0, n = 0, k = 0;

  // lstm/gru: one cell step per time step, `steps` steps in sequence.
  int64_t input_size = 0, hidden_size = 0, steps = 1;

  TensorSpec weights, activations, outputs, accumulators;
  // Decoder KV cache (docs/trace-format.md "kv_cache"): on a matmul, its B operand is the cached K
  // or V read at this dtype (converted to the activation format before the MACs); on a linear
  // layer (k/v projection), its output is appended to the cache at this dtype.
  bool has_kv_cache = false;
  TensorSpec kv_cache;

  int64_t out_h() const { return (in_h + 2 * pad_h - dilation_h * (kernel_h - 1) - 1) / stride_h + 1; }
  int64_t out_w() const { return (in_w + 2 * pad_w - dilation_w * (kernel_w - 1) - 1) / stride_w + 1; }
};

// A layer lowered to matrix multiplication: `instances` independent GEMMs C[M x N] = A[M x K] * B[K x N],
// where B is the weight operand unless `b_is_activation` (batched activation x activation matmul).
// `sequential_steps` > 1 means that many dependent repetitions (RNN time steps).
struct GemmShape {
  int64_t m = 0, n = 0, k = 0;
  int64_t instances = 1;
  int64_t sequential_steps = 1;
  bool b_is_activation = false;

  int64_t macs() const { return m * n * k * instances * sequential_steps; }
};

GemmShape lower_to_gemm(const Layer& layer);
// Throws InputError at the layer's origin when its size is beyond what any model can simulate
// (more than 1e17 MACs per layer, or arithmetic that would overflow 64-bit counters).
void check_layer_size(const Layer& layer);
// Multiply-accumulates of one pass through the layer (one repeat).
int64_t layer_macs(const Layer& layer);
// Whether the layer has a weight operand (activation x activation matmuls have none). Needs no
// arithmetic on the layer's sizes, so it is safe before check_layer_size.
inline bool has_weights(const Layer& l) { return l.op != OpKind::Matmul; }
// Number of weight parameters of one repeat (0 for activation x activation ops).
int64_t layer_weight_count(const Layer& layer);
// Bytes per element of the B operand as stored in memory, before any sparse compression: the
// weight format, a matmul's activation (or KV-cache) format.
double b_operand_bytes(const Layer& layer);
// Bytes per weight element of group-wise quantization scales and zero points (0 without groups).
double group_scale_bytes(const Layer& layer);
// Bytes per element of the layer's output as written (the KV-cache format for a k/v projection).
double output_bytes(const Layer& layer);

struct Workload {
  std::string name;
  std::string source;  // file path or inline spec
  std::vector<Layer> layers;
};

}  // namespace accsim
