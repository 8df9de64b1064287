#!/usr/bin/env bash
# The example block (tests/example/example_block.cpp) registers itself and runs through
# `accsim run` in a binary that links it, with no edit elsewhere; `accsim list` shows its
# declaration; its declared mode is enforced; its energy comes from the energy stage.
# Usage: bash tests/example/example_block.sh /path/to/accsim_example   (from the repository root)
set -uo pipefail
ACCSIM="$1"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
out="$("$ACCSIM" run --arch tests/example/example.yaml --workload gemm:m=4,n=4,k=8,dtype=int8 --format json)"
check "runs" '[ $? -eq 0 ]'
field() { python3 -c "import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1" <<<"$out"; }
# By hand: load A 4x8 + B 8x4 int8 = 64 bytes at 1 byte/cycle = 64 cycles; 16 outputs on 4 lanes
# = 4 groups x K=8 = 32 cycles; store 16 bytes = 16 cycles: 112 cycles.
check "cycles 112" '[ "$(field "j[\"total\"][\"cycles\"]")" = 112 ]'
check "compute cycles 32" '[ "$(field "j[\"total\"][\"compute_cycles\"]")" = 32 ]'
check "mac action 128" '[ "$(field "j[\"total\"][\"actions\"][\"mac.int8xint8.acc_int32\"]")" = 128.0 ]'
check "dram actions" '[ "$(field "(j[\"total\"][\"actions\"][\"dram.read_bytes\"], j[\"total\"][\"actions\"][\"dram.write_bytes\"])")" = "(64.0, 16.0)" ]'
check "energy components: mac, dram, static" '[ "$(field "\",\".join(j[\"total\"][\"energy_breakdown_pj\"])")" = mac,dram,static ]'
check "compute kind" '[ "$(field "j[\"arch\"][\"compute_kind\"]")" = example_row ]'
list="$("$ACCSIM" list)"
check "listed" 'grep -qF "  example_row: example block from tests/example" <<<"$list"'
check "parameter listed" 'grep -qE "^    compute\.lanes +integer +8 +MACs +MAC lanes in the row$" <<<"$list"'
err="$("$ACCSIM" run --arch tests/example/example.yaml --workload gemm:m=4,n=4,k=8 --set sim.mode=cycle 2>&1 >/dev/null)"
check "mode error" '[ "$err" = "accsim: error: --set: sim.mode: compute.kind '"'"'example_row'"'"' does not support sim.mode=cycle (supported: event)" ]'
exit $fail
