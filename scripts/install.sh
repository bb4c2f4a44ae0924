#!/usr/bin/env bash
# Installs what the bot and its tests need on a fresh Debian machine with Node 20, as root:
# Debian's redis-server when it is missing, then the exact npm tree from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  echo "installing redis-server (Debian package)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi

npm ci --no-audit --no-fund
