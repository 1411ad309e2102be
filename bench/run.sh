#!/usr/bin/env bash
# Runs every benchmark against the build in $1 (default: build). Prints figures and ratios.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b"
done
# Python benchmarks, with the project's venv and the module built in $build.
if [ -x "$build/venv/bin/python" ] && [ -d "$build/bindings/python/townhall" ]; then
  for b in bench/bench_*.py; do
    [ -f "$b" ] || continue
    echo "== $(basename "$b")"
    PYTHONPATH="$build/bindings/python" "$build/venv/bin/python" "$b"
  done
fi
