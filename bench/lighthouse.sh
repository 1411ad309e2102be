#!/usr/bin/env bash
# Lighthouse (pinned in bench/lighthouse/package.json) against the residents' pages of a demo
# database, with Debian's Chromium and Lighthouse's default mobile profile (simulated slow 4G and a
# 4x slower CPU): the hub, a consultation page and a question page, each in en-GB and ar. Prints
# performance, accessibility, cumulative layout shift, first contentful paint and bytes moved per
# page; the JSON reports stay in the output folder (default build/lighthouse).
#
#   bench/lighthouse.sh [build-dir] [out-dir]
#
# Lighthouse 13 needs Node 22; Debian bookworm has Node 18/20, so 12.2.3 it is. Talks only to
# 127.0.0.1.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
out=${2:-$build/lighthouse}
cli="$build/cli/townhall"
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$cli" ] || { echo "lighthouse: $cli is missing (make build)" >&2; exit 1; }
[ -x "$chromium" ] || { echo "lighthouse: $chromium is missing (scripts/install-deps.sh)" >&2; exit 1; }
(cd bench/lighthouse && want=$(sha256sum package-lock.json | cut -d' ' -f1) &&
  if [ "$(cat node_modules/.townhall-stamp 2>/dev/null)" != "$want" ]; then
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && echo "$want" > node_modules/.townhall-stamp
  fi)
mkdir -p "$out"
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
"$cli" demo seed --db "$work/demo.db" >/dev/null
"$cli" serve --db "$work/demo.db" --port 0 --bind 127.0.0.1 >"$work/serve.log" 2>&1 &
server=$!
base=
for _ in $(seq 100); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -1 || true)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { echo "lighthouse: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
# The first open consultation in the hub's list, and its first question.
id=$(curl -sf "$base/api/v1/consultations?status=open" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
printf '%-28s %5s %5s %7s %7s %9s\n' page perf a11y CLS "FCP ms" "KiB moved"
for lang in en-GB ar; do
  for page in hub:/ consultation:/consultations/$id question:/consultations/$id/questions/1; do
    name=${page%%:*}
    url="$base/$lang${page#*:}"
    report="$out/$name-$lang.json"
    bench/lighthouse/node_modules/.bin/lighthouse "$url" --quiet --chrome-path="$chromium" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking" \
      --only-categories=performance,accessibility --output=json --output-path="$report" >/dev/null 2>"$work/lh.log" ||
      { echo "lighthouse failed on $url:" >&2; cat "$work/lh.log" >&2; exit 1; }
    python3 - "$report" "$name $lang" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a, c = r["audits"], r["categories"]
print("%-28s %5.0f %5.0f %7.3f %7.0f %9.1f" % (
    sys.argv[2], c["performance"]["score"] * 100, c["accessibility"]["score"] * 100,
    a["cumulative-layout-shift"]["numericValue"], a["first-contentful-paint"]["numericValue"],
    a["total-byte-weight"]["numericValue"] / 1024))
for k, v in a.items():
    if v.get("score") is not None and v["score"] < 0.9 and v.get("scoreDisplayMode") in ("binary", "numeric") and k in (
            "target-size", "color-contrast", "cumulative-layout-shift", "render-blocking-resources", "uses-text-compression",
            "uses-long-cache-ttl", "font-display", "unsized-images", "document-title", "html-has-lang"):
        print("    %s: %s" % (k, v.get("displayValue") or v["title"]))
PY
  done
done
