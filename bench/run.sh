#!/usr/bin/env bash
# Runs the HTTP benchmark; builds it first when the jar is missing or --build is given.
# Every other argument goes to the benchmark (--shapes, --duration, --warmup, --concurrency, --rate, --redis).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/target/bench.jar"

build=false
args=()
for arg in "$@"; do
  if [[ "$arg" == "--build" ]]; then
    build=true
  else
    args+=("$arg")
  fi
done

if [[ "$build" == true || ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -DskipTests -pl bench -am install)
fi

# A pre-sized heap, so early heap growth does not land in the measured window.
exec java -Xms512m -Xmx2g -jar "$jar" ${args[@]+"${args[@]}"}
