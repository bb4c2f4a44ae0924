#!/usr/bin/env bash
# Installs what the bot and its tests need on a fresh Debian machine with Node 20, as root:
# Debian's redis-server, postgresql (the tests start a private cluster with its initdb and pg_ctl),
# chromium (the browser test) and a Chinese font (readable screenshots) when they are missing, then
# the exact npm tree from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# Debian keeps initdb off PATH, under /usr/lib/postgresql/<version>/bin.
command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
