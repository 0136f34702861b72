#!/usr/bin/env bash
# CPU microseconds per request of the embedded server (`cs server`, KV on disk, in-JVM queue) serving a hello
# function under wrk, next to workerd (from the npm registry) serving the same hello, in one run.
#
# Why CPU per request: on a machine shared with other work, req/s follows whatever else runs; the server's own CPU
# time (utime + stime of its process, from /proc, JIT and GC threads included) divided by the requests it answered
# is the figure that survives. The server is pinned to one core (SERVER_CPU) and wrk to the other (CLIENT_CPU).
#
# Each run measures two windows of MEASURE seconds under closed-loop load (wrk, CONNS connections): one after
# EARLY seconds of load (what a freshly started invoker pays while the JIT still compiles) and one after LATE
# seconds (closer to steady state). Targets run one at a time, interleaved, REPS times; the table gives the median
# and the range over the repetitions.
#
# FUNCTION=popular serves bundles/dist/popular.mjs instead of hello (the >= 1 MB esbuild bundle of date-fns, zod,
# hono, jose and uuid; bundles/build.sh makes it when missing), and replaces workerd with Node.js serving the same
# file (bench/node-server.mjs: imported once, handler called per request), the reference for a real bundle.
# JVMS picks the JVMs code-sous runs on: jdk17 (the default java, GraalJS interpreted) and jit (JDK 25 with the
# Graal compiler, as scripts/cs-jit.sh runs it; needs cli/target/jvmci next to the jar), both with SERVER_JAVA_OPTS;
# bin-cs starts the jar's tree's bin/cs server as a user does, with the JVM, heap and collector it picks.
# BACKENDS=redis-kafka runs code-sous on Redis (REDIS_URI, the one already running) and a Kafka broker in a JVM of its
# own (bench's KafkaBrokerMain, pinned to the server's core): CPU per request is then the sum over the three
# processes (server, broker, redis-server), each tenant's keys are removed afterwards. workerd and Node.js stay as
# they are; they have no backends.
# Besides CPU per request, each row gives the part of it the JVM's compiler threads spent (HotSpot's C1 and C2,
# JVMCI's and Truffle's: compiling, not serving; a lower bound, as a compiler thread that ends inside the window is
# not counted), wrk's p50 and p99 latency in the window, the peak RSS and, once per server, the first invoke after
# publish: from the publish call's answer to the first 200.
#
# Usage: bench/cpu-per-request.sh                        # this tree's cli/target/cs.jar, warm and strict, + workerd
#        JARS="before=/tmp/a/cs.jar after=cli/target/cs.jar" REPS=5 bench/cpu-per-request.sh   # an A/B
#        FUNCTION=popular JVMS="jdk17 jit" REPS=1 bench/cpu-per-request.sh                      # a real bundle
# Env:   JARS ("cs=<this tree>/cli/target/cs.jar")  ISOLATIONS ("warm strict")  FUNCTION (hello|popular)
#        JVMS (jdk17)  REPS (3)  CONNS (16)  EARLY (20)  LATE (60)  MEASURE (15)
#        WORKERD (1 for hello: include workerd)  NODE (1 for popular: include Node.js)  WORKERD_VERSION (1.20261117.1)
#        SERVER_JAVA_OPTS ("-Xms64m -Xmx512m", the heap bin/cs gives a server; for popular "-Xms512m -Xmx1g")  SERVER_CPU (1)  CLIENT_CPU (0)
#        JIT_JDK (/usr/lib/jvm/temurin-25-jdk-amd64)  WORK (${TMPDIR:-/tmp}/cs-cpu-bench)
#        BACKENDS (embedded | redis-kafka)  REDIS_URI (redis://127.0.0.1:6379)
# Needs: java, wrk, curl, python3, taskset; npm for workerd, node for the Node.js row. Everything listens on
# 127.0.0.1 only; the servers it starts are stopped and their data directories removed on exit, even on Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JARS=${JARS:-"cs=$root/cli/target/cs.jar"}
ISOLATIONS=${ISOLATIONS:-"warm strict"}
FUNCTION=${FUNCTION:-hello}; JVMS=${JVMS:-jdk17}
REPS=${REPS:-3}; CONNS=${CONNS:-16}; EARLY=${EARLY:-20}; LATE=${LATE:-60}; MEASURE=${MEASURE:-15}
JIT_JDK=${JIT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
BACKENDS=${BACKENDS:-embedded}; REDIS_URI=${REDIS_URI:-redis://127.0.0.1:6379}
case $BACKENDS in embedded|redis-kafka) ;; *) echo "BACKENDS must be embedded or redis-kafka" >&2; exit 2 ;; esac
case $FUNCTION in
  hello) WORKERD=${WORKERD:-1}; NODE=${NODE:-0}; SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-"-Xms64m -Xmx512m"} ;;
  popular) WORKERD=${WORKERD:-0}; NODE=${NODE:-1}; SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-"-Xms512m -Xmx1g"} ;;
  *) echo "FUNCTION must be hello or popular" >&2; exit 2 ;;
