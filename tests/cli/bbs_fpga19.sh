#!/usr/bin/env bash
# Whole runs of the shipped BBS design: the TIMIT LSTM frame runs conflict-free with the
# hand-derived nonzero count, unstructured weights are rejected with exit 2 and a one-line reason,
# and output is deterministic. Usage: bash tests/cli/bbs_fpga19.sh /path/to/accsim (from repo root).
set -euo pipefail
accsim="$1"
arch=configs/arch/bbs-fpga19.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$accsim" run --arch "$arch" --workload workloads/bbs/timit-lstm-frame.yaml --format json >"$tmp/a.json"
"$accsim" run --arch "$arch" --workload workloads/bbs/timit-lstm-frame.yaml --format json >"$tmp/b.json"
cmp "$tmp/a.json" "$tmp/b.json" || { echo "FAIL: two identical runs differ"; exit 1; }

# Effectual MACs, by hand: gates 4096 rows x 32 banks x 3 kept (round(0.125 x 21)) = 393216;
# projection 512 x 32 x 4 (0.125 x 32) = 65536; total 458752.
grep -q '"effectual_macs": 458752' "$tmp/a.json" || { echo "FAIL: effectual MACs"; grep effectual "$tmp/a.json"; exit 1; }
grep -q '"conflict_stall_pe_cycles": 0.0' "$tmp/a.json" || { echo "FAIL: bank-balanced run has conflicts"; exit 1; }

set +e
"$accsim" run --arch "$arch" --workload "gemm:m=1,n=64,k=256,dtype=int16,prune=unstructured:0.875" >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "FAIL: unbalanced weights exit $rc, expected 2"; exit 1; }
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL: expected a one-line error"; cat "$tmp/err"; exit 1; }
grep -q "layer 'gemm'.*not bank-balanced for 32 banks" "$tmp/err" || { echo "FAIL: message"; cat "$tmp/err"; exit 1; }

# Allowed to run, the same weights take longer than bank-balanced ones of the same density.
"$accsim" run --arch "$arch" --set compute.on_unbalanced=run \
  --workload "gemm:m=1,n=64,k=256,dtype=int16,prune=unstructured:0.875" --format json >"$tmp/u.json"
"$accsim" run --arch "$arch" --workload "gemm:m=1,n=64,k=256,dtype=int16,prune=bank:8:0.875" --format json >"$tmp/bb.json"
cu=$(grep -m1 '"compute_cycles"' "$tmp/u.json" | tr -dc 0-9)
cb=$(grep -m1 '"compute_cycles"' "$tmp/bb.json" | tr -dc 0-9)
[ "$cu" -gt "$cb" ] || { echo "FAIL: unstructured $cu cycles not above bank-balanced $cb"; exit 1; }
echo "PASS"

# Every valid layer runs (issue #12 item 6): BERT's attention products have no weights, so they
# run on the dense path and say so per layer instead of being refused.
"$accsim" run --arch "$arch" --workload workloads/bert-base-encoder-layer.yaml --format json >"$tmp/bert.json" \
  || { echo "FAIL: BERT does not run on bbs"; exit 1; }
grep -q '"dense_path_activation_operand": 1' "$tmp/bert.json" || { echo "FAIL: no dense-path flag on the attention products"; exit 1; }

# Bounded by design (issue #16): 2^32+1 identical instances are refused up front with a located
# one-line error (exit 2), not run out of memory or time.
set +e
"$accsim" run --arch "$arch" --workload "gemm:m=1,n=64,k=256,batch=4294967297,dtype=int16,prune=bank:8:0.875" >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "FAIL: huge batch exit $rc, expected 2"; cat "$tmp/err"; exit 1; }
[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "would play 4.29e+09 pipeline tiles" "$tmp/err" || { echo "FAIL: huge batch message"; cat "$tmp/err"; exit 1; }
