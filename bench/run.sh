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
