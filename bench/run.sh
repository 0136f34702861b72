#!/usr/bin/env bash
# Runs the HTTP benchmark (or, with --sandbox, the sandbox-only one; with --bundle, a real npm bundle in the
# sandbox next to Node.js; with --gate, the load gate; with --cadence, Cadence activities end to end); builds it first when the jar is missing or --build is given. --jit runs it on a JVMCI JDK with the Graal compiler (see scripts/cs-jit.sh).
# --schedules N: the scheduler's benchmark (ScheduleBenchmark) with N schedules.
# Every other argument goes to the benchmark (--shapes, --duration, --warmup, --concurrency, --rate, --redis).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/target/bench.jar"

build=false
main=
jit=()
args=()
opens=false
for arg in "$@"; do
  if [[ "$arg" == "--build" ]]; then
    build=true
  elif [[ "$arg" == "--sandbox" ]]; then
    # the sandbox on its own (no HTTP, queue or store): SandboxBenchmark's options follow
    main=io.codesous.bench.SandboxBenchmark
  elif [[ "$arg" == "--bundle" ]]; then
    # bundles/dist/popular.mjs (date-fns, zod, hono, jose, uuid) in the sandbox, per isolation, and in Node.js
    main=io.codesous.bench.BundleBenchmark
    (cd "$root" && bash bundles/build.sh)
    args+=(--bundle "$root/bundles/dist/popular.mjs" --node "$root/bench/node-bundle.mjs")
  elif [[ "$arg" == "--module-cost" ]]; then
    # the popular bundle's first activation phase by phase (context, parse, evaluation, first call), CPU per phase
    main=io.codesous.bench.ModuleCost
    (cd "$root" && bash bundles/build.sh)
    args+=(--bundle "$root/bundles/dist/popular.mjs")
  elif [[ "$arg" == "--context-cost" ]]; then
    # what a fresh context costs before function code: the realm, then the runtime's script installed
    main=io.codesous.bench.ContextCost
  elif [[ "$arg" == "--limits" ]]; then
    # how each sandbox limit ends a misbehaving function, and how fast
    main=io.codesous.bench.LimitsBenchmark
  elif [[ "$arg" == "--gate" ]]; then
    # the load gate: HTTP invokes, schedule ticks and Cadence activities together on Redis + Kafka, then
    # the loss and queue-lag checks, against the lag threshold of deploy/prometheus/alerts.yml (LoadGate)
    main=io.codesous.bench.LoadGate
    args+=(--alerts "$root/deploy/prometheus/alerts.yml")
    opens=true
  elif [[ "$arg" == "--schedules" ]]; then
    # the scheduler under N schedules ticking every second, embedded and on Redis + Kafka; N is the next argument
    main=io.codesous.bench.ScheduleBenchmark
    args+=("$arg")
  elif [[ "$arg" == "--hops" ]]; then
    # each Redis and Kafka step of an activation on its own, one at a time
    main=io.codesous.bench.HopBenchmark
  elif [[ "$arg" == "--cadence" ]]; then
    # Cadence activities through the whole path, against the Cadence client's in-memory service
    main=io.codesous.bench.CadenceBenchmark
    opens=true
  elif [[ "$arg" == "--store" ]]; then
    # the embedded mode's persistent store engines, RocksDB against H2 MVStore, on the platform's access pattern
    main=io.codesous.bench.store.StoreBenchmark
  elif [[ "$arg" == "--store-cost" ]]; then
    # the on-disk store's CPU per activation: the four store calls of a synchronous invoke (ActivationStoreCost)
    main=io.codesous.bench.store.ActivationStoreCost
  elif [[ "$arg" == "--jit" ]]; then
    # GraalJS compiled by the Graal compiler on a JVMCI JDK, as scripts/cs-jit.sh runs the server
    jdk="${CODESOUS_JIT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
    jit=("$jdk/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI
      "--upgrade-module-path=$root/cli/target/jvmci" --enable-native-access=ALL-UNNAMED
      --sun-misc-unsafe-memory-access=allow)
  else
    args+=("$arg")
  fi
done

if [[ "$build" == true || ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -DskipTests -pl bench -am package)
fi

# A pre-sized heap, so early heap growth does not land in the measured window.
if [[ ${#jit[@]} -gt 0 && ! -d "$root/cli/target/jvmci" ]]; then
  (cd "$root" && mvn -B -q -DskipTests -pl cli -am package)
fi
java_cmd=(java)
[[ ${#jit[@]} -gt 0 ]] && java_cmd=("${jit[@]}")
# The Cadence client's workflow worker turns a failed activity into the workflow's exception by reflection on
# Throwable.cause (CheckedExceptionWrapper); on JDK 17 without this, that class fails to load and every decision
# task of a workflow whose activity failed or timed out fails again, in a loop that never ends the workflow.
[[ "$opens" == true ]] && java_cmd+=(--add-opens java.base/java.lang=ALL-UNNAMED)
if [[ -n "$main" ]]; then
  exec "${java_cmd[@]}" -Xms512m -Xmx2g -cp "$jar" "$main" ${args[@]+"${args[@]}"}
fi
exec "${java_cmd[@]}" -Xms512m -Xmx2g -jar "$jar" ${args[@]+"${args[@]}"}
