# Sourced by ./chat and .ci/run: exports JAVA_HOME as the newest JDK 21+ on the machine
# (the newest JDK wins: Keycloak 26 and the build need 21 or later, the default java may be 17).
# CHAT_JAVA_HOME, when set, is taken as it is.

jdk_major() { # prints the major version of the JDK at $1, or nothing
  local release=$1/release
  [[ -x $1/bin/javac && -f $release ]] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

pick_jdk() {
  if [[ -n ${CHAT_JAVA_HOME:-} ]]; then
    echo "$CHAT_JAVA_HOME"
    return
  fi
  local best="" best_major=0 candidate major
  for candidate in ${JAVA_HOME:-} /usr/lib/jvm/* /opt/java/* /usr/local/java/* "$HOME"/.sdkman/candidates/java/*; do
    [[ -d $candidate ]] || continue
    major=$(jdk_major "$candidate")
    if [[ -n $major && $major -gt $best_major ]]; then
      best=$candidate best_major=$major
    fi
  done
  if (( best_major < 21 )); then
    echo "no JDK 21 or newer found (looked in \$JAVA_HOME and /usr/lib/jvm); install one, or set CHAT_JAVA_HOME" >&2
    return 1
  fi
  echo "$best"
}

JAVA_HOME=$(pick_jdk) || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
