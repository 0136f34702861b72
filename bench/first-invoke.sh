#!/usr/bin/env bash
# The first invoke after publish on a freshly started server (with OTHERS, one that ran other functions first): for
# each launcher, JVM, isolation and warm-up setting, starts `cs server` with a data directory of its own, waits SETTLE
# seconds (someone reading the banner), uploads bundles/dist/popular.mjs as a draft (timed), publishes it as `prod`
# (timed), then times the first
#   GET /v1/web/acme/default/popular/prod/orders/7?customer=ada&days=5&locale=de
# from the publish's answer to its 200, and reads that activation's `start` and `init_ms`. Runs are interleaved
# (rep by rep), since on a shared 2-core machine one run's figure is noisy; every row is one run.
#
# Settings (environment):
#   LAUNCHERS   label=path-to-bin/cs pairs (default: "this=<repo>/bin/cs"); another tree's bin/cs for A/B
#   JVMS        jdk17 and/or jit (default "jdk17 jit"): CODESOUS_JIT=0 or 1 for bin/cs
#   ISOLATIONS  warm and/or strict (default "warm")
#   WARMUPS     runtime.warmUpRounds values, "default" for the server's own (default "default 0")
#   OTHERS      bundles of bundles/dist deployed first, each invoked INVOKES times with GET .../hello/ada (which
#               hono-app answers), then AGE seconds waited before the measured deploy: a server that has been
#               running other functions, as a deploy usually meets one (default none: a server that ran nothing)
#   SHAPE       embedded (default: one `cs server`, in-JVM queue, store on disk) or split: on Redis ($REDIS_URI,
#               default redis://127.0.0.1:6379) and a Kafka broker of bench's own (KafkaBrokerMain), one process
#               with the control API and the gateway and one with the invoker, sharing a data directory (their
#               keys) and a clustered event bus (Hazelcast on ports 15701 and 15702); each run in a tenant of its
#               own, whose keys are deleted after it
#   REPS (3), SETTLE seconds (12), PORT (18480; split also PORT+1), INVOKES (20), AGE (30)
# Needs: curl, python3, and the bundle (bash bundles/build.sh); split also redis-cli and bench/target/bench.jar.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAUNCHERS=${LAUNCHERS:-"this=$root/bin/cs"}
JVMS=${JVMS:-"jdk17 jit"}
ISOLATIONS=${ISOLATIONS:-warm}
WARMUPS=${WARMUPS:-"default 0"}
REPS=${REPS:-3}
SETTLE=${SETTLE:-12}
PORT=${PORT:-18480}
OTHERS=${OTHERS:-}
INVOKES=${INVOKES:-20}
AGE=${AGE:-30}
SHAPE=${SHAPE:-embedded}
REDIS_URI=${REDIS_URI:-redis://127.0.0.1:6379}
[[ $SHAPE == embedded || $SHAPE == split ]] || { echo "first-invoke: SHAPE is embedded or split" >&2; exit 2; }
bundle="$root/bundles/dist/popular.mjs"
for needed in "$bundle" $(for other in $OTHERS; do echo "$root/bundles/dist/$other.mjs"; done); do
  [[ -f $needed ]] || { echo "first-invoke: $needed is missing; run bash bundles/build.sh" >&2; exit 2; }
done
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "first-invoke: needs $tool" >&2; exit 2; }
done
work="$(mktemp -d)"
server=""
invoker=""
broker=""
tenant=acme
stop_servers() {
  local pid
  for pid in $server $invoker; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  server=""; invoker=""
  if [[ $SHAPE == split && -n $tenant ]]; then
    redis-cli -u "$REDIS_URI" --scan --pattern "cs:$tenant:*" | xargs -r -n 500 redis-cli -u "$REDIS_URI" del \
      >/dev/null || true
  fi
}
cleanup() {
  stop_servers
  [[ -n $broker ]] && kill "$broker" 2>/dev/null && wait "$broker" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
if [[ $SHAPE == split ]]; then
  command -v redis-cli >/dev/null || { echo "first-invoke: SHAPE=split needs redis-cli" >&2; exit 2; }
  [[ -f $root/bench/target/bench.jar ]] || { echo "first-invoke: SHAPE=split needs bench/target/bench.jar" >&2; exit 2; }
  java -Xms256m -Xmx512m -cp "$root/bench/target/bench.jar" io.codesous.bench.KafkaBrokerMain \
    < /dev/null > "$work/broker.out" 2> "$work/broker.log" &
  broker=$!
  for _ in $(seq 1200); do
    grep -q '^bootstrap ' "$work/broker.out" 2>/dev/null && break
    kill -0 "$broker" 2>/dev/null || { echo "first-invoke: the Kafka broker exited" >&2; tail "$work/broker.log" >&2; exit 1; }
    sleep 0.1
  done
  # the invoker answers the gateway over the clustered event bus; the invoker's process joins on the second port
  printf 'kv:\n  backend: redis\n  redis:\n    connectionString: %s\ncodeq:\n  backend: kafka\n  kafka:\n    bootstrapServers: %s\ncluster:\n  enabled: true\n  host: 127.0.0.1\n  port: 15701\n  members: ["127.0.0.1:15701", "127.0.0.1:15702"]\n' \
    "$REDIS_URI" "$(awk '$1 == "bootstrap" {print $2}' "$work/broker.out")" > "$work/split.yaml"
fi

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# deploy NAME FILE ISOLATION: creates the function, uploads FILE as its draft and publishes it as `prod`, printing
# the draft upload's and the publish's milliseconds (uses $api and $auth of the caller)
deploy() {
  local name=$1 file=$2 isolation=$3 began draft draft_ms publish_ms
  curl -sf "${auth[@]}" -X POST "$api/functions" -d "{\"name\":\"$name\"}" >/dev/null
  python3 -c 'import json,sys; print(json.dumps({"files": {"index.mjs": open(sys.argv[1]).read()},
    "manifest": {"entry": "index.mjs", "isolation": sys.argv[2], "limits": {"timeoutMs": 30000, "initTimeoutMs": 30000}}}))' \
    "$file" "$isolation" > "$work/draft.json"
  began=$(date +%s%N)
  draft=$(curl -sf "${auth[@]}" -X POST "$api/functions/$name/drafts" --data-binary "@$work/draft.json" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["draft_id"])')
  draft_ms=$(ms_since "$began"); began=$(date +%s%N)
  curl -sf "${auth[@]}" -X POST "$api/functions/$name/versions" -d "{\"draft_id\":\"$draft\",\"alias\":\"prod\"}" >/dev/null
  publish_ms=$(ms_since "$began")
  echo "$draft_ms $publish_ms"
}

