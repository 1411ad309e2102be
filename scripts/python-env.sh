#!/usr/bin/env bash
# Creates (or refreshes) the project's Python virtual environment with the pinned test packages.
# Usage: scripts/python-env.sh [VENV_DIR]   (default build/venv). Prints the venv's python path.
# Idempotent: reinstalls only when requirements-dev.txt or constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-build/venv}
python=${PYTHON:-python3}
stamp="$venv/.townhall-stamp"
want=$(cat requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv" >&2
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt >&2
  echo "$want" > "$stamp"
fi
echo "$(cd "$venv" && pwd)/bin/python"
