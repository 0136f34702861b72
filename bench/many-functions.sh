#!/usr/bin/env bash
# Many tenants' functions on one embedded server (`cs server`, KV on disk), next to Node.js serving the same files
# from one process, under one load that spreads its requests over all of them at random.
#
# TENANTS tenants get FUNCTIONS functions each, every one its own code: by turns a hello handler, a Workers-style
# fetch handler using the Web APIs (URL, TextEncoder, crypto.subtle.digest, Response.json) and the Hono app of
# bundles/dist/hono-app.mjs (esbuild output of hono), each file ending in a comment with its own name so that no two
# functions share a parsed source, as no two tenants' uploads would. All of them are deployed (the time is printed),
# each is invoked once (the first invoke after publish: p50 and max over the functions), then wrk (CONNS connections)
# sends GET .../hello/ada to a function drawn at random for every request: EARLY seconds untimed, then MEASURE
# seconds measured as in bench/cpu-per-request.sh (the server pinned to SERVER_CPU, wrk to CLIENT_CPU; CPU time of
# the server's process per request, req/s, wrk's p50 and p99, peak RSS), plus how the activations of the window
# started (cs_activation_starts_total by kind: warm, prewarmed, cold). Node.js imports every file once and calls
# the handler (or the default export's fetch with a Request) per request: the reference per-call cost of the same
# code with no isolation between functions.
#
# Usage: bench/many-functions.sh                                   # 20 tenants x 5 functions, warm and strict
#        TENANTS=100 FUNCTIONS=5 ISOLATIONS=warm bench/many-functions.sh
# Env:   TENANTS (20)  FUNCTIONS (5)  ISOLATIONS ("warm strict")  JVMS (jdk17; or jit)  CONNS (16)  EARLY (40)
#        MEASURE (20)  NODE (1)  SERVER_JAVA_OPTS ("-Xms64m -Xmx512m", what bin/cs gives a server)  SERVER_CPU (1)
#        CLIENT_CPU (0)  JIT_JDK (/usr/lib/jvm/temurin-25-jdk-amd64)  WORK (${TMPDIR:-/tmp}/cs-many-bench)
# Needs: java, wrk, curl, python3, taskset, node; bundles/dist/hono-app.mjs (bash bundles/build.sh makes it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TENANTS=${TENANTS:-20}; FUNCTIONS=${FUNCTIONS:-5}; ISOLATIONS=${ISOLATIONS:-"warm strict"}; JVMS=${JVMS:-jdk17}
CONNS=${CONNS:-16}; EARLY=${EARLY:-40}; MEASURE=${MEASURE:-20}; NODE=${NODE:-1}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-"-Xms64m -Xmx512m"}; SERVER_CPU=${SERVER_CPU:-1}; CLIENT_CPU=${CLIENT_CPU:-0}
JIT_JDK=${JIT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=${WORK:-${TMPDIR:-/tmp}/cs-many-bench}
PORT=${PORT:-28580}; MANAGEMENT_PORT=${MANAGEMENT_PORT:-28581}
TICK=$(getconf CLK_TCK)
jar="$root/cli/target/cs.jar"
hono="$root/bundles/dist/hono-app.mjs"
for tool in wrk curl python3 taskset; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
[[ -f $jar ]] || { echo "$jar is missing: mvn -B -DskipTests package" >&2; exit 1; }
[[ -f $hono ]] || (cd "$root" && bash bundles/build.sh)
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
# shellcheck source=bench/serving.sh
source "$root/bench/serving.sh"

rm -rf "$WORK"; mkdir -p "$WORK/fns"
rows="$WORK/rows"; : > "$rows"
server=""
trap stop_pid EXIT
trap 'exit 130' INT TERM

# The functions: tenant t<k>, function f<j>, file fns/<index>.mjs; names.txt lists "index tenant function".
index=0
for k in $(seq "$TENANTS"); do
  for j in $(seq "$FUNCTIONS"); do
    file="$WORK/fns/$index.mjs"
    case $((index % 3)) in
      0) printf '%s\n' 'export async function handler(event) {' \
           '  return { statusCode: 200, headers: { "content-type": "text/plain" }, body: "hi " + event.path };' \
           '}' > "$file" ;;
      1) printf '%s\n' 'export default {' \
           '  async fetch(request) {' \
           '    const url = new URL(request.url);' \
           '    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(url.pathname));' \
           '    return Response.json({ path: url.pathname, sha256: [...new Uint8Array(digest)].slice(0, 4) });' \
           '  },' \
           '};' > "$file" ;;
      2) cp "$hono" "$file" ;;
    esac
    printf '\n// function t%s/f%s\n' "$k" "$j" >> "$file"
    echo "$index t$k f$j" >> "$WORK/names.txt"
    index=$((index + 1))
  done
