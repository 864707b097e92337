#!/usr/bin/env bash
# Installs the Socket.IO peer's pinned dependencies (package-lock.json) with `npm ci`, only when
# node_modules is missing or older than the lock file. Prints the folder holding server.js.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
cd "$DIR"
command -v node >/dev/null || { echo "install-socketio: Node.js is required for the Socket.IO peer" >&2; exit 1; }
command -v npm >/dev/null || { echo "install-socketio: npm is required for the Socket.IO peer" >&2; exit 1; }
exec 9>"$DIR/.install.lock"
flock 9
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "install-socketio: npm ci in $DIR" >&2
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2
fi
echo "$DIR"
