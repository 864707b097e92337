#!/usr/bin/env bash
# Installs Centrifugo v6.9.1 (a peer the load generator compares our gateway with; measured only,
# never shipped) into the project-local cache with `go install`, from its Go module source.
#
# Builds only when the binary is missing, or is not v6.9.1 (a few minutes on 2 cores, cold). The
# version is stamped as Centrifugo's release build does (-X .../internal/build.Version); the usage
# stats endpoint is not (a plain go install leaves it empty), and config.json disables them anyway.
# Prints the binary path on stdout; progress goes to stderr.
set -euo pipefail

VERSION=v6.9.1
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
DIR=${CHAT_CACHE_DIR:-$ROOT/.local/cache}/centrifugo-$VERSION
BIN=$DIR/centrifugo

built() { [[ -x $BIN ]] && "$BIN" version 2>/dev/null | grep -q "^Centrifugo ${VERSION} "; }

if built; then
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || { echo "build-centrifugo: Go is required to build Centrifugo $VERSION" >&2; exit 1; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOTELEMETRY=off CGO_ENABLED=0
mkdir -p "$DIR"
# A concurrent build (two test JVMs, or ./chat bench next to a test) waits for this one.
exec 9>"$DIR/.build.lock"
flock 9
if built; then
  echo "$BIN"
  exit 0
fi
echo "build-centrifugo: building Centrifugo $VERSION with go install (a few minutes cold)" >&2
GOBIN=$DIR go install -ldflags "-X github.com/centrifugal/centrifugo/v6/internal/build.Version=${VERSION#v}" \
  "github.com/centrifugal/centrifugo/v6@$VERSION"
built || { echo "build-centrifugo: go install left no Centrifugo $VERSION at $BIN" >&2; exit 1; }
echo "$BIN"