done
count=$index
log "$count functions of $TENANTS tenants in $WORK/fns"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }


# lua PATHS_FILE [AUTH]: a wrk script drawing one of the paths (one per line) per request
lua() {
  local list=$1 auth=${2:-}
  {
    echo 'local paths = {}'
    echo "for line in io.lines(\"$list\") do paths[#paths + 1] = line end"
    echo 'math.randomseed(42)'
    [[ -n $auth ]] && echo "wrk.headers[\"Authorization\"] = \"Bearer $auth\""
    echo 'request = function() return wrk.format("GET", paths[math.random(#paths)]) end'
  } > "$WORK/paths.lua"
  echo "$WORK/paths.lua"
}

starts() { # the cs_activation_starts_total counters, "warm prewarmed cold"
  curl -s "http://127.0.0.1:$MANAGEMENT_PORT/metrics" | python3 -c 'import re, sys
counts = {k: 0.0 for k in ("warm", "prewarmed", "cold")}
for line in sys.stdin:
    m = re.match(r"cs_activation_starts_total\{[^}]*kind=\"(\w+)\"[^}]*\} ([\d.eE+]+)", line)
    if m and m.group(1) in counts:
        counts[m.group(1)] += float(m.group(2))
print(" ".join(str(int(counts[k])) for k in ("warm", "prewarmed", "cold")))'
}

# measure TARGET SCRIPT URL FIRST DEPLOY: EARLY seconds of load, then the measured window; one row
measure() {
  local target=$1 script=$2 url=$3 first=$4 deploy=$5
  load "$EARLY" "$url" -s "$script" >/dev/null
  local before after requests p50 p99 starts_before="- - -" starts_after="- - -"
  [[ $target != node ]] && starts_before=$(starts)
  before=$(cpu_ticks "$server")
  read -r requests p50 p99 < <(load "$MEASURE" "$url" -s "$script")
  after=$(cpu_ticks "$server")
  [[ $target != node ]] && starts_after=$(starts)
  local rss; rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
  python3 -c 'import sys
t, b, a, n, tick, s, rss, p50, p99, first, deploy, sb, sa = sys.argv[1:]; n = int(n)
kinds = "-" if sb.startswith("-") else "/".join(str(int(y) - int(x)) for x, y in zip(sb.split(), sa.split()))
print(t, round((int(a) - int(b)) * 1e6 / int(tick) / max(n, 1)), round(n / float(s)), p50, p99, rss, first, deploy, kinds)' \
    "$target" "$before" "$after" "$requests" "$TICK" "$MEASURE" "$rss" "$p50" "$p99" "$first" "$deploy" \
    "$starts_before" "$starts_after" | tee -a "$rows" >&2
}

run_node() {
  command -v node >/dev/null || { log "node is missing: its row is skipped"; return 0; }
  local files=() i
  for i in $(seq 0 $((count - 1))); do files+=("$WORK/fns/$i.mjs"); done
  local began; began=$(date +%s%N)
  taskset -c "$SERVER_CPU" node "$root/bench/node-many.mjs" "$PORT" "${files[@]}" > "$WORK/node.log" 2>&1 &
  server=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/f/0/hello/ada"; do
    kill -0 "$server" 2>/dev/null || { log "node exited; see $WORK/node.log"; return 1; }
    sleep 0.1
  done
  local start_ms=$((($(date +%s%N) - began) / 1000000))
  for i in $(seq 0 $((count - 1))); do echo "/f/$i/hello/ada"; done > "$WORK/node-paths.txt"
  measure node "$(lua "$WORK/node-paths.txt")" "http://127.0.0.1:$PORT/" "-" "$start_ms"
  stop_pid
}


