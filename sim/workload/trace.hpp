#pragma once
// Reading workloads: trace files (format v1), inline one-op specs, and SCALE-Sim topology CSVs.
#include <string>

#include "sim/workload/layer.hpp"

namespace accsim {

// Picks the reader by the argument's form: "gemm:..." inline, *.csv SCALE-Sim topology, else a trace.
Workload load_workload(const std::string& spec);

Workload read_trace_file(const std::string& path);
Workload read_scalesim_topology(const std::string& path);
// `gemm:m=M,n=N,k=K[,batch=B][,dtype=T][,wbits=W,abits=A][,acc=T][,seed=S][,prune=P]`
Workload parse_inline_workload(const std::string& spec);
// `nm:N:M | bank:BANK_SIZE:SPARSITY | unstructured:SPARSITY | block:RxC:SPARSITY | dense`;
// throws InputError (located at `where`) when malformed.
Compression parse_prune_spec(const std::string& text, const SourceLocation& where);
// Checks that a compression description is possible at all (N < M, 0 < density <= 1, ...).
void validate_compression(const Compression& c, const SourceLocation& where);
// The accumulator format a MAC uses by default for an operand format (int32 for integers, fp32 for floats).
DType default_accumulator(const DType& operand);

}  // namespace accsim
