#!/usr/bin/env bash
# Issue #16 cases: values that do not fit their type, duplicate and complex YAML keys, non-finite or
# out-of-range parameters, wrapped counts, endless loops and deep regexes. Each must end in exit 2
# and one located line on stderr (never exit 1, a crash, a hang or a silently wrong answer).
# Usage: bash tests/cli/hardening.sh /path/to/accsim   (from the repository root)
set -uo pipefail
ACCSIM="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
ARCH=configs/arch/systolic-32x32.yaml
GEMM=gemm:m=8,n=8,k=8
fail=0

# expect_error NAME EXPECTED_FRAGMENT ACCSIM_ARGS...  (10 s limit: a hang is a failure)
expect_error() {
  local name="$1" fragment="$2"
  shift 2
  timeout 10 "$ACCSIM" "$@" >"$T/out" 2>"$T/err"
  local rc=$? lines
  lines=$(wc -l <"$T/err")
  if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -qF -- "$fragment" "$T/err" || [ -s "$T/out" ]; then
    echo "FAIL $name: exit $rc, $lines stderr line(s), expected fragment: $fragment"
    head -c 600 "$T/err" | sed 's/^/    stderr: /'
    fail=1
  else
    echo "ok   $name: $(head -c 200 "$T/err")"
  fi
}
# expect_usage NAME FRAGMENT ARGS...: a usage error (exit 2), its first stderr line naming the problem.
expect_usage() {
  local name="$1" fragment="$2"
  shift 2
  timeout 10 "$ACCSIM" "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ $rc -ne 2 ] || ! head -n 1 "$T/err" | grep -qF -- "$fragment"; then
    echo "FAIL $name: exit $rc, expected first line with: $fragment"
    head -c 600 "$T/err" | sed 's/^/    stderr: /'
    fail=1
  else
    echo "ok   $name: $(head -n 1 "$T/err" | head -c 200)"
  fi
}
trace() { printf 'format: accsim-trace\nversion: 1\nlayers:\n%s\n' "$2" >"$T/$1"; }

# Checked integers: 2^32 + 1 used to run as int1, n/m = 2^32 + 2 / 2^32 + 4 as 2:4.
expect_error wbits_overflow "wbits must be a positive integer, got '4294967297' (does not fit a 32-bit integer)" \
  run --arch $ARCH --workload gemm:m=8,n=8,k=8,wbits=4294967297
trace nm.yaml "  - {op: gemm, m: 4, n: 4, k: 4, weights: {compression: {pattern: nm, n: 4294967298, m: 4294967300}}}"
expect_error nm_overflow "$T/nm.yaml:4: layers[0].weights.compression.n: must fit a 32-bit integer (got 4294967298)" \
  run --arch $ARCH --workload "$T/nm.yaml"
trace big.yaml "  - {op: gemm, m: 99999999999999999999, n: 4, k: 4}"
expect_error int64_overflow "$T/big.yaml:4: layers[0].m: expected an integer, got '99999999999999999999' (does not fit a 64-bit integer)" \
  run --arch $ARCH --workload "$T/big.yaml"
expect_error workload_set_bits "--workload-set: wbits: bit width must be an integer in 1..32, got '4294967297'" \
  run --arch $ARCH --workload $GEMM --workload-set wbits=4294967297

# Duplicate keys name both places; complex keys and invalid UTF-8 are errors.
trace dup.yaml "  - {op: gemm, m: 64, n: 64, k: 64, m: 1000}"
expect_error dup_key_flow "$T/dup.yaml:4: m: key given twice (first at line 4, column 16; again at column 37)" \
  run --arch $ARCH --workload "$T/dup.yaml"
printf 'name: t\nclock_mhz: 500\ncompute:\n  kind: systolic\nclock_mhz: 700\n' >"$T/dup_arch.yaml"
expect_error dup_key_arch "$T/dup_arch.yaml:5: clock_mhz: key given twice (first at line 2)" \
  run --arch "$T/dup_arch.yaml" --workload $GEMM
printf '{[a]: 1}\n' >"$T/complex.yaml"
expect_error complex_key "$T/complex.yaml:1: a map key must be a plain name, not a list" run --arch "$T/complex.yaml" --workload $GEMM
expect_error complex_key_set "--set compute:1: a map key must be a plain name, not a list" \
  run --arch $ARCH --workload $GEMM --set 'compute={[a]: 1}'
printf 'format: accsim-trace\nversion: 1\nlayers:\n  - {name: "\xff\xfe", op: gemm, m: 4, n: 4, k: 4}\n' >"$T/utf8.yaml"
expect_error invalid_utf8 "$T/utf8.yaml:4: text is not valid UTF-8" run --arch $ARCH --workload "$T/utf8.yaml"

