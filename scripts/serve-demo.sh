#!/usr/bin/env bash
# `make serve`: starts Townhall on 127.0.0.1 with an embedded database, seeded with demo data on
# first run, and prints the URL, a fresh officer token and the staff console's sign-ins (users
# demo.officer and demo.governance, new random passwords each start). Stop it with Ctrl-C.
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
# The console's demo staff, an engagement officer and a governance officer: made on first run,
# given new passwords on every later one.
staff_account() {  # role, user name, name; prints the password
  local password
  password=$(head -c 15 /dev/urandom | base64 | tr '+/' '-_')
  if ! printf '%s\n' "$password" | "$cli" users add --db "$db" --role "$1" --name "$3" \
         --username "$2" --email "$2@example.gov.uk" --password-stdin >/dev/null 2>&1; then
    printf '%s\n' "$password" | "$cli" users password --db "$db" --username "$2" --password-stdin >/dev/null
  fi
  printf '%s' "$password"
}
officer_password=$(staff_account officer demo.officer "Demo officer (console)")
governance_password=$(staff_account governance demo.governance "Demo governance officer (console)")
cat <<MSG

  Townhall is starting on http://127.0.0.1:$port  (database $db)

  Officer token:   $token
  Try:             curl http://127.0.0.1:$port/api/v1/consultations
                   curl -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/consultations?status=draft"
  API description: http://127.0.0.1:$port/api/v1/openapi.json

  Staff console:   http://127.0.0.1:$port/staff/sign-in
                   engagement officer:  user name demo.officer     password $officer_password
                   governance officer:  user name demo.governance  password $governance_password

MSG
# The sample council configuration names the council and gives its accessibility statement and
# privacy notice (schemas/council-config.schema.json); a council ships its own.
exec "$cli" serve --db "$db" --port "$port" --bind 127.0.0.1 --council-config "$(dirname "$0")/../config/council.sample.json"
