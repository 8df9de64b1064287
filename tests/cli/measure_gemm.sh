#!/usr/bin/env bash
# scripts/gpu/measure_gemm.py without a GPU: argument checks (exit 2), the --dry-run rows are in
# the suite format, every command in them is one `accsim run` accepts, and a suite made of dry-run
# rows is refused by `accsim validate` (DRY-RUN is not a number), so they cannot pass as data.
set -u
ACCSIM=$(readlink -f "$1")
fail() { echo "FAIL: $*"; exit 1; }
py=/usr/bin/python3; [ -x "$py" ] || py=python3
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
S=scripts/gpu/measure_gemm.py
$py $S --board "A100 80GB PCIe" --arch configs/arch/a100-pcie.yaml --shapes 256x512x1024 --dtypes fp16,int8 \
  --dry-run --out "$out/rows.csv" || fail "dry run"
[ "$(head -1 "$out/rows.csv")" = "id,reference,unit,metric,command,baseline_command,tolerance,source" ] || fail "header"
[ "$(wc -l <"$out/rows.csv")" -eq 7 ] || fail "expected 6 rows (3 per dtype): $(cat "$out/rows.csv")"
grep -q '^a100_80gb_pcie_int8_256x512x1024_speedup,DRY-RUN,x,total.latency_s,"--arch configs/arch/a100-pcie.yaml --workload gemm:m=256,n=512,k=1024,dtype=int8,data=int:-8:7,prune=nm:2:4","--arch' \
  "$out/rows.csv" || fail "speedup row: $(cat "$out/rows.csv")"
# Every command field runs.
$py - "$out/rows.csv" "$ACCSIM" <<'PY' || fail "a command field does not run"
import csv, shlex, subprocess, sys
for r in csv.DictReader(open(sys.argv[1])):
    for c in (r["command"], r["baseline_command"]):
        if c:
            subprocess.run([sys.argv[2], "run", *shlex.split(c), "--format", "json"], check=True, stdout=subprocess.DEVNULL)
PY
for bad in "--shapes 4096x4096" "--shapes 10x16x16" "--dtypes fp64" "--repeats 0"; do
  # shellcheck disable=SC2086
  $py $S --board b --arch a $bad --dry-run >/dev/null 2>&1; rc=$?
  [ "$rc" -eq 2 ] || fail "$bad: exit $rc, expected 2"
done
mkdir -p "$out/root/validation/dry"; ln -s "$PWD/configs" "$out/root/configs"
printf 'description: d\nmedian_tolerance: 0.1\n' >"$out/root/validation/dry/suite.yaml"
cp "$out/rows.csv" "$out/root/validation/dry/cases.csv"
(cd "$out/root" && "$ACCSIM" validate >/dev/null 2>&1); [ $? -eq 2 ] || fail "validate accepted DRY-RUN rows"
echo ok
