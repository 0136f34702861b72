#!/usr/bin/env bash
# Runs the runtime's tests that only mean something where GraalJS compiles (GuestCompilationTest) on a JVMCI JDK
# with the Graal compiler, as bin/cs runs the server, and requires the compiler there: on this JDK they may not be
# skipped. `mvn -B verify` runs them first on the default JDK, where they are skipped. The same JDK runs the tests
# of WebAssembly, which GraalWasm runs from Java 21 on (WebAssemblyTest, and the hash-wasm bundle of
# WebFunctionsTest through the embedded platform): skipped on Java 17, they may not be skipped here either.
# The JDK is $CODESOUS_JIT_JDK, else /usr/lib/jvm/temurin-25-jdk-amd64; cli/target/jvmci must exist
# (mvn -B -DskipTests package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jdk="${CODESOUS_JIT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$jdk/bin/java" ] || { echo "jit-tests: no java at $jdk/bin/java (set CODESOUS_JIT_JDK to a JDK 25)" >&2; exit 2; }
[ -d "$root/cli/target/jvmci" ] || { echo "jit-tests: cli/target/jvmci is missing; run mvn -B -DskipTests package" >&2; exit 2; }
cd "$root"
mvn -B -q -pl runtime-js test -Dtest='GuestCompilationTest,WebAssemblyTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Djvm="$jdk/bin/java" \
  -Dtest.jvmFlags="-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=$root/cli/target/jvmci
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dcodesous.test.compiler=required"
mvn -B -q -pl verticles -am test -Dtest=WebFunctionsTest -Dsurefire.failIfNoSpecifiedTests=false -Djvm="$jdk/bin/java"
for report in runtime-js/target/surefire-reports/TEST-io.codesous.runtime.GuestCompilationTest.xml \
    verticles/target/surefire-reports/TEST-io.codesous.platform.WebFunctionsTest.xml; do
  grep -q 'skipped="0"' "$report" || { echo "jit-tests: tests were skipped on $jdk ($report)" >&2; exit 1; }
done
# on this JDK only the test for older JVMs is skipped
grep -q 'skipped="1"' runtime-js/target/surefire-reports/TEST-io.codesous.runtime.WebAssemblyTest.xml \
  || { echo "jit-tests: WebAssemblyTest skipped more than its test for older JVMs on $jdk" >&2; exit 1; }
echo "jit-tests: GuestCompilationTest, WebAssemblyTest and WebFunctionsTest passed on $("$jdk/bin/java" -version 2>&1 | head -n 1)"
