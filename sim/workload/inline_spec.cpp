#include <map>
#include <sstream>

#include "sim/core/parse_number.hpp"
#include "sim/workload/trace.hpp"

namespace accsim {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, sep);) out.push_back(part);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

double parse_fraction(const std::string& text, const SourceLocation& where, const std::string& what) {
  if (const auto v = parse_finite_double(text)) return *v;
  throw InputError(where, what + " must be a number, got '" + text + "'");
}

int parse_int(const std::string& text, const SourceLocation& where, const std::string& what) {
  return static_cast<int>(parse_int_in(text, INT32_MIN, kInt32Max, where, what));
}

int64_t parse_positive(const std::string& text, const SourceLocation& where, const std::string& key) {
  return parse_int_in(text, 1, kInt64Max, where, key);
}

}  // namespace

DType default_accumulator(const DType& operand) {
  DType acc;
  parse_dtype(operand.is_float() ? "fp32" : "int32", acc);
  return acc;
}

void validate_compression(const Compression& c, const SourceLocation& where) {
  // Pattern checks first: an impossible N:M (4:2) should be reported as such, not as its density.
  switch (c.pattern) {
    case SparsityPattern::NM:
      if (c.nm_n <= 0 || c.nm_m <= 0 || c.nm_n >= c.nm_m)
        throw InputError(where, "N:M sparsity needs 0 < N < M (got " + std::to_string(c.nm_n) + ":" +
                                    std::to_string(c.nm_m) + ")");
      break;
    case SparsityPattern::Block:
      if (c.block_rows <= 0 || c.block_cols <= 0) throw InputError(where, "block size must be positive");
      break;
    case SparsityPattern::BankBalanced:
      if (c.bank_size <= 0) throw InputError(where, "bank size must be positive");
      break;
    default:
      break;
  }
  if (!(c.density > 0.0 && c.density <= 1.0))
    throw InputError(where, "density must be in (0, 1] (sparsity in [0, 1))");
}

Compression parse_prune_spec(const std::string& text, const SourceLocation& where) {
  const auto parts = split(text, ':');
  Compression c;
  const std::string form = "expected nm:N:M, bank:BANK_SIZE:SPARSITY, unstructured:SPARSITY or block:RxC:SPARSITY";
  if (parts.empty()) throw InputError(where, "empty prune spec; " + form);
  const std::string& kind = parts[0];
  if (kind == "dense" && parts.size() == 1) {
    return c;
  } else if (kind == "nm" && parts.size() == 3) {
    c.pattern = SparsityPattern::NM;
    c.nm_n = parse_int(parts[1], where, "N");
    c.nm_m = parse_int(parts[2], where, "M");
    if (c.nm_m > 0) c.density = static_cast<double>(c.nm_n) / c.nm_m;
  } else if (kind == "bank" && parts.size() == 3) {
    c.pattern = SparsityPattern::BankBalanced;
    c.bank_size = parse_int(parts[1], where, "bank size");
    c.density = 1.0 - parse_fraction(parts[2], where, "sparsity");
  } else if (kind == "unstructured" && parts.size() == 2) {
    c.pattern = SparsityPattern::Unstructured;
    c.density = 1.0 - parse_fraction(parts[1], where, "sparsity");
  } else if (kind == "block" && parts.size() == 3) {
    c.pattern = SparsityPattern::Block;
    const auto dims = split(parts[1], 'x');
    if (dims.size() != 2) throw InputError(where, "block size must be RxC, got '" + parts[1] + "'");
    c.block_rows = parse_int(dims[0], where, "block rows");
    c.block_cols = parse_int(dims[1], where, "block cols");
    c.density = 1.0 - parse_fraction(parts[2], where, "sparsity");
  } else {
    throw InputError(where, "malformed prune spec '" + text + "'; " + form);
  }
  validate_compression(c, where);
  return c;
}

Workload parse_inline_workload(const std::string& spec) {
  const SourceLocation where{"--workload", 0, spec};
  const auto colon = spec.find(':');
  const std::string op = spec.substr(0, colon);
  if (op != "gemm" || colon == std::string::npos)
    throw InputError(where, "inline workloads have the form gemm:m=M,n=N,k=K[,batch=B][,dtype=T][,wbits=W,abits=A][,seed=S][,prune=P][,data=D]");
  std::map<std::string, std::string> kv;
  for (const auto& item : split(spec.substr(colon + 1), ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw InputError(where, "expected key=value, got '" + item + "'");
    const std::string key = item.substr(0, eq);
    if (kv.count(key)) throw InputError(where, "key '" + key + "' given twice");
    kv[key] = item.substr(eq + 1);
  }
  static const std::vector<std::string> known = {"m", "n", "k", "batch", "dtype", "wbits", "abits", "acc", "seed", "prune", "data"};
  for (const auto& [key, value] : kv) {
    bool ok = false;
    for (const auto& k : known) ok = ok || k == key;
    if (!ok) throw InputError(where, "unknown key '" + key + "' (known: m, n, k, batch, dtype, wbits, abits, acc, seed, prune, data)");
  }
  for (const char* required : {"m", "n", "k"})
    if (!kv.count(required)) throw InputError(where, std::string("missing ") + required + "=");

  Layer l;
  l.name = "gemm";
  l.op = OpKind::Gemm;
  l.origin = where;
  l.m = parse_positive(kv["m"], where, "m");
  l.n = parse_positive(kv["n"], where, "n");
  l.k = parse_positive(kv["k"], where, "k");
  if (kv.count("batch")) l.batch = parse_positive(kv["batch"], where, "batch");
  DType base = int_dtype(8);
  if (kv.count("dtype") && !parse_dtype(kv["dtype"], base))
    throw InputError(where, "unknown dtype '" + kv["dtype"] + "'");
  l.weights.dtype = l.activations.dtype = l.outputs.dtype = base;
  if (kv.count("wbits")) l.weights.dtype = int_dtype(static_cast<int>(parse_int_in(kv["wbits"], 1, kInt32Max, where, "wbits")));
  if (kv.count("abits")) l.activations.dtype = l.outputs.dtype = int_dtype(static_cast<int>(parse_int_in(kv["abits"], 1, kInt32Max, where, "abits")));
  for (const auto* t : {&l.weights.dtype, &l.activations.dtype})
    if (t->bits > 32) throw InputError(where, "bit widths above 32 are not supported");
  l.accumulators.dtype = default_accumulator(base);
  if (kv.count("acc") && !parse_dtype(kv["acc"], l.accumulators.dtype))
    throw InputError(where, "unknown accumulator dtype '" + kv["acc"] + "'");
  if (kv.count("data")) l.weights.values = l.activations.values = read_value_dist(kv["data"], where);
  if (kv.count("prune")) l.weights.compression = parse_prune_spec(kv["prune"], where);
  if (kv.count("seed")) {
    const auto seed = parse_uint64(kv["seed"]);
    if (!seed || *seed == 0) throw InputError(where, "seed must be a positive 64-bit integer, got '" + kv["seed"] + "'");
    l.weights.compression.seed = *seed;
  }
  return Workload{"gemm", spec, {l}};
}

}  // namespace accsim
