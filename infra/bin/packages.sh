#!/usr/bin/env bash
# Installs the Debian packages the stack runs beside the JVMs, when they are missing:
#   infra/bin/packages.sh nginx [prometheus chromium ...]
# Used by ./chat up and .ci/run, so a fresh machine and CI get the same packages. Only the Debian
# archive is contacted. Debian's packages start their service on install; a policy-rc.d refuses
# that here (the stack runs its own nginx on its own ports, never one on port 80, and its own
# Prometheus with its own configuration and data under .local/, never Debian's service).
set -euo pipefail

missing=()
for package in "$@"; do
  case $package in
    nginx) [[ -x /usr/sbin/nginx || -x /usr/bin/nginx ]] || missing+=(nginx) ;;
    prometheus) [[ -x /usr/bin/prometheus ]] || missing+=(prometheus) ;;
    # The web client's browser tests; without recommends, Chromium would draw text in no font.
    chromium) [[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-dejavu-core) ;;
    *) dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package") ;;
  esac
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "packages.sh: installing ${missing[*]} needs root (or sudo)" >&2; exit 1; }
  sudo=(sudo)
fi
echo "installing Debian packages: ${missing[*]}"
policy=/usr/sbin/policy-rc.d
created_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  created_policy=true
fi
trap '[[ $created_policy == true ]] && "${sudo[@]}" rm -f "$policy"' EXIT
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
