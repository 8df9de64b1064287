#!/usr/bin/env bash
# Every class of bad input: exit status 2 and exactly one line on stderr naming file, line and key.
# Usage: bash tests/cli/errors.sh /path/to/accsim   (from the repository root)
set -uo pipefail
ACCSIM="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
ARCH=configs/arch/systolic-32x32.yaml
TABLE="$PWD/configs/energy/45nm.yaml"
fail=0

# expect_error NAME EXPECTED_FRAGMENT ACCSIM_ARGS...
expect_error() {
  local name="$1" fragment="$2"
  shift 2
  "$ACCSIM" "$@" >"$T/out" 2>"$T/err"
  local rc=$? lines
  lines=$(wc -l <"$T/err")
  if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -qF -- "$fragment" "$T/err" || [ -s "$T/out" ]; then
    echo "FAIL $name: exit $rc, $lines stderr line(s), expected fragment: $fragment"
    sed 's/^/    stderr: /' "$T/err"
    fail=1
  else
    echo "ok   $name: $(cat "$T/err")"
  fi
}

arch_file() {  # a valid architecture with extra lines appended under compute:
  cat >"$T/$1" <<YAML
name: t
energy_table: $TABLE
compute:
  kind: systolic
$2
YAML
}
trace_file() {
  printf 'format: accsim-trace\nversion: 1\nlayers:\n%s\n' "$2" >"$T/$1"
}
GEMM=gemm:m=8,n=8,k=8

# Architecture files.
arch_file unknown.yaml "  rowz: 4"
expect_error unknown_key "$T/unknown.yaml:5: compute.rowz: unknown key" run --arch "$T/unknown.yaml" --workload $GEMM
arch_file nested.yaml "  buffers:
    ifmap: {sizekb: 4}"
expect_error unknown_nested_key "$T/nested.yaml:6: compute.buffers.ifmap.sizekb: unknown key" run --arch "$T/nested.yaml" --workload $GEMM
expect_error unknown_key_set "--set: compute.buffers.ofmap.colour: unknown key" run --arch $ARCH --workload $GEMM --set compute.buffers.ofmap.colour=red
arch_file type.yaml "  rows: many"
expect_error wrong_type "$T/type.yaml:5: compute.rows: expected an integer, got 'many'" run --arch "$T/type.yaml" --workload $GEMM
expect_error wrong_type_set "--set: compute.buffers.ifmap.double_buffered: expected a bool, got 'maybe'" run --arch $ARCH --workload $GEMM --set compute.buffers.ifmap.double_buffered=maybe
arch_file zero.yaml "  cols: 0"
expect_error zero_size "$T/zero.yaml:5: compute.cols: must be > 0 (got 0)" run --arch "$T/zero.yaml" --workload $GEMM
expect_error negative_size "--set: compute.buffers.filter.size_kb: must be > 0 (got -8)" run --arch $ARCH --workload $GEMM --set compute.buffers.filter.size_kb=-8
expect_error negative_bandwidth "--set: dram.bandwidth_gb_s: must be >= 0" run --arch $ARCH --workload $GEMM --set dram.bandwidth_gb_s=-1
expect_error bad_choice "--set: compute.dataflow: must be one of os|ws|is (got 'rs')" run --arch $ARCH --workload $GEMM --set compute.dataflow=rs
expect_error unknown_kind "--set: compute.kind: unknown compute kind 'tpu'" run --arch $ARCH --workload $GEMM --set compute.kind=tpu
printf 'name: t\ncompute:\n\trows: 4\n' >"$T/tab.yaml"
expect_error malformed_yaml "$T/tab.yaml:3: malformed YAML" run --arch "$T/tab.yaml" --workload $GEMM
expect_error missing_arch "$T/none.yaml: cannot open file" run --arch "$T/none.yaml" --workload $GEMM
printf 'name: t\nenergy_table: nope.yaml\n' >"$T/table.yaml"
expect_error missing_table "$T/table.yaml:2: energy_table: file not found" run --arch "$T/table.yaml" --workload $GEMM
expect_error missing_table_entry "45nm.yaml: dram_pj_per_bit.ddr5: missing energy table entry" run --arch $ARCH --workload $GEMM --set dram.technology=ddr5

