#!/usr/bin/env bash
# sim.mode=cycle on the bbs array steps every bank read of a pass; on the shipped workloads it must
# give the same compute cycles (and totals) as event mode. Usage: bash tests/cli/bbs_cycle_mode.sh ACCSIM
set -euo pipefail
accsim="$1"
arch=configs/arch/bbs-fpga19.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
first() { grep "\"$1\"" "$2" | head -n 1 || true; }
for w in workloads/bbs/timit-lstm-frame.yaml workloads/bbs/ptb-lstm.yaml workloads/bert-base-encoder-layer.yaml; do
  "$accsim" run --arch "$arch" --workload "$w" --set sim.mode=event --format json >"$tmp/e.json"
  "$accsim" run --arch "$arch" --workload "$w" --set sim.mode=cycle --format json >"$tmp/c.json"
  e=$(first compute_cycles "$tmp/e.json"); c=$(first compute_cycles "$tmp/c.json")
  [ -n "$e" ] && [ "$e" = "$c" ] || { echo "FAIL: $w event '$e' vs cycle '$c'"; exit 1; }
done
# Unstructured weights: conflicts arise from the stepped bank ports and match the event rules.
w="gemm:m=1,n=64,k=256,dtype=int16,prune=unstructured:0.875"
"$accsim" run --arch "$arch" --set compute.on_unbalanced=run --workload "$w" --set sim.mode=event --format json >"$tmp/e.json"
"$accsim" run --arch "$arch" --set compute.on_unbalanced=run --workload "$w" --set sim.mode=cycle --format json >"$tmp/c.json"
e=$(first conflict_stall_pe_cycles "$tmp/e.json"); c=$(first conflict_stall_pe_cycles "$tmp/c.json")
[ -n "$c" ] && [ "$e" = "$c" ] || { echo "FAIL: conflicts event '$e' vs cycle '$c'"; exit 1; }
case "$c" in *": 0.0"*) echo "FAIL: unstructured weights stepped without conflicts"; exit 1;; esac
