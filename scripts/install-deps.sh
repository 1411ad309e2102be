#!/usr/bin/env bash
# Installs the Debian packages Townhall builds against. Idempotent: only missing packages are
# installed, and `apt-get update` runs only when something is missing. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libsqlitecpp-dev libsqlite3-dev nlohmann-json3-dev libvalijson-dev
  libicu-dev libgtest-dev libgmock-dev libssl-dev
  coinor-libclp-dev coinor-libcbc-dev
  pybind11-dev python3-dev
  libkainjow-mustache-dev chromium fonts-noto-core sqlite3
  libsodium-dev
  # The staff console's Excel export of a consultation's responses.
  libxlsxwriter-dev
  # The PostgreSQL store (libpq) and a throwaway PostgreSQL 15 cluster for its tests (scripts/pg-cluster.sh).
  libpq-dev postgresql
  # Delivering the email outbox: SMTP (with STARTTLS) and the GOV.UK Notify API.
  libcurl4-openssl-dev
  # gzip for the server's text responses and static assets.
  zlib1g-dev
  # XLIFF 2.0 translation files are read with libxml2 (no network, no DTD, no entity expansion).
  libxml2-dev
  # libFuzzer targets (make fuzz-smoke, make fuzz) are built with clang.
  clang-14 libclang-rt-14-dev
  # The Python wheel (scripts/check-pip-install.sh) reuses make's compiled objects through ccache.
  ccache
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js and npm for the web pages' assets and browser tests (scripts/web-deps.sh); a machine that
# already has them from elsewhere (e.g. NodeSource) keeps its own.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
