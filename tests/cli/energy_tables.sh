#!/usr/bin/env bash
# Energy tables by name (sim/core/search_path.hpp): a shipped arch file copied to any folder runs
# unchanged and gives the same result; resolved_config.yaml names the built-in table portably;
# ACCSIM_PATH adds folders; an unknown name is one exit-2 line listing the folders tried; paths
# relative to the arch file keep working.
# Usage: bash tests/cli/energy_tables.sh /path/to/accsim   (from the repository root)
set -uo pipefail
ACCSIM="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
W=gemm:m=64,n=64,k=64
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$ACCSIM" run --arch configs/arch/systolic-32x32.yaml --workload $W --format json >"$T/shipped.json"
mkdir -p "$T/elsewhere"
cp configs/arch/systolic-32x32.yaml "$T/elsewhere/my.yaml"
(cd / && "$ACCSIM" run --arch "$T/elsewhere/my.yaml" --workload $W --format json --out "$T/out") >"$T/copied.json"
check "copied arch file runs from another folder" '[ $? -eq 0 ] && [ -s "$T/copied.json" ]'
# Same numbers; only the arch file path and name differ.
check "copied arch file gives the shipped result" \
  'diff <(grep -v "\"file\"\|\"name\"" "$T/shipped.json") <(grep -v "\"file\"\|\"name\"" "$T/copied.json") >/dev/null'
check "resolved_config names the built-in table" 'grep -qx "energy_table: 45nm" "$T/out/resolved_config.yaml"'
# The resolved config is itself a runnable arch file, from anywhere.
(cd / && "$ACCSIM" run --arch "$T/out/resolved_config.yaml" --workload $W --format json) >"$T/again.json"
check "resolved_config.yaml reruns" 'diff <(grep -v "\"file\"\|\"name\"" "$T/shipped.json") <(grep -v "\"file\"\|\"name\"" "$T/again.json") >/dev/null'

# A table found through ACCSIM_PATH (a renamed copy of the 7nm table).
mkdir -p "$T/tables/energy"
# The 7nm table scales the 45nm one (its `base:`), so both travel.
cp configs/energy/7nm.yaml "$T/tables/energy/mynode.yaml"
cp configs/energy/45nm.yaml "$T/tables/energy/"
ACCSIM_PATH="$T/nothing:$T/tables" "$ACCSIM" run --arch "$T/elsewhere/my.yaml" --workload $W \
  --set energy_table=mynode --set technology_nm=7 --format json >"$T/env.json" 2>"$T/env.err"
check "ACCSIM_PATH table is used" '[ $? -eq 0 ] && ! diff -q "$T/env.json" "$T/copied.json" >/dev/null'

# Unknown name: one line, exit 2, naming the key and the folders tried.
"$ACCSIM" run --arch "$T/elsewhere/my.yaml" --workload $W --set energy_table=3nm >"$T/o" 2>"$T/e"
rc=$?
check "unknown table name is exit 2" '[ $rc -eq 2 ] && [ "$(wc -l <"$T/e")" -eq 1 ]'
check "unknown table message" "grep -qF -- \"--set: energy_table: energy table '3nm' not found as 3nm.yaml in: $T/elsewhere\" \"$T/e\""

# A path relative to the arch file still works.
sed 's|^energy_table: 45nm|energy_table: ../energy/45nm.yaml|' configs/arch/systolic-32x32.yaml >"$T/rel.yaml"
mkdir -p "$T/energy" && cp configs/energy/45nm.yaml "$T/energy/"
mkdir -p "$T/arch" && mv "$T/rel.yaml" "$T/arch/rel.yaml"
"$ACCSIM" run --arch "$T/arch/rel.yaml" --workload $W --format json >"$T/rel.json"
check "relative table path" 'diff <(grep -v "\"file\"\|\"name\"" "$T/shipped.json") <(grep -v "\"file\"\|\"name\"" "$T/rel.json") >/dev/null'
exit $fail