run_cs() {
  local jvm=$1 isolation=$2
  local data="$WORK/data-$jvm-$isolation"
  rm -rf "$data"; mkdir -p "$data"
  # shellcheck disable=SC2046,SC2086
  taskset -c "$SERVER_CPU" $(java_for "$jvm" "$jar") $SERVER_JAVA_OPTS -jar "$jar" server --port "$PORT" \
    --management-port "$MANAGEMENT_PORT" --data-dir "$data" > "$WORK/server-$jvm-$isolation.log" 2>&1 &
  server=$!
  until curl -sf -m 2 -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$server" 2>/dev/null || { log "the server exited; see $WORK/server-$jvm-$isolation.log"; return 1; }
    sleep 0.1
  done
  local token; token=$(tr -d '\n' < "$data/admin.token")
  local began; began=$(date +%s%N)
  # every function deployed and published as prod, then each invoked once: its first invoke after publish
  python3 - "$WORK" "$PORT" "$token" "$isolation" <<'EOF' > "$WORK/first-$jvm-$isolation.txt"
import json, sys, time, urllib.request
work, port, token, isolation = sys.argv[1:]
base = f"http://127.0.0.1:{port}"
def call(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body)
        .encode(), headers={"authorization": "Bearer " + token, "content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.read()
names = [line.split() for line in open(work + "/names.txt")]
for index, tenant, function in names:
    api = f"/v1/tenants/{tenant}/namespaces/default"
    call("POST", api + "/functions", {"name": function})
    manifest = {"entry": "index.mjs", "isolation": isolation, "limits": {"timeoutMs": 10000, "maxConcurrency": 64}}
    draft = json.loads(call("POST", f"{api}/functions/{function}/drafts",
        {"files": {"index.mjs": open(f"{work}/fns/{index}.mjs").read()}, "manifest": manifest})[1])["draft_id"]
    call("POST", f"{api}/functions/{function}/versions", {"draft_id": draft, "alias": "prod"})
deployed = time.time()
firsts = []
for index, tenant, function in names:
    began = time.time()
    status, _ = call("GET", f"/v1/web/{tenant}/default/{function}/prod/hello/ada")
    firsts.append((time.time() - began) * 1000)
    assert status == 200, (tenant, function, status)
firsts.sort()
print(round(firsts[len(firsts) // 2]), round(firsts[-1]))
EOF
  local deploy_ms=$((($(date +%s%N) - began) / 1000000))
  local first; first=$(tr ' ' '/' < "$WORK/first-$jvm-$isolation.txt")
  while read -r _ tenant function; do
    echo "/v1/web/$tenant/default/$function/prod/hello/ada"
  done < "$WORK/names.txt" > "$WORK/cs-paths.txt"
  measure "cs-$jvm-$isolation" "$(lua "$WORK/cs-paths.txt" "$token")" "http://127.0.0.1:$PORT/" "$first" \
    "$deploy_ms"
  stop_pid
}

log "$count functions, c=$CONNS, ${EARLY}s of load then ${MEASURE}s measured, server on cpu $SERVER_CPU"
if [[ $NODE == 1 ]]; then run_node || { log "node skipped"; stop_pid; }; fi
for isolation in $ISOLATIONS; do
  for jvm in $JVMS; do
    run_cs "$jvm" "$isolation" || { log "cs-$jvm-$isolation skipped"; stop_pid; }
  done
done

echo "# $count functions ($TENANTS tenants x $FUNCTIONS); $(java -version 2>&1 | head -1); wrk c=$CONNS on cpu" \
  "$CLIENT_CPU; server on cpu $SERVER_CPU; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-18s %12s %7s %8s %8s %8s %18s %10s %22s\n' target "cpu µs/req" "req/s" "p50 ms" "p99 ms" "RSS MB" \
  "first p50/max ms" "deploy ms" "starts warm/prew/cold"
while read -r target cpu rps p50 p99 rss first deploy kinds; do
  printf '%-18s %12s %7s %8s %8s %8s %18s %10s %22s\n' "$target" "$cpu" "$rps" "$p50" "$p99" "$rss" "$first" \
    "$deploy" "$kinds"
done < "$rows"
