#!/usr/bin/env bash
# Installs Centrifugo v6.9.1 (a peer the load generator compares our gateway with; measured only,
# never shipped) into the project-local cache with `go install`, from its Go module source.
#
# Builds only when the binary is missing (a few minutes on 2 cores, cold). Prints the binary path
# on stdout; progress goes to stderr.
set -euo pipefail

VERSION=v6.9.1
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
DIR=${CHAT_CACHE_DIR:-$ROOT/.local/cache}/centrifugo-$VERSION
BIN=$DIR/centrifugo

if [[ -x $BIN ]]; then
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || { echo "build-centrifugo: Go is required to build Centrifugo $VERSION" >&2; exit 1; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOTELEMETRY=off CGO_ENABLED=0
mkdir -p "$DIR"
# A concurrent build (two test JVMs, or ./chat bench next to a test) waits for this one.
exec 9>"$DIR/.build.lock"
flock 9
if [[ -x $BIN ]]; then
  echo "$BIN"
  exit 0
fi
echo "build-centrifugo: building Centrifugo $VERSION with go install (a few minutes cold)" >&2
GOBIN=$DIR go install "github.com/centrifugal/centrifugo/v6@$VERSION"
[[ -x $BIN ]] || { echo "build-centrifugo: go install left no binary at $BIN" >&2; exit 1; }
echo "$BIN"