# Workloads.
trace_file trace_key.yaml "  - {op: gemm, m: 4, n: 4, k: 4, kernel: 3}"
expect_error trace_unknown_key "$T/trace_key.yaml:4: layers[0].kernel: unknown key" run --arch $ARCH --workload "$T/trace_key.yaml"
trace_file trace_neg.yaml "  - {op: conv2d, in_channels: 3, in_h: 8, in_w: -8, out_channels: 4}"
expect_error trace_negative "$T/trace_neg.yaml:4: layers[0].in_w: must be > 0 (got -8)" run --arch $ARCH --workload "$T/trace_neg.yaml"
trace_file trace_bad.yaml "  - {op: gemm, m: 4"
expect_error trace_malformed "$T/trace_bad.yaml:" run --arch $ARCH --workload "$T/trace_bad.yaml"
expect_error missing_workload "$T/none.yaml: cannot open file" run --arch $ARCH --workload "$T/none.yaml"
expect_error workload_is_directory "$T: is a directory, not a file" run --arch $ARCH --workload "$T"
# m = n = k = 1e11: 1e33 MACs, far past the 1e17 per-layer limit (64-bit counters would overflow).
expect_error layer_too_large "1e+33 MACs exceed the per-layer limit of 1e17" run --arch $ARCH --workload gemm:m=100000000000,n=100000000000,k=100000000000
# 32x32 os array, m = n = 200000: ceil(200000/32)^2 = 6250^2 = 3.91e7 folds > 2e7 tiles.
expect_error too_many_folds "needs 3.91e+07 folds on this array" run --arch $ARCH --workload gemm:m=200000,n=200000,k=8
trace_file trace_fp16.yaml "  - {name: half, op: gemm, m: 4, n: 4, k: 4, weights: {dtype: fp16}}"
expect_error layer_cannot_map "$T/trace_fp16.yaml:4: layers[0] (layer 'half'): a fixed int8 MAC unit cannot execute w fp16 x a int8" run --arch $ARCH --workload "$T/trace_fp16.yaml"
expect_error inline_malformed "--workload: gemm:m=4,n=4: missing k=" run --arch $ARCH --workload gemm:m=4,n=4
expect_error inline_prune "--workload: gemm:m=4,n=4,k=4,prune=nm:3:2: N:M sparsity needs 0 < N < M" run --arch $ARCH --workload gemm:m=4,n=4,k=4,prune=nm:3:2
printf 'Layer, M, N, K,\ng,4,four,4,\n' >"$T/topo.csv"
expect_error csv_malformed "$T/topo.csv:2: N: expected a positive integer, got 'four'" run --arch $ARCH --workload "$T/topo.csv"
printf '[architecture_presets]\nArrayHeight: 8\nArrayWidht: 8\n' >"$T/s.cfg"
expect_error cfg_unknown_key "$T/s.cfg:3: architecture_presets.arraywidht: unknown SCALE-Sim key" run --arch "$T/s.cfg" --workload $GEMM

# A sim.mode the compute kind does not declare (sim/core/registry.hpp KindInfo::modes) names block and mode.
expect_error mode_bbs_cycle "--set: sim.mode: compute.kind 'bbs' does not support sim.mode=cycle (supported: event)" run --arch configs/arch/bbs-fpga19.yaml --workload $GEMM --set sim.mode=cycle
expect_error mode_stc_cycle "--set: sim.mode: compute.kind 'sparse_tensor_core' does not support sim.mode=cycle (supported: event)" run --arch configs/arch/a100.yaml --workload $GEMM --set sim.mode=cycle
expect_error dram_kind_unknown "--set: dram.kind: unknown memory kind 'hbm9' (known: bandwidth)" run --arch $ARCH --workload $GEMM --set dram.kind=hbm9

exit $fail
