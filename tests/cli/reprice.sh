#!/usr/bin/env bash
# `accsim reprice`: energy recomputed from a finished run's action counts, without simulating.
# Re-pricing with nothing changed reproduces summary.json, layers.csv and resolved_config.yaml byte
# for byte; re-pricing with another table gives byte for byte what a fresh run with that table
# gives (for the systolic array, the sparse tensor core and the bbs array); keys that change
# timing are refused (exit 2).
# Usage: bash tests/cli/reprice.sh /path/to/accsim   (from the repository root)
set -uo pipefail
ACCSIM="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail=0
same() {  # same NAME DIR1 DIR2
  local f
  for f in summary.json layers.csv resolved_config.yaml; do
    if ! cmp -s "$2/$f" "$3/$f"; then echo "FAIL $1: $f differs"; fail=1; return; fi
  done
  echo "ok   $1"
}
case_() {  # case_ NAME TABLE NODE ARCH WORKLOAD
  local name="$1" table="$2" node="$3"
  shift 3
  "$ACCSIM" run --arch "$1" --workload "$2" --out "$T/$name.run" >/dev/null || { echo "FAIL $name run"; fail=1; return; }
  "$ACCSIM" reprice "$T/$name.run" --out "$T/$name.same" >/dev/null
  same "$name: reprice unchanged" "$T/$name.run" "$T/$name.same"
  "$ACCSIM" reprice "$T/$name.run" --set energy_table="$table" --out "$T/$name.re" >/dev/null
  "$ACCSIM" run --arch "$1" --workload "$2" --set energy_table="$table" --set technology_nm="$node" \
    --out "$T/$name.fresh" >/dev/null
  same "$name: reprice to $table = run with $table" "$T/$name.re" "$T/$name.fresh"
  # Arch file path differs between the two summaries only if reprice lost it: checked by same().
  if cmp -s "$T/$name.run/summary.json" "$T/$name.re/summary.json"; then echo "FAIL $name: energy unchanged"; fail=1; fi
}
case_ systolic 7nm 7 configs/arch/systolic-32x32.yaml workloads/lstm.yaml
# The GPU configs price instruction issue and SM activity: re-price with the other GPU table.
case_ stc gpu-4nm 4 configs/arch/a100.yaml gemm:m=512,n=512,k=512,dtype=fp16,prune=nm:2:4
case_ bbs 16nm 16 configs/arch/bbs-fpga19.yaml workloads/bbs/timit-lstm-frame.yaml
# Layers with repeat > 1: counts in summary.json include repeats; the stage prices one.
case_ repeats 32nm 32 configs/arch/systolic-32x32.yaml tests/data/small_net.yaml
case_ bitfusion 65nm 65 configs/arch/bitfusion.yaml workloads/bitfusion/vgg7.yaml
# Timing keys are refused with a usage error.
"$ACCSIM" reprice "$T/systolic.run" --set compute.rows=8 >"$T/o" 2>"$T/e"
rc=$?
if [ $rc -eq 2 ] && grep -qF "reprice changes energy only" "$T/e"; then echo "ok   timing key refused"; else
  echo "FAIL timing key: exit $rc"; cat "$T/e"; fail=1; fi
"$ACCSIM" reprice "$T/nothing" >"$T/o" 2>"$T/e"
rc=$?
if [ $rc -eq 2 ] && grep -qF "summary.json: cannot read file" "$T/e"; then echo "ok   missing result dir"; else
  echo "FAIL missing dir: exit $rc"; cat "$T/e"; fail=1; fi
exit $fail
