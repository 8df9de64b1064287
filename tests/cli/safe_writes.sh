#!/usr/bin/env bash
# Issue #16 safe writes: outputs go through exclusive temporaries renamed into place; planted
# symlinks and non-regular destinations are refused before any write; failed or killed commands
# leave nothing behind.
# Usage: bash tests/cli/safe_writes.sh /path/to/accsim   (from the repository root)
set -uo pipefail
ACCSIM="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
ARCH=configs/arch/systolic-32x32.yaml
GEMM=gemm:m=8,n=8,k=8
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
# leftovers DIR: temporaries (ours are .NAME.tmp.XXXXXX) anywhere under DIR
leftovers() { find "$1" -name '*.tmp*' | head -3; }

# run --out: a symlink planted at the old fixed temporary name is never followed.
mkdir -p "$T/run1" && echo precious >"$T/victim" && ln -s "$T/victim" "$T/run1/summary.json.tmp"
"$ACCSIM" run --arch $ARCH --workload $GEMM --out "$T/run1" >/dev/null 2>"$T/err"
if [ $? -eq 0 ] && [ "$(cat "$T/victim")" = precious ] && [ -f "$T/run1/summary.json" ]; then ok "run_tmp_symlink_not_followed"; else bad "run_tmp_symlink_not_followed: $(cat "$T/err")"; fi
rm -f "$T/run1/summary.json.tmp"
[ -z "$(leftovers "$T/run1")" ] && ok "run_no_temporaries" || bad "run_no_temporaries: $(leftovers "$T/run1")"

# run --out: a symlink or FIFO at a destination is an error before any simulation or write.
mkdir -p "$T/run2" && ln -s "$T/victim" "$T/run2/layers.csv"
"$ACCSIM" run --arch $ARCH --workload $GEMM --out "$T/run2" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "layers.csv: cannot write --out file: it is a symbolic link" "$T/err" && [ ! -e "$T/run2/summary.json" ] \
   && [ "$(cat "$T/victim")" = precious ]; then ok "run_symlink_destination"; else bad "run_symlink_destination: exit $rc $(cat "$T/err")"; fi
mkdir -p "$T/run3" && mkfifo "$T/run3/summary.json"
timeout 10 "$ACCSIM" run --arch $ARCH --workload $GEMM --out "$T/run3" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "not a regular file" "$T/err" && [ -z "$(ls "$T/run3" | grep -v summary.json)" ]; then ok "run_fifo_destination"; else bad "run_fifo_destination: exit $rc $(cat "$T/err")"; fi
echo x >"$T/notdir"
"$ACCSIM" run --arch $ARCH --workload $GEMM --out "$T/notdir" >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q "exists and is not a directory" "$T/err" && ok "run_out_not_directory" || bad "run_out_not_directory: $(cat "$T/err")"

# A run that fails (invalid UTF-8 layer name) leaves no summary.json.tmp or any other file.
printf 'format: accsim-trace\nversion: 1\nlayers:\n  - {name: "\xff", op: gemm, m: 4, n: 4, k: 4}\n' >"$T/utf8.yaml"
"$ACCSIM" run --arch $ARCH --workload "$T/utf8.yaml" --out "$T/run4" >/dev/null 2>"$T/err"
[ $? -eq 2 ] && [ -z "$(ls -A "$T/run4" 2>/dev/null)" ] && ok "failed_run_leaves_nothing" || bad "failed_run_leaves_nothing: $(ls -A "$T/run4")"

# trace --out: a device/FIFO destination is refused; a directory leaves no X.weights.bin behind.
mkfifo "$T/fifo.yaml"
timeout 20 "$ACCSIM" trace --network small-cnn --prune nm:2:4 --out "$T/fifo.yaml" >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 2 ] && grep -q "not a regular file" "$T/err" && ok "trace_fifo_destination" || bad "trace_fifo_destination: exit $rc $(cat "$T/err")"
mkdir -p "$T/tdir/x.yaml"
timeout 20 "$ACCSIM" trace --network small-cnn --prune nm:2:4 --out "$T/tdir/x.yaml" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 2 ] && [ ! -e "$T/tdir/x.weights.bin" ] && [ -z "$(leftovers "$T/tdir")" ]; then ok "trace_directory_leaves_nothing"; else bad "trace_directory_leaves_nothing: exit $rc $(ls -A "$T/tdir")"; fi

# A trace killed with SIGTERM or SIGINT while writing leaves no temporary side file. Started from
# python3 with default signal dispositions (a non-interactive shell starts background jobs with
# SIGINT ignored).
for sig in TERM INT; do
  mkdir -p "$T/kill$sig"
  python3 - "$ACCSIM" "$T/kill$sig/b.yaml" "$sig" <<'PY'
import signal, subprocess, sys, time
accsim, out, sig = sys.argv[1:]
import os
p = subprocess.Popen([accsim, "trace", "--network", "bert-large", "--prune", "unstructured:0.5", "--quant", "int8",
                      "--store-values", "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM)])
# Signal it while it writes: as soon as its first temporary appears (not after a fixed sleep, which
# an idle machine outruns).
folder = os.path.dirname(out)
deadline = time.time() + 120
while p.poll() is None and not os.listdir(folder) and time.time() < deadline:
    time.sleep(0.005)
if p.poll() is not None:
    sys.exit("trace finished before it could be signalled")
p.send_signal(getattr(signal, "SIG" + sig))
p.wait()
PY
  if [ -z "$(ls -A "$T/kill$sig")" ]; then ok "trace_killed_by_SIG$sig"; else bad "trace_killed_by_SIG$sig: $(ls -A "$T/kill$sig")"; fi
done

# report: a symlink planted at report.md is refused (exit 2), its target untouched.
"$ACCSIM" run --arch $ARCH --workload $GEMM --out "$T/r" >/dev/null 2>&1
mkdir -p "$T/r/report" && ln -s "$T/victim" "$T/r/report/report.md"
"$ACCSIM" report "$T/r" >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 2 ] && [ "$(cat "$T/victim")" = precious ] && [ -z "$(leftovers "$T/r")" ] && ok "report_symlink_destination" || bad "report_symlink_destination: exit $rc $(tail -2 "$T/err")"

exit $fail
