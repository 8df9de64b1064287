#!/usr/bin/env bash
# Same inputs => byte-identical outputs (stdout in every format and every file under --out).
set -euo pipefail
ACCSIM="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
for i in 1 2; do
  "$ACCSIM" run --arch configs/arch/systolic-32x32.yaml --workload workloads/mobilenetv2.yaml --out "$T/run$i" >"$T/table$i.txt"
  "$ACCSIM" run --arch configs/arch/systolic-32x32.yaml --workload gemm:m=96,n=80,k=72,prune=nm:2:4,seed=5 \
    --set compute.dataflow=ws --format json >"$T/json$i.json"
done
diff -r "$T/run1" "$T/run2" || { echo "FAIL: --out files differ between identical runs"; exit 1; }
cmp "$T/table1.txt" "$T/table2.txt" || { echo "FAIL: table output differs"; exit 1; }
cmp "$T/json1.json" "$T/json2.json" || { echo "FAIL: json output differs"; exit 1; }
echo ok
