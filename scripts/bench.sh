#!/usr/bin/env bash
# Simulation speed: simulated cycles and MACs per host second for one run, best and median of N.
# Usage: scripts/bench.sh [ACCSIM] [N] [accsim run arguments...]
#   default: build/accsim, 5 runs, ResNet-50 on configs/arch/systolic-32x32.yaml (sim.mode=event).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACCSIM="${1:-build/accsim}"
N="${2:-5}"
shift $(( $# > 2 ? 2 : $# ))
ARGS=("$@")
[ ${#ARGS[@]} -gt 0 ] || ARGS=(--arch configs/arch/systolic-32x32.yaml --workload workloads/resnet50.yaml)
[ -x "$ACCSIM" ] || { echo "bench: $ACCSIM not found; build first" >&2; exit 2; }

summary="$("$ACCSIM" run "${ARGS[@]}" --format json)"
read -r cycles macs < <(python3 -c 'import json,sys; t=json.loads(sys.stdin.read())["total"]; print(t["cycles"], t["macs"])' <<<"$summary")

times=()
for _ in $(seq "$N"); do
  start=$(date +%s%N)
  "$ACCSIM" run "${ARGS[@]}" --format json >/dev/null
  end=$(date +%s%N)
  times+=($(( end - start )))
done
python3 - "$cycles" "$macs" "${times[@]}" <<'PY'
import statistics, sys
cycles, macs = int(sys.argv[1]), int(sys.argv[2])
t = sorted(int(x) / 1e9 for x in sys.argv[3:])
best, med = t[0], statistics.median(t)
print(f"simulated: {cycles} cycles, {macs} MACs")
print(f"host time: best {best * 1e3:.1f} ms, median {med * 1e3:.1f} ms over {len(t)} runs (wall clock, whole process)")
print(f"speed (best): {cycles / best:.3e} simulated cycles/s, {macs / best:.3e} MACs/s")
print(f"speed (median): {cycles / med:.3e} simulated cycles/s, {macs / med:.3e} MACs/s")
PY
