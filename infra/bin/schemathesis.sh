#!/usr/bin/env bash
# Installs Schemathesis (from PyPI, the version pinned here) into a virtual environment under
# .local/tools, once, and prints the path of its command:
#   infra/bin/schemathesis.sh        -> .local/tools/schemathesis-4.32.5/bin/schemathesis
# Used by the API fuzzing test (infra/e2e ApiFuzzIntegrationTests) and by .ci/run. Only PyPI is
# contacted; Schemathesis 4 sends nothing anywhere but to the API under test.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=4.32.5
venv=.local/tools/schemathesis-$version
if [[ ! -x $venv/bin/schemathesis ]]; then
  command -v python3 >/dev/null || { echo "schemathesis.sh: python3 is required" >&2; exit 1; }
  rm -rf "$venv"
  mkdir -p .local/tools
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
fi
echo "$PWD/$venv/bin/schemathesis"
