#!/usr/bin/env bash
# `make serve`: starts Townhall on 127.0.0.1 with an embedded database, seeded with demo data on
# first run, and prints the URL and a fresh officer token. Stop it with Ctrl-C.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
db=${TOWNHALL_DEMO_DB:-$build/demo.db}
port=${PORT:-8080}
cli="$build/cli/townhall"
if [ ! -f "$db" ]; then
  "$cli" demo seed --db "$db" >/dev/null
fi
token=$("$cli" users add --db "$db" --role officer --name "Demo officer" 2>/dev/null)
cat <<MSG

  Townhall is starting on http://127.0.0.1:$port  (database $db)

  Officer token:   $token
  Try:             curl http://127.0.0.1:$port/api/v1/consultations
                   curl -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/consultations?status=draft"
  API description: http://127.0.0.1:$port/api/v1/openapi.json

MSG
exec "$cli" serve --db "$db" --port "$port" --bind 127.0.0.1
