#!/usr/bin/env bash
# Runs cs.jar on a JVMCI JDK (JDK 25) with the Graal compiler, so GraalJS compiles hot functions
# to machine code instead of interpreting them. Usage: scripts/cs-jit.sh server [options...]
# The JDK is $CODESOUS_JIT_JDK, else $JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64; its
# update must be the one of the compiler jars in cli/target/jvmci (the graalvm.version of pom.xml).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jdk="${CODESOUS_JIT_JDK:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}"
java="$jdk/bin/java"
[ -x "$java" ] || { echo "cs-jit: no java at $java (set CODESOUS_JIT_JDK to a JDK 25)" >&2; exit 2; }
[ -d "$root/cli/target/jvmci" ] || { echo "cs-jit: cli/target/jvmci is missing; run mvn -DskipTests package" >&2; exit 2; }
exec "$java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI \
  --upgrade-module-path="$root/cli/target/jvmci" --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow \
  -jar "$root/cli/target/cs.jar" "$@"