# run LABEL CS JVM ISOLATION WARMUP REP: one fresh server, one row
run() {
  local label=$1 cs=$2 jvm=$3 isolation=$4 warmup=$5 rep=$6
  local data="$work/data" jit=0 env=()
  rm -rf "$data"; mkdir -p "$data"
  [[ $jvm == jit ]] && jit=1
  [[ $warmup != default ]] && env=("CS_RUNTIME__WARMUPROUNDS=$warmup")
  if [[ $SHAPE == split ]]; then
    tenant="fi$(date +%s%N | tail -c 9)"
    env "${env[@]}" CS_CLUSTER__PORT=15702 CODESOUS_JIT=$jit "$cs" server --config "$work/split.yaml" --components invoker \
      --port "$((PORT + 1))" --data-dir "$data" >"$work/invoker.log" 2>&1 &
    invoker=$!
    env "${env[@]}" CODESOUS_JIT=$jit "$cs" server --config "$work/split.yaml" --components control,gateway \
      --port "$PORT" --data-dir "$data" >"$work/server.log" 2>&1 &
  else
    env "${env[@]}" CODESOUS_JIT=$jit "$cs" server --port "$PORT" --data-dir "$data" >"$work/server.log" 2>&1 &
  fi
  server=$!
  local deadline=$((SECONDS + 120))
  until curl -sf -m 2 -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$server" 2>/dev/null && ((SECONDS < deadline)) || { echo "first-invoke: the server did not start" >&2; tail "$work/server.log" >&2; exit 1; }
    sleep 0.05
  done
  if [[ $SHAPE == split ]]; then
    until grep -q "consuming cs.invoke" "$work/invoker.log"; do
      kill -0 "$invoker" 2>/dev/null && ((SECONDS < deadline)) || { echo "first-invoke: the invoker did not start" >&2; tail "$work/invoker.log" >&2; exit 1; }
      sleep 0.05
    done
  fi
  sleep "$SETTLE"
  local token api auth
  token=$(tr -d '\n' < "$data/admin.token")
  api="http://127.0.0.1:$PORT/v1/tenants/$tenant/namespaces/default"
  auth=(-H "authorization: Bearer $token" -H 'content-type: application/json')
  local other status
  for other in $OTHERS; do
    deploy "$other" "$root/bundles/dist/$other.mjs" "$isolation" >/dev/null
    for _ in $(seq "$INVOKES"); do
      status=$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $token" \
        "http://127.0.0.1:$PORT/v1/web/$tenant/default/$other/prod/hello/ada")
      [[ $status == 2* ]] || { echo "first-invoke: $other answered $status" >&2; exit 1; }
    done
  done
  if [[ -n $OTHERS ]]; then sleep "$AGE"; fi
  local timings began draft_ms publish_ms first_ms code
  timings=$(deploy popular "$bundle" "$isolation")
  read -r draft_ms publish_ms <<< "$timings"
  began=$(date +%s%N)
  code=$(curl -s -D "$work/headers" -o /dev/null -w '%{http_code}' -H "authorization: Bearer $token" \
    "http://127.0.0.1:$PORT/v1/web/$tenant/default/popular/prod/orders/7?customer=ada&days=5&locale=de")
  first_ms=$(ms_since "$began")
  local id record
  id=$(grep -i '^x-cs-activation-id:' "$work/headers" | cut -d' ' -f2 | tr -d '\r')
  record=$(curl -s -H "authorization: Bearer $token" "$api/activations/$id?wait=5s" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r.get("start"), r.get("init_ms"))')
  printf '%-10s %-6s %-7s %-8s %4s %6s %8s %8s %9s   %s\n' "$label" "$jvm" "$isolation" "$warmup" "$rep" "$code" \
    "$draft_ms" "$publish_ms" "$first_ms" "$record"
  stop_servers
}

printf '%-10s %-6s %-7s %-8s %4s %6s %8s %8s %9s   %s\n' launcher jvm iso warm-up rep status \
  "draft ms" "pub ms" "first ms" "start init_ms"
for rep in $(seq "$REPS"); do
  for jvm in $JVMS; do
    for isolation in $ISOLATIONS; do
      for launcher in $LAUNCHERS; do
        for warmup in $WARMUPS; do
          run "${launcher%%=*}" "${launcher#*=}" "$jvm" "$isolation" "$warmup" "$rep"
        done
      done
    done
  done
done
