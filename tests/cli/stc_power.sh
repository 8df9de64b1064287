#!/usr/bin/env bash
# Board power limit on the sparse tensor core: a limit above the layer's power changes nothing;
# (and adds no counters, so `accsim reprice` stays exact); a limit below it lowers the clock until average power equals the limit (the core
# voltage drops with the clock, compute.power.voltage_slope, and the block's actions are priced at it), and the layer takes longer.
set -u
ACCSIM=$1
fail() { echo "FAIL: $*"; exit 1; }
run() { "$ACCSIM" run --arch configs/arch/a100.yaml --workload gemm:m=4096,n=4096,k=4096,dtype=fp16 \
  --set compute.power.board_limit_w="$1" --format json | python3 -c "
import json,sys; j=json.load(sys.stdin); l=j['layers'][0]; c=l['counters']
print(l['cycles'], c.get('board_power_w', 0), c.get('sustained_clock_mhz', 1410), j['total']['average_power_w'])"; }
# 700 W: above what 4096^3 draws at boost (~571 W on randn; the 400 W board limit binds).
read -r c400 p400 f400 a400 <<<"$(run 700)" || fail "run 700"
read -r c20 p20 f20 a20 <<<"$(run 200)" || fail "run 200"
python3 - "$c400" "$p400" "$f400" "$a400" "$c20" "$p20" "$f20" "$a20" <<'PY' || fail "power limit relations"
import sys
c400, p400, f400, a400, c20, p20, f20, a20 = map(float, sys.argv[1:])
assert f400 == 1410 and p400 == 0 and a400 < 700, (f400, p400, a400)  # not limited: no counters
assert p20 == 200 and f20 < 1410, (p20, f20)
assert abs(a20 - 200) < 0.2, a20                     # the run's average power is the limit
assert abs(c20 / c400 - 1410 / f20) < 1e-3, (c20, c400, f20)  # time stretches by the clock ratio
PY
err=$("$ACCSIM" run --arch configs/arch/a100.yaml --workload gemm:m=64,n=64,k=64,dtype=fp16 --set compute.power.constant_w=350 2>&1 >/dev/null)
[ $? -eq 2 ] || fail "constant_w above the limit accepted"
case "$err" in *"constant_w"*"below board_limit_w"*) ;; *) fail "message: $err" ;; esac
echo ok
