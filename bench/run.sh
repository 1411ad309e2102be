#!/usr/bin/env bash
# Runs every benchmark against the build in $1 (default: build). Prints figures and ratios.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  case "$(basename "$b")" in
    # Five alternating health/POST rounds of 5 s each: the ratio target judged on the median.
    bench_server) "$b" --rounds 5 --seconds 5 ;;
    *) "$b" ;;
  esac
done
# Python benchmarks, with the project's venv and the module built in $build.
if [ -x "$build/venv/bin/python" ] && [ -d "$build/bindings/python/townhall" ]; then
  for b in bench/bench_*.py; do
    [ -f "$b" ] || continue
    echo "== $(basename "$b")"
    PYTHONPATH="$build/bindings/python" "$build/venv/bin/python" "$b"
  done
fi