esac
WORKERD_VERSION=${WORKERD_VERSION:-1.20261117.1}
SERVER_CPU=${SERVER_CPU:-1}; CLIENT_CPU=${CLIENT_CPU:-0}
WORK=${WORK:-${TMPDIR:-/tmp}/cs-cpu-bench}
PORT=${PORT:-28480}
TICK=$(getconf CLK_TCK)
mkdir -p "$WORK"
rows="$WORK/rows.$$"; : > "$rows"
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
# shellcheck source=bench/serving.sh
source "$root/bench/serving.sh"
for tool in wrk curl python3 taskset; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
if [[ $FUNCTION == popular ]]; then
  module="$root/bundles/dist/popular.mjs"
  [[ -f $module ]] || (cd "$root" && bash bundles/build.sh)
  query="orders/7?customer=ada&days=5&locale=de"
else
  module="$WORK/hello.mjs"
  printf '%s\n' 'export async function handler(event, ctx) { return { statusCode: 200, headers: {"content-type": "text/plain"}, body: "hi" }; }' > "$module"
  query=""
fi

server=""
data=""
tenant=""
# with BACKENDS=redis-kafka: the broker's and redis-server's pids, whose CPU counts with the server's
backend_pids=""
broker=""
stop_broker() {
  if [[ -n "$broker" ]]; then kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; broker=""; fi
}
redis_cli() { redis-cli -u "$REDIS_URI" "$@"; }
start_backends() {
  command -v redis-cli >/dev/null || { echo "redis-cli is missing" >&2; exit 1; }
  local redis_pid; redis_pid=$(redis_cli info server | tr -d '\r' | awk -F: '$1 == "process_id" {print $2}')
  [[ -r /proc/$redis_pid/stat ]] || { echo "redis-server (pid '$redis_pid') is not readable here" >&2; exit 1; }
  local bench_jar="$root/bench/target/bench.jar"
  [[ -f $bench_jar ]] || (cd "$root" && mvn -B -q -DskipTests -pl bench -am package)
  taskset -c "$SERVER_CPU" java -Xms256m -Xmx512m -cp "$bench_jar" io.codesous.bench.KafkaBrokerMain \
    < /dev/null > "$WORK/broker.out" 2> "$WORK/broker.log" &
  broker=$!
  local i
  for i in $(seq 1200); do
    grep -q '^bootstrap ' "$WORK/broker.out" 2>/dev/null && break
    kill -0 "$broker" 2>/dev/null || { echo "the Kafka broker exited; see $WORK/broker.log" >&2; exit 1; }
    sleep 0.1
  done
  local servers; servers=$(awk '$1 == "bootstrap" {print $2}' "$WORK/broker.out")
  [[ -n $servers ]] || { echo "the Kafka broker did not start; see $WORK/broker.log" >&2; exit 1; }
  backend_pids="$broker $redis_pid"
  printf 'kv:\n  backend: redis\n  redis:\n    connectionString: %s\ncodeq:\n  backend: kafka\n  kafka:\n    bootstrapServers: %s\n' \
    "$REDIS_URI" "$servers" > "$WORK/redis-kafka.yaml"
  log "Kafka broker at $servers (pid $broker), redis-server pid $redis_pid"
}
stop_server() {
  stop_pid
  if [[ -n "$data" ]]; then rm -rf "$data"; data=""; fi
  if [[ -n "$tenant" && $BACKENDS == redis-kafka ]]; then
    redis_cli --scan --pattern "cs:$tenant:*" | xargs -r -n 500 redis-cli -u "$REDIS_URI" del >/dev/null || true
  fi
  tenant=""
}
trap 'stop_server; stop_broker' EXIT
trap 'exit 130' INT TERM

cpu_ticks() { local pid sum=0; for pid in "$@"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo $sum; }
# "tid ticks" of each JIT compiler thread of $1 (HotSpot's C1/C2, JVMCI's, Truffle's), one per line
jit_ticks() {
  local task
  for task in /proc/"$1"/task/*; do
    grep -qE 'Compiler|JVMCI|Truffle' "$task/comm" 2>/dev/null && awk -v t="${task##*/}" '{print t, $14 + $15}' "$task/stat"
  done 2>/dev/null || true
}
# the ticks the compiler threads in $2 (after) spent since $1 (before); a thread that ended between the two is not
# counted, so this is a lower bound on the JVM with dynamic compiler threads
jit_delta() {
  python3 -c 'import sys
before = dict(l.split() for l in sys.argv[1].splitlines() if l.strip())
print(sum(int(t) - int(before.get(tid, 0)) for tid, t in (l.split() for l in sys.argv[2].splitlines() if l.strip())))' "$1" "$2"
}


