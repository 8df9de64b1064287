#!/usr/bin/env bash
# `accsim validate`: the shipped scalesim suite passes and writes its table and figure; a suite
# that misses its tolerance exits 1; a bad suite file is one located line with exit 2; a
# baseline_command gives a ratio (hand-checked: 2x the MACs on the same array = 2x the cycles).
set -u
ACCSIM=$(readlink -f "$1")
fail() { echo "FAIL: $*"; exit 1; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
"$ACCSIM" validate --suite scalesim --out "$out/v" >"$out/log" 2>&1 || fail "scalesim suite: $(cat "$out/log")"
grep -q "resnet50_conv1_32x32_os *158421 *158422" "$out/log" || fail "no conv1 os row: $(cat "$out/log")"
grep -q "median error" "$out/log" || fail "no suite summary"
for f in validation.csv validation.md validation.png; do [ -s "$out/v/$f" ] || fail "--out wrote no $f"; done
head -1 "$out/v/validation.csv" | grep -q "^suite,id,reference,accsim" || fail "csv header"

# A private repository root: suites read paths relative to it.
root="$out/root"; mkdir -p "$root/validation/s"
ln -s "$PWD/configs" "$root/configs"; ln -s "$PWD/scripts" "$root/scripts"
printf 'description: test\nmedian_tolerance: 0.1\n' >"$root/validation/s/suite.yaml"
hdr='id,reference,unit,metric,command,baseline_command,tolerance,source'
# 32x32 os on 64x64x64 = 4 folds, 64x64x128 = 4 folds of K 128: cycles (32+32+K-2) per fold,
# ratio (62+128)/(62+64) = 190/126 = 1.5079.
base='--arch configs/arch/systolic-32x32.yaml --set dram.bandwidth_gb_s=1e6 --set dram.latency_ns=0 --workload gemm:m=64,n=64,k='
printf '%s\nr,1.5079,x,total.compute_cycles,"%s64","%s128",0.001,hand\n' "$hdr" "$base" "$base" >"$root/validation/s/cases.csv"
(cd "$root" && "$ACCSIM" validate >"$out/log2" 2>&1) || fail "ratio suite: $(cat "$out/log2")"
printf '%s\nr,3.0,x,total.compute_cycles,"%s64","%s128",0.001,hand\n' "$hdr" "$base" "$base" >"$root/validation/s/cases.csv"
(cd "$root" && "$ACCSIM" validate >"$out/log3" 2>&1); rc=$?
[ "$rc" -eq 1 ] || fail "missed tolerance: exit $rc, expected 1: $(cat "$out/log3")"
grep -q "MISS" "$out/log3" || fail "no MISS mark"

bad() {  # expect exit 2 and one line holding $1
  local err rc
  err=$(cd "$root" && "$ACCSIM" validate --suite s 2>&1 >/dev/null); rc=$?
  [ "$rc" -eq 2 ] || fail "$1: exit $rc, expected 2 ($err)"
  [ "$(printf '%s\n' "$err" | grep -vc '^validate: suite')" -eq 1 ] || fail "$1: expected one line, got: $err"
  case "$err" in *"$1"*) ;; *) fail "message lacks '$1': $err" ;; esac
}
printf '%s\nr,abc,x,total.cycles,"%s64",,0.1,hand\n' "$hdr" "$base" >"$root/validation/s/cases.csv"
bad "cases.csv:2: reference: 'abc' is not a finite number"
printf 'id,reference\n' >"$root/validation/s/cases.csv"
bad "cases.csv:1: header must be exactly"
printf '%s\nr,1,x,total.nosuch,"%s64",,0.1,hand\n' "$hdr" "$base" >"$root/validation/s/cases.csv"
bad "cases.csv:2: metric: no 'total.nosuch'"
printf '%s\nr,1,x,total.cycles*1e-3x,"%s64",,0.1,hand\n' "$hdr" "$base" >"$root/validation/s/cases.csv"
bad "cases.csv:2: metric: '1e-3x' after '*' is not a finite number"
# A unit factor scales the metric: 4 folds x (32 + 32 + 64 - 2) = 504 cycles, x 0.5 = 252.
printf '%s\nr,252,half-cycles,total.compute_cycles*0.5,"%s64",,0.001,hand\n' "$hdr" "$base" >"$root/validation/s/cases.csv"
(cd "$root" && "$ACCSIM" validate >"$out/log4" 2>&1) || fail "factor: $(cat "$out/log4")"
printf '%s\nr,1,x,total.cycles,--arch nosuch.yaml --workload gemm:m=1,,0.1,hand\n' "$hdr" >"$root/validation/s/cases.csv"
bad "cases.csv:2: command: accsim run"
printf 'description: t\nmedian_tolerance: 0.1\ncolour: red\n' >"$root/validation/s/suite.yaml"
bad "suite.yaml:3: colour: unknown key"
err=$(cd "$root" && "$ACCSIM" validate --suite nosuch 2>&1 >/dev/null); [ $? -eq 2 ] || fail "unknown suite: not exit 2"
case "$err" in *"(known: s)"*) ;; *) fail "unknown suite: no list of known suites: $err" ;; esac
touch "$out/file"
err=$("$ACCSIM" validate --suite scalesim --out "$out/file" 2>&1 >/dev/null); [ $? -eq 2 ] || fail "--out FILE: not exit 2"
case "$err" in *"--out: exists and is not a directory"*) ;; *) fail "--out FILE: $err" ;; esac
echo "ok"