# Range checks: finite, positive, documented upper bounds (docs/reliability.md).
expect_error latency_inf "--set: dram.latency_ns: must be a finite number, got 'inf'" run --arch $ARCH --workload $GEMM --set dram.latency_ns=inf
expect_error latency_1e300 "--set: dram.latency_ns: must be at most 1e15 in magnitude" run --arch $ARCH --workload $GEMM --set dram.latency_ns=1e300
expect_error latency_bound "--set: dram.latency_ns: must be <= 1e9 ns (1 s)" run --arch $ARCH --workload $GEMM --set dram.latency_ns=2e9
expect_error clock_1e300 "--set: clock_mhz: must be at most 1e15 in magnitude" run --arch $ARCH --workload $GEMM --set clock_mhz=1e300
expect_error clock_bound "--set: clock_mhz: must be <= 1e5 MHz (100 GHz)" run --arch $ARCH --workload $GEMM --set clock_mhz=1e6
expect_error rows_2_62 "--set: compute.rows: must be <= 16777216 (got 4611686018427387904); hardware sizes are capped at 2^24" \
  run --arch $ARCH --workload $GEMM --set compute.rows=4611686018427387904

# Overflow-checked counts: 1e17 copies of a 1-MAC layer with 1 us DRAM latency wrap 64-bit cycles.
trace repeat.yaml "  - {op: gemm, m: 1, n: 1, k: 1, repeat: 100000000000000000}"
expect_error repeat_overflow "$T/repeat.yaml:4: layers[0]: cycles x repeat 100000000000000000 overflows a 64-bit count" \
  run --arch $ARCH --workload "$T/repeat.yaml" --set dram.latency_ns=1000
# 4 x 3e18 hidden units wrapped to a negative GEMM width ("lowers to an empty GEMM").
trace lstm.yaml "  - {op: lstm, input_size: 4, hidden_size: 3000000000000000000}"
expect_error lstm_huge "MACs exceed the per-layer limit of 1e17" run --arch $ARCH --workload "$T/lstm.yaml"

# SCALE-Sim topology stride 1e12: padding_for counted to the stride (an endless loop in practice).
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1,8,8,3,3,4,4,1000000000000,\n' >"$T/stride.csv"
expect_error topology_stride "$T/stride.csv:2: Strides: expected a positive integer <= 2147483647" run --arch $ARCH --workload "$T/stride.csv"
# The largest stride allowed still imports at once (closed-form padding).
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1,8,8,3,3,4,4,2147483647,\n' >"$T/stride_ok.csv"
if timeout 10 "$ACCSIM" run --arch $ARCH --workload "$T/stride_ok.csv" >/dev/null 2>"$T/err"; then
  echo "ok   topology_stride_max"
else
  echo "FAIL topology_stride_max: $(cat "$T/err")"; fail=1
fi

# Exit 2, not "internal error": long file names, unreadable files.
LONG=$(printf 'a%.0s' $(seq 300))
expect_error long_name_workload "File name too long" run --arch $ARCH --workload "conv:$LONG"
expect_error long_name_table "--set: energy_table: " run --arch $ARCH --workload $GEMM --set "energy_table=$LONG.yaml"
expect_error proc_mem "/proc/self/mem: cannot read file" run --arch $ARCH --workload $GEMM --set energy_table=/proc/self/mem

# Sweep ranges: huge bounds and 50,000-character values (std::regex overflowed the stack on them).
expect_usage grid_range_overflow "--grid compute.rows: a range bound or step in '1..99999999999999999999' does not fit a 64-bit integer" \
  sweep --arch $ARCH --workload $GEMM --grid compute.rows=1..99999999999999999999 --out "$T/sw0"
timeout 20 "$ACCSIM" sweep --arch $ARCH --workload $GEMM --grid compute.rows=9223372036854775806..9223372036854775807 \
  --keep-going --quiet --out "$T/sw1" >/dev/null 2>"$T/err"
if [ "$(grep -c '"status":"error"' "$T/sw1/results.jsonl" 2>/dev/null)" = 2 ]; then
  echo "ok   grid_range_int64_max: two points, both rows capped at 2^24"
else
  echo "FAIL grid_range_int64_max: $(head -c 300 "$T/err")"; fail=1
fi
# Counted before expanding (the fuzzer timed out on a million strings built before the refusal).
expect_usage grid_range_too_many "--grid compute.rows: range 1..999999999999 has too many values (999999999999; at most 1000000 per key)" \
  sweep --arch $ARCH --workload $GEMM --grid compute.rows=1..999999999999 --out "$T/sw4"
BIG=$(head -c 50000 /dev/zero | tr '\0' 1)
expect_usage grid_long_key "--grid $(printf 'a%.0s' $(seq 80)):" sweep --arch $ARCH --workload $GEMM --grid "$(head -c 50000 /dev/zero | tr '\0' a)-=1" --out "$T/sw2"
timeout 20 "$ACCSIM" sweep --arch $ARCH --workload $GEMM --grid "compute.rows=$BIG..1" --out "$T/sw3" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "does not fit a 64-bit integer" "$T/err"; then echo "ok   grid_long_value"; else echo "FAIL grid_long_value: exit $rc"; fail=1; fi

exit $fail
