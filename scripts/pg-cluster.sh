#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in a directory of its own, for tests and for trying Townhall on
# PostgreSQL by hand:
#
#   scripts/pg-cluster.sh start DIR   # initdb (when DIR has no cluster yet) and pg_ctl start;
#                                     # prints the database URL on the last line of its output
#   scripts/pg-cluster.sh url DIR     # prints the URL of the cluster in DIR
#   scripts/pg-cluster.sh stop DIR    # pg_ctl stop (fast); DIR is kept
#   scripts/pg-cluster.sh destroy DIR # stop, then remove DIR
#
# `start` also writes the URL to DIR/url. It exits with status 3 (and changes nothing) when no
# PostgreSQL server binaries are installed, so callers can tell that apart from a failure.
# The server listens on a Unix socket in DIR only (no TCP at all), trusts local connections (it is
# reachable only through DIR, which only its owner and root can enter) and is started as an
# unprivileged user: as the caller when that is not root; as root, as the `postgres` user of
# Debian's package (or `nobody`), to whom DIR is given. The binaries are Debian's PostgreSQL 15
# (scripts/install-deps.sh installs them); PG_BINDIR overrides where they are looked for.
set -euo pipefail

usage() { echo "usage: $0 start|stop|destroy|url DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  for v in 15 16 17 14 13; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then bindir=/usr/lib/postgresql/$v/bin; break; fi
  done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  if [ "$cmd" = destroy ]; then rm -rf "$dir"; exit 0; fi
  echo "pg-cluster: no PostgreSQL server binaries (initdb, pg_ctl) found; run scripts/install-deps.sh" >&2
  exit 3
fi

# Who runs the server: never root (PostgreSQL refuses to).
runas=()
owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
  runas=(runuser -u "$owner" --)
fi

data="$dir/data"
url() {
  # The socket directory as an absolute path, percent-encoding what a URL query cannot hold.
  local abs
  abs=$(cd "$dir" && pwd)
  local enc=${abs//%/%25}
  enc=${enc// /%20}
  enc=${enc//&/%26}
  echo "postgresql:///postgres?host=$enc&user=$owner"
}

# A database named townhall, owned by the caller's own role (as root too: the server runs as
# another user, but root may connect as "root"), so the README's
# `townhall serve --db 'postgresql:///townhall?host=DIR' --create` works as it stands.
townhall_database() {
  local me socket
  me=$(id -un)
  socket=$(cd "$dir" && pwd)
  local psql=("${runas[@]}" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket" -U "$owner" -d postgres)
  if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$me'")" != 1 ]; then
    "${psql[@]}" -c "CREATE ROLE \"$me\" LOGIN CREATEDB" >/dev/null
  fi
  if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'townhall'")" != 1 ]; then
    "${psql[@]}" -c "CREATE DATABASE townhall OWNER \"$me\"" >/dev/null
  fi
  echo "pg-cluster: Townhall's database: postgresql:///townhall?host=$socket" >&2
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$dir"; fi
    chmod 700 "$dir"
    if [ -f "$data/postmaster.pid" ] && "${runas[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      townhall_database
      url | tee "$dir/url"  # already running (a run before this one did not stop it)
      exit 0
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      "${runas[@]}" "$bindir/initdb" -D "$data" --auth=trust --username="$owner" --encoding=UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # No TCP listener; the socket lives in DIR. fsync stays on: the tests check what a commit keeps.
    "${runas[@]}" "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$(cd "$dir" && pwd)' -c max_connections=200 -c shared_buffers=64MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    townhall_database
    url | tee "$dir/url"
    ;;
  stop)
    if [ -f "$data/postmaster.pid" ]; then
      "${runas[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    ;;
  destroy)
    if [ -f "$data/postmaster.pid" ]; then
      "${runas[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  url) url ;;
  *) usage ;;
esac
