#!/usr/bin/env bash
# Regenerates the golden outputs (tests/golden/data/*.json) from tests/golden/cases.txt.
# Run it only when a model's numbers are meant to change; review `git diff tests/golden/data`
# and say in the commit why each figure moved.
# Usage: scripts/update_golden.sh [path/to/accsim]   (default: build/accsim)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACCSIM="${1:-build/accsim}"
[ -x "$ACCSIM" ] || { echo "update_golden: $ACCSIM not found; build first (scripts/test.sh)" >&2; exit 2; }
mkdir -p tests/golden/data
while read -r name args; do
  case "$name" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086  # the case line is a word list on purpose
  "$ACCSIM" $args --format json >"tests/golden/data/$name.json"
  echo "updated tests/golden/data/$name.json"
done <tests/golden/cases.txt
git --no-pager diff --stat -- tests/golden/data 2>/dev/null || true
