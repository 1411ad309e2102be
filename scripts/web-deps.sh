#!/usr/bin/env bash
# Installs the web pages' npm packages (web/package-lock.json): GOV.UK Frontend, whose precompiled
# CSS/JS/fonts/images `townhall serve` serves under /assets/, and the browser-test tools
# (playwright-core, @axe-core/playwright). Idempotent: `npm ci` runs only when the lock file changed.
# No browser is ever downloaded: the tests drive Debian's chromium (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null; then
  echo "web-deps: npm is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
want=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.townhall-stamp
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "web-deps: npm packages present"
  exit 0
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