# measure TARGET REP FIRST_MS URL [wrk args]: load until EARLY, measure, load until LATE, measure; two rows
measure() {
  local target=$1 rep=$2 first=$3 url=$4; shift 4
  local counted=""; [[ $target != workerd && $target != node ]] && counted=$backend_pids
  load "$EARLY" "$url" "$@" >/dev/null
  local window at=$EARLY
  for window in early late; do
    if [[ $window == late ]]; then
      load $((LATE - EARLY - MEASURE)) "$url" "$@" >/dev/null
      at=$LATE
    fi
    local before after requests p50 p99 jit_before jit
    jit_before=$(jit_ticks "$server")
    # shellcheck disable=SC2086
    before=$(cpu_ticks "$server" $counted)
    read -r requests p50 p99 < <(load "$MEASURE" "$url" "$@")
    # shellcheck disable=SC2086
    after=$(cpu_ticks "$server" $counted)
    jit=$(jit_delta "$jit_before" "$(jit_ticks "$server")")
    local rss; rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
    python3 -c 'import sys; t, r, w, a, b, n, tick, s, rss, p50, p99, first, jit = sys.argv[1:]; n = int(n)
per = lambda ticks: round(int(ticks) * 1e6 / int(tick) / max(n, 1))
print(t, r, w, per(int(b) - int(a)), round(n / float(s)), rss, p50, p99, first, per(jit))' \
      "$target" "$rep" "$window@${at}s" "$before" "$after" "$requests" "$TICK" "$MEASURE" "$rss" "$p50" "$p99" \
      "$first" "$jit" | tee -a "$rows" >&2
  done
}

wait_for() { # URL [curl args]: until it answers 200, at most 120 s
  local i
  for i in $(seq 1200); do
    [[ -n "$server" ]] || return 1
    [[ $(curl -s -m 30 -o /dev/null -w '%{http_code}' "$@") == 200 ]] && return 0
    kill -0 "$server" 2>/dev/null || { log "the server exited"; return 1; }
    sleep 0.1
  done
  log "no 200 from $1"; return 1
}

run_workerd() {
  local bin="$WORK/workerd/node_modules/@cloudflare/workerd-linux-64/bin/workerd"
  if [[ ! -x $bin ]]; then
    log "installing workerd@$WORKERD_VERSION from npm"
    mkdir -p "$WORK/workerd"
    (cd "$WORK/workerd" && { [[ -f package.json ]] || npm init -y >/dev/null; } \
      && npm install --no-fund --no-audit "workerd@$WORKERD_VERSION" >/dev/null 2>&1)
  fi
  printf 'export default { async fetch() { return new Response("hi"); } };\n' > "$WORK/workerd/hello.mjs"
  cat > "$WORK/workerd/hello.capnp" <<EOF
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:$PORT", http = (), service = "main") ]
);
const w :Workerd.Worker = (modules = [ (name = "hello.mjs", esModule = embed "hello.mjs") ],
  compatibilityDate = "2025-01-01");
EOF
  taskset -c "$SERVER_CPU" "$bin" serve "$WORK/workerd/hello.capnp" >"$WORK/workerd.log" 2>&1 &
  server=$!
  wait_for "http://127.0.0.1:$PORT/" || return 1
  measure workerd "$1" - "http://127.0.0.1:$PORT/"
  stop_server
}

run_node() {
  taskset -c "$SERVER_CPU" node "$root/bench/node-server.mjs" "$module" "$PORT" >"$WORK/node.log" 2>&1 &
  server=$!
  local url="http://127.0.0.1:$PORT/$query"
  local began; began=$(date +%s%N)
  wait_for "$url" || return 1
  measure node "$1" $((($(date +%s%N) - began) / 1000000)) "$url"
  stop_server
}


