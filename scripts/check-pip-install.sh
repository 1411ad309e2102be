#!/usr/bin/env bash
# Manual check (not run by `make test`: it compiles the core again, ~2–4 minutes on 2 cores):
# `pip install .` into a fresh plain venv, then import townhall and use it.
# Build requirements come from PyPI, pinned by constraints.txt (PIP_CONSTRAINT).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-$(mktemp -d)/venv}
"${PYTHON:-python3}" -m venv "$venv"
export PIP_CONSTRAINT="$PWD/constraints.txt" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
"$venv/bin/python" -m pip install -q --disable-pip-version-check .
cd /
"$venv/bin/python" - <<'PY'
import datetime as dt
import townhall
plan = townhall.plan_close(dt.date(2025, 12, 1))
assert plan.close == dt.date(2026, 1, 25), plan
print("pip install . OK:", townhall.__file__, plan)
PY
