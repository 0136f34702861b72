#!/usr/bin/env bash
# Runs cs.jar with an application class-data sharing archive (AppCDS), so a short command such as
# `cs run DIR` loads its classes mapped from the archive instead of parsing them: about half the CPU
# of a cold start. Usage: scripts/cs-cds.sh run ./hello [options...] (any cs command works).
# The archive (cli/target/cs.jsa) is made on first use, and again whenever cs.jar is newer, by one
# `cs run` of a one-line function; the JVM checks the class path and ignores a stale archive anyway.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/cli/target/cs.jar"
jsa="$root/cli/target/cs.jsa"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$jar" ] || { echo "cs-cds: $jar is missing; run mvn -B -q -DskipTests package" >&2; exit 2; }
if [ ! -f "$jsa" ] || [ "$jar" -nt "$jsa" ]; then
  training="$(mktemp -d)"
  trap 'rm -rf "$training"' EXIT
  printf '%s\n' "export const handler = (e) => { console.log('training'); return { statusCode: 200, body: 'ok' }; };" \
    > "$training/index.mjs"
  echo "cs-cds: writing the class-data archive $jsa (once per build)" >&2
  "$java" -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" run "$training" > /dev/null 2>&1 \
    || { echo "cs-cds: the training run failed; running without the archive" >&2; rm -f "$jsa"; }
fi
if [ -f "$jsa" ]; then
  exec "$java" -XX:SharedArchiveFile="$jsa" -Xshare:auto -jar "$jar" "$@"
fi
exec "$java" -jar "$jar" "$@"
