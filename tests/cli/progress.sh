#!/usr/bin/env bash
# Progress on stderr (issue #16, sim/core/progress_note.*): ACCSIM_PROGRESS=all prints every step of
# `run` (layers checked, weight-mask passes, layers simulated) and `trace` (layers); stdout is the same
# with and without progress, and a quick command prints nothing extra by default (the first line
# waits 3 s). Usage: bash tests/cli/progress.sh /path/to/accsim   (from the repository root)
set -euo pipefail
ACCSIM="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail=0
check() {  # check NAME FILE FIXED-STRING
  if grep -qF -- "$3" "$2"; then echo "ok   $1"; else echo "FAIL $1: no '$3' in:"; sed 's/^/    /' "$2"; fail=1; fi
}
RUN=(run --arch configs/arch/bbs-fpga19.yaml --set compute.on_unbalanced=run
     --workload gemm:m=4,n=64,k=64,prune=unstructured:0.5)
ACCSIM_PROGRESS=all "$ACCSIM" "${RUN[@]}" >"$T/all.out" 2>"$T/all.err"
check "run: layers checked" "$T/all.err" "accsim run: 0/1 layers checked (gemm), "
check "run: mask passes" "$T/all.err" "accsim run: 2/3 weight-mask passes (layer gemm), "
check "run: layers simulated" "$T/all.err" "accsim run: 0/1 layers simulated (gemm), "
ACCSIM_PROGRESS=0 "$ACCSIM" "${RUN[@]}" >"$T/off.out" 2>"$T/off.err"
"$ACCSIM" "${RUN[@]}" >"$T/default.out" 2>"$T/default.err"
if cmp -s "$T/all.out" "$T/off.out" && cmp -s "$T/all.out" "$T/default.out"; then echo "ok   run: stdout unchanged"
else echo "FAIL run: stdout differs with progress on"; fail=1; fi
if [ -s "$T/off.err" ] || [ -s "$T/default.err" ]; then echo "FAIL run: progress printed when off or quick"; fail=1
else echo "ok   run: nothing on stderr when off or quick"; fi

ACCSIM_PROGRESS=all "$ACCSIM" trace --network small-cnn --prune nm:2:4 --out "$T/t.yaml" >"$T/trace.out" 2>"$T/trace.err"
check "trace: layers" "$T/trace.err" "accsim trace: 3/3 layers (fc), "
# Besides progress, trace's stderr holds only its closing "traced in N s" line.
if grep -v -e "^accsim trace: [0-9]*/[0-9]* layers" -e "^traced in " "$T/trace.err" >"$T/other"; then
  echo "FAIL trace: unexpected stderr lines:"; sed 's/^/    /' "$T/other"; fail=1
else echo "ok   trace: only progress lines on stderr"; fi
exit $fail
