#!/usr/bin/env bash
# CLI conventions: --version, `help CMD` / `CMD --help` describing every option of the synopsis,
# "did you mean" for commands, options, keys and networks, single-valued options given twice,
# fixed notation in tables and an effectual-MACs column on sparse architectures.
set -euo pipefail
B="$1"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect2() {  # PATTERN CMD...: exit 2 and PATTERN on stderr
  local pat="$1"; shift
  set +e; out=$("$@" 2>&1 >/dev/null); rc=$?; set -e
  [ $rc -eq 2 ] && grep -qF -- "$pat" <<<"$out" || fail "$* -> rc=$rc: $out"
}
"$B" --version | grep -Eqx 'accsim [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]{12}(-dirty)?|unknown)\)' \
  || fail "--version: $("$B" --version)"
# Every command: help CMD = CMD --help, and every --flag of its synopsis has a description line.
cmds=$("$B" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
[ -n "$cmds" ] || fail "no commands listed"
for c in $cmds; do
  h=$("$B" help "$c") || fail "help $c"
  [ "$h" = "$("$B" "$c" --help)" ] || fail "help $c differs from $c --help"
  synopsis=$(sed -n '/^usage:/,/^$/p' <<<"$h")
  for flag in $(echo "$synopsis" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -Eq -- "^  $flag( |$)" <<<"$h" || fail "accsim help $c does not describe $flag"
  done
done
# Did you mean.
expect2 "unknown command 'swep' (did you mean 'sweep'?)" "$B" swep
expect2 "unknown option --arhc (did you mean '--arch'?)" "$B" run --arhc x
expect2 "compute.rowz: unknown key (did you mean 'rows'?)" "$B" run --arch configs/arch/systolic-32x32.yaml \
  --workload gemm:m=8,n=8,k=8 --set compute.rowz=4
expect2 "unknown network 'resnet5' (did you mean 'resnet50'?)" "$B" trace --network resnet5 --out /dev/null
expect2 "unknown command 'zzzzzz' (accsim --help" "$B" zzzzzz   # nothing close: no hint
# A single-valued option given twice is an error; repeatable ones collect.
expect2 "--arch given twice" "$B" run --arch configs/arch/systolic-32x32.yaml --arch configs/arch/a100.yaml \
  --workload gemm:m=8,n=8,k=8
expect2 "--format given twice" "$B" run --arch configs/arch/systolic-32x32.yaml --workload gemm:m=8,n=8,k=8 \
  --format json --format csv
"$B" run --arch configs/arch/systolic-32x32.yaml --workload gemm:m=8,n=8,k=8 --set compute.rows=8 \
  --set compute.cols=8 >/dev/null || fail "two --set refused"
expect2 "unexpected argument 'extra'" "$B" list extra
# Tables: fixed notation (no e+NN) and, on a sparse architecture, an effectual-MACs column.
t=$("$B" run --arch configs/arch/sparseloop-stc.yaml --workload gemm:m=4096,n=4096,k=4096,prune=nm:2:4)
grep -q 'e[+-][0-9]' <<<"$t" && fail "scientific notation in the table: $t"
head -3 <<<"$t" | grep -q "MACs  effectual MACs" || fail "no effectual MACs column on the sparse tensor core"
# 2:4 keeps half the MACs: 4096^3 = 68719476736 dense, 34359738368 effectual.
grep -q "^total: .* 68719476736 MACs (34359738368 effectual)" <<<"$t" || fail "effectual total: $t"
"$B" run --arch configs/arch/systolic-32x32.yaml --workload gemm:m=64,n=64,k=64 | grep -q "effectual" \
  && fail "dense systolic run shows an effectual column"
echo ok
