# Sourced by ./mvnw (POSIX sh). websock needs JDK 25 or later; the default `java` on many machines is older.
# Keeps JAVA_HOME when it already points at JDK 25+, else looks in the usual install locations, else stops
# at once with a message saying what to install. Prints nothing when JAVA_HOME is already right.

websock_java_major() {
  # $1: a JDK home. Prints its feature version (25 for "25.0.3"), or nothing when it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}

websock_find_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    major=$(websock_java_major "$JAVA_HOME")
    [ -n "$major" ] && [ "$major" -ge 25 ] && return 0
  fi
  set +f # mvnw runs with globbing off; the search below needs it
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/* \
      /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    major=$(websock_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      JAVA_HOME=$candidate
      export JAVA_HOME
      set -f
      return 0
    fi
  done
  echo "websock needs a JDK 25 or later, and none was found (JAVA_HOME='${JAVA_HOME-}')." >&2
  echo "Install one (for example Temurin 25 from adoptium.net or your package manager)" >&2
  echo "and set JAVA_HOME to it, then run this command again." >&2
  exit 1
}

websock_find_jdk
