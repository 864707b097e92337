#!/usr/bin/env bash
# Lints the repository's docker-compose.yml with dclint (pinned in package.json and
# package-lock.json; from the npm registry only). Exits non-zero on any error or warning.
#   infra/compose/lint.sh
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  echo "lint.sh needs Node.js 20.19+ and npm" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
exec ./node_modules/.bin/dclint ../../docker-compose.yml --max-warnings 0 "$@"
