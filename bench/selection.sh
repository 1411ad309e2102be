#!/usr/bin/env bash
# Panel-selection benchmark with the Sortition Foundation's library as the baseline.
# Creates build/sf-venv with sortition-algorithms + highspy pinned in constraints.txt (once), then
# runs build/bench/bench_selection from the repo root. Extra arguments go to bench_selection
# (e.g. --only geneva_30, --no-baseline, --scale for generated pools of 2 000 to 20 000 volunteers;
# TOWNHALL_SF_TIMEOUT=600 keeps the --scale run within an hour).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
venv="$build/sf-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sortition_algorithms, highspy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -c constraints.txt sortition-algorithms highspy
fi
TOWNHALL_SF_PYTHON="$venv/bin/python" TOWNHALL_SHARED_DATA_DIR="${TOWNHALL_SHARED_DATA_DIR:-../shared/data}" \
  "$build/bench/bench_selection" "$@"
