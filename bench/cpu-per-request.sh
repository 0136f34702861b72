#!/usr/bin/env bash
# CPU microseconds per request of the embedded server (`cs server`, in-memory KV, in-JVM queue) serving a hello
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
# Usage: bench/cpu-per-request.sh                        # this tree's cli/target/cs.jar, warm and strict, + workerd
#        JARS="before=/tmp/a/cs.jar after=cli/target/cs.jar" REPS=5 bench/cpu-per-request.sh   # an A/B
# Env:   JARS ("cs=<this tree>/cli/target/cs.jar")  ISOLATIONS ("warm strict")  REPS (3)  CONNS (16)
#        EARLY (20)  LATE (50)  MEASURE (15)  WORKERD (1: include workerd)  WORKERD_VERSION (1.20261117.1)
#        SERVER_JAVA_OPTS ("-Xms256m -Xmx384m")  SERVER_CPU (1)  CLIENT_CPU (0)  WORK (${TMPDIR:-/tmp}/cs-cpu-bench)
# Needs: java, wrk, curl, python3; npm for workerd. Everything listens on 127.0.0.1 only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JARS=${JARS:-"cs=$root/cli/target/cs.jar"}
ISOLATIONS=${ISOLATIONS:-"warm strict"}
REPS=${REPS:-3}; CONNS=${CONNS:-16}; EARLY=${EARLY:-20}; LATE=${LATE:-50}; MEASURE=${MEASURE:-15}
WORKERD=${WORKERD:-1}; WORKERD_VERSION=${WORKERD_VERSION:-1.20261117.1}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-"-Xms256m -Xmx384m"}
SERVER_CPU=${SERVER_CPU:-1}; CLIENT_CPU=${CLIENT_CPU:-0}
WORK=${WORK:-${TMPDIR:-/tmp}/cs-cpu-bench}
PORT=${PORT:-28480}
TICK=$(getconf CLK_TCK)
mkdir -p "$WORK"
rows="$WORK/rows.$$"; : > "$rows"
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

server=""
stop_server() {
  [[ -n "$server" ]] || return 0
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}
trap stop_server EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wrk for $1 seconds against $2 (extra wrk args after); prints the number of requests answered
load() {
  local seconds=$1 url=$2; shift 2
  local out
  out=$(taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"${seconds}s" --timeout 5s "$@" "$url" 2>&1)
  if grep -q 'Non-2xx' <<<"$out"; then log "non-2xx answers: $(grep 'Non-2xx' <<<"$out")"; fi
  awk '/requests in/ {print $1}' <<<"$out"
}

# measure TARGET REP URL [wrk args]: load until EARLY, measure, load until LATE, measure; appends two rows
measure() {
  local target=$1 rep=$2 url=$3; shift 3
  load "$EARLY" "$url" "$@" >/dev/null
  local window at=$EARLY
  for window in early late; do
    if [[ $window == late ]]; then
      load $((LATE - EARLY - MEASURE)) "$url" "$@" >/dev/null
      at=$LATE
    fi
    local before after requests
    before=$(cpu_ticks "$server")
    requests=$(load "$MEASURE" "$url" "$@")
    after=$(cpu_ticks "$server")
    local rss; rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
    python3 -c 'import sys; t, r, w, a, b, n, tick, s, rss = sys.argv[1:]; n = int(n)
print(t, r, w, round((int(b) - int(a)) * 1e6 / int(tick) / max(n, 1)), round(n / float(s)), rss)' \
      "$target" "$rep" "$window@${at}s" "$before" "$after" "$requests" "$TICK" "$MEASURE" "$rss" \
      | tee -a "$rows" >&2
  done
}

wait_for() { # URL [curl args]: until it answers 200, at most 120 s
  local i
  for i in $(seq 1200); do
    [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$@") == 200 ]] && return 0
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
  wait_for "http://127.0.0.1:$PORT/"
  measure workerd "$1" "http://127.0.0.1:$PORT/"
  stop_server
}

# run_cs LABEL JAR ISOLATION REP: a fresh server (own data dir), the hello function deployed, then measured
run_cs() {
  local label=$1 jar=$2 isolation=$3 rep=$4
  local data="$WORK/data-$label-$isolation-$rep"
  rm -rf "$data"; mkdir -p "$data"
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java $SERVER_JAVA_OPTS -jar "$jar" server --port "$PORT" --data-dir "$data" \
    >"$WORK/server-$label-$isolation.log" 2>&1 &
  server=$!
  wait_for "http://127.0.0.1:$PORT/healthz"
  local token; token=$(tr -d '\n' < "$data/admin.token")
  local api="http://127.0.0.1:$PORT/v1/tenants/acme/namespaces/default"
  local auth=(-H "authorization: Bearer $token" -H 'content-type: application/json')
  curl -sf "${auth[@]}" -X POST "$api/functions" -d '{"name":"hello"}' >/dev/null
  local body draft
  body=$(python3 -c 'import json,sys; print(json.dumps({"files": {"index.mjs": "export async function handler(event, ctx) { return { statusCode: 200, headers: {\"content-type\": \"text/plain\"}, body: \"hi\" }; }\n"}, "manifest": {"entry": "index.mjs", "isolation": sys.argv[1], "limits": {"timeoutMs": 5000, "maxConcurrency": 64}}}))' "$isolation")
  draft=$(curl -sf "${auth[@]}" -X POST "$api/functions/hello/drafts" -d "$body" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["draft_id"])')
  curl -sf "${auth[@]}" -X POST "$api/functions/hello/versions" -d "{\"draft_id\":\"$draft\",\"alias\":\"prod\"}" >/dev/null
  local url="http://127.0.0.1:$PORT/v1/web/acme/default/hello/prod/"
  wait_for "$url" -H "authorization: Bearer $token"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" > "$WORK/auth.lua"
  measure "$label-$isolation" "$rep" "$url" -s "$WORK/auth.lua"
  stop_server
}

log "reps $REPS, c=$CONNS, windows of ${MEASURE}s after ${EARLY}s and ${LATE}s of load, server on cpu $SERVER_CPU"
for rep in $(seq "$REPS"); do
  [[ $WORKERD == 1 ]] && run_workerd "$rep"
  for isolation in $ISOLATIONS; do
    for entry in $JARS; do
      run_cs "${entry%%=*}" "${entry#*=}" "$isolation" "$rep"
    done
  done
done

echo "# $(java -version 2>&1 | head -1); wrk c=$CONNS on cpu $CLIENT_CPU; server on cpu $SERVER_CPU; $REPS reps"
python3 - "$rows" <<'EOF'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    target, rep, window, cpu, rps, rss = line.split()
    rows[(target, window)].append((int(cpu), int(rps), int(rss)))
print(f"{'target':<24} {'window':<9} {'cpu µs/req median':>17} {'range':>13} {'req/s median':>12} {'peak RSS MB':>11}")
for (target, window), runs in rows.items():
    cpu = [r[0] for r in runs]; rps = [r[1] for r in runs]; rss = [r[2] for r in runs]
    print(f"{target:<24} {window:<9} {statistics.median(cpu):>17.0f} {f'{min(cpu)}–{max(cpu)}':>13} "
          f"{statistics.median(rps):>12.0f} {max(rss):>11}")
EOF
rm -f "$rows"
