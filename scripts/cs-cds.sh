#!/usr/bin/env bash
# Writes the application class-data sharing archive (AppCDS) of cs.jar, cli/target/cs.jsa, then runs bin/cs with
# the arguments given, if any. bin/cs maps a short command's classes from the archive (when it is there and newer
# than cs.jar) instead of parsing them: about a third less CPU for `cs run` (README "Local runs").
# Usage: scripts/cs-cds.sh [run ./hello [options...]]   (once per build; any cs command works after it).
# The archive is made again whenever cs.jar is newer, by one `cs run` of a one-line function; the JVM checks the
# class path and ignores a stale archive anyway.
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
  # the flags bin/cs gives a short command, so the archive matches the runs that map it
  "$java" -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" run "$training" > /dev/null 2>&1 \
    || { echo "cs-cds: the training run failed; bin/cs runs without the archive" >&2; rm -f "$jsa"; }
fi
[ $# -eq 0 ] || exec "$root/bin/cs" "$@"
