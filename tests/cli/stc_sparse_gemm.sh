#!/usr/bin/env bash
# The A100 sparse-tensor-core config from the command line: a 2:4 GEMM runs and is faster than the
# dense one; weights that are not N:M are rejected with one line and exit status 2.
set -u
ACCSIM=$1
fail() { echo "FAIL: $*"; exit 1; }
# Total cycles, read by name from the JSON output (not by CSV column position).
cycles() {
  "$ACCSIM" run --arch configs/arch/a100.yaml --workload "$1" --format json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["total"]["cycles"])'
}
dense=$(cycles gemm:m=2048,n=2048,k=2048,dtype=fp16) || fail "dense run"
sparse=$(cycles gemm:m=2048,n=2048,k=2048,dtype=fp16,prune=nm:2:4) || fail "sparse run"
[ -n "$dense" ] && [ -n "$sparse" ] || fail "no cycles in the csv output"
[ "$sparse" -lt "$dense" ] || fail "2:4 ($sparse cycles) not faster than dense ($dense)"
err=$("$ACCSIM" run --arch configs/arch/a100.yaml --workload gemm:m=256,n=256,k=256,dtype=fp16,prune=unstructured:0.5 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 2 ] || fail "non-N:M weights: exit $rc, expected 2"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "expected one error line, got: $err"
case "$err" in *"not N:M"*) ;; *) fail "message does not say not N:M: $err" ;; esac
echo "ok: dense $dense cycles, 2:4 $sparse cycles"