# run_cs LABEL JAR JVM ISOLATION REP: a fresh server (own data dir), the function deployed, then measured
run_cs() {
  local label=$1 jar=$2 jvm=$3 isolation=$4 rep=$5
  data="$WORK/data-$label-$jvm-$isolation-$rep"
  rm -rf "$data"; mkdir -p "$data"
  local config=() target="$label-$jvm-$isolation"
  tenant=acme
  if [[ $BACKENDS == redis-kafka ]]; then
    config=(--config "$WORK/redis-kafka.yaml"); target="$target-rk"
    # a tenant of its own per run: what a run leaves in Redis is removed by its tenant's prefix
    tenant="cpu$$r${rep}${label//[^a-z0-9]/}${isolation}${jvm//[^a-z0-9]/}"
  fi
  local launch
  if [[ $jvm == bin-cs ]]; then
    # as a user starts it: the jar's tree's bin/cs picks the JVM (the JIT launcher where JDK 25 is installed), the
    # heap and the collector; SERVER_JAVA_OPTS does not apply. bin/cs execs the JVM, so $! is the JVM's pid.
    launch=("$(cd "$(dirname "$jar")/../.." && pwd)/bin/cs")
  else
    # shellcheck disable=SC2206
    launch=($(java_for "$jvm" "$jar") $SERVER_JAVA_OPTS -jar "$jar")
  fi
  taskset -c "$SERVER_CPU" "${launch[@]}" server --port "$PORT" \
    --data-dir "$data" "${config[@]}" >"$WORK/server-$label-$jvm-$isolation.log" 2>&1 &
  server=$!
  wait_for "http://127.0.0.1:$PORT/healthz" || return 1
  local token; token=$(tr -d '\n' < "$data/admin.token") || return 1
  local api="http://127.0.0.1:$PORT/v1/tenants/$tenant/namespaces/default"
  local auth=(-H "authorization: Bearer $token" -H 'content-type: application/json')
  curl -sf "${auth[@]}" -X POST "$api/functions" -d "{\"name\":\"$FUNCTION\"}" >/dev/null || return 1
  local draft
  python3 -c 'import json,sys; print(json.dumps({"files": {"index.mjs": open(sys.argv[1]).read()}, "manifest": {"entry": "index.mjs", "isolation": sys.argv[2], "limits": {"timeoutMs": 30000, "initTimeoutMs": 30000, "maxConcurrency": 64}}}))' "$module" "$isolation" > "$WORK/draft.json"
  draft=$(curl -sf "${auth[@]}" -X POST "$api/functions/$FUNCTION/drafts" --data-binary "@$WORK/draft.json" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["draft_id"])') || return 1
  curl -sf "${auth[@]}" -X POST "$api/functions/$FUNCTION/versions" \
    -d "{\"draft_id\":\"$draft\",\"alias\":\"prod\"}" >/dev/null || return 1
  local began; began=$(date +%s%N)
  local url="http://127.0.0.1:$PORT/v1/web/$tenant/default/$FUNCTION/prod/$query"
  wait_for "$url" -H "authorization: Bearer $token" || return 1
  local first=$((($(date +%s%N) - began) / 1000000))
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" > "$WORK/auth.lua"
  measure "$target" "$rep" "$first" "$url" -s "$WORK/auth.lua"
  stop_server
}

[[ $BACKENDS == redis-kafka ]] && start_backends
log "$FUNCTION, $BACKENDS, reps $REPS, c=$CONNS, windows of ${MEASURE}s after ${EARLY}s and ${LATE}s of load, server on cpu $SERVER_CPU"
for rep in $(seq "$REPS"); do
  # A target that fails to start or deploy (see its log in $WORK) is skipped; the others still run.
  if [[ $WORKERD == 1 ]]; then run_workerd "$rep" || { log "workerd skipped"; stop_server; }; fi
  if [[ $NODE == 1 ]]; then run_node "$rep" || { log "node skipped"; stop_server; }; fi
  for isolation in $ISOLATIONS; do
    for jvm in $JVMS; do
      for entry in $JARS; do
        run_cs "${entry%%=*}" "${entry#*=}" "$jvm" "$isolation" "$rep" \
          || { log "${entry%%=*}-$jvm-$isolation skipped"; stop_server; }
      done
    done
  done
done

echo "# $FUNCTION; $(java -version 2>&1 | head -1); wrk c=$CONNS on cpu $CLIENT_CPU; server on cpu $SERVER_CPU;" \
  "$REPS reps; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$rows" <<'EOF'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    target, rep, window, cpu, rps, rss, p50, p99, first, jit = line.split()
    rows[(target, window)].append((int(cpu), int(rps), int(rss), p50, p99, first, int(jit)))
def med(values):
    values = [float(v) for v in values if v != '-']
    return f"{statistics.median(values):.1f}" if values else '-'
print(f"{'target':<26} {'window':<9} {'cpu µs/req median':>17} {'range':>15} {'of it JIT':>9} {'req/s':>7} "
      f"{'p50 ms':>8} {'p99 ms':>8} {'first ms':>9} {'peak RSS MB':>11}")
for (target, window), runs in rows.items():
    cpu = [r[0] for r in runs]
    print(f"{target:<26} {window:<9} {statistics.median(cpu):>17.0f} {f'{min(cpu)}–{max(cpu)}':>15} "
          f"{statistics.median([r[6] for r in runs]):>9.0f} "
          f"{statistics.median([r[1] for r in runs]):>7.0f} {med([r[3] for r in runs]):>8} "
          f"{med([r[4] for r in runs]):>8} {med([r[5] for r in runs]):>9} {max(r[2] for r in runs):>11}")
EOF
rm -f "$rows"
