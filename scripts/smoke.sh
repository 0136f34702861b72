#!/usr/bin/env bash
# Starts the built cs.jar the way the README says, and walks the quickstart over HTTP with curl.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=cli/target/cs.jar
[ -f "$jar" ] || { echo "smoke: $jar is missing; build first" >&2; exit 1; }
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# SMOKE_LAUNCHER runs the server another way (scripts/cs-jit.sh); by default, as the README says
launcher=(java -jar "$jar")
[ -n "${SMOKE_LAUNCHER:-}" ] && launcher=("$SMOKE_LAUNCHER")
"${launcher[@]}" server --port "$port" --data-dir "$work/data" > "$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 1 60); do
  curl -fsS -m 2 "$base/healthz" > /dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; echo "smoke: server exited" >&2; exit 1; }
  sleep 1
done
grep -q "listening on $base" "$work/server.log" || { cat "$work/server.log"; echo "smoke: no banner" >&2; exit 1; }

cs="$base/v1/tenants/acme/namespaces/default"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
# it never runs open: without a token the API answers 401
anonymous=$(curl -s -o /dev/null -w '%{http_code}' "$cs/functions")
[ "$anonymous" = "401" ] || { echo "smoke: a call without a token got $anonymous" >&2; exit 1; }
# the banner prints the operator token and the data directory holds it
grep -q "export CS_TOKEN=" "$work/server.log" || { cat "$work/server.log"; echo "smoke: no admin token in banner" >&2; exit 1; }
token=$(cat "$work/data/admin.token")
curl() { command curl -H "authorization: Bearer $token" "$@"; }
curl -fsS -X POST "$cs/functions" -H 'content-type: application/json' -d '{"name":"hello"}' > /dev/null
draft=$(curl -fsS -X POST "$cs/functions/hello/drafts" -H 'content-type: application/json' -d '{
  "files": {"index.mjs": "export async function handler(event) { console.log(\"hi\"); return { statusCode: 200, body: \"hello \" + event.queryStringParameters.x + \" \" + event.proxyPath }; }"},
  "manifest": {"limits": {"timeoutMs": 5000}}}' | json '["draft_id"]')
curl -fsS -X POST "$cs/functions/hello/versions" -H 'content-type: application/json' \
  -d "{\"draft_id\":\"$draft\",\"alias\":\"prod\"}" > /dev/null
headers="$work/headers"
body=$(curl -fsS -D "$headers" "$base/v1/web/acme/default/hello/prod/any/sub/path?x=1")
[ "$body" = "hello 1 /any/sub/path" ] || { echo "smoke: unexpected body: $body" >&2; exit 1; }
id=$(grep -i '^x-cs-activation-id:' "$headers" | tr -d '\r' | awk '{print $2}')
status=$(curl -fsS "$cs/activations/$id" | json '["status"]')
[ "$status" = "success" ] || { echo "smoke: activation status $status" >&2; exit 1; }
logs=$(curl -fsS "$cs/activations/$id/logs" | json '["logs"][0]["message"]')
[ "$logs" = "hi" ] || { echo "smoke: unexpected logs: $logs" >&2; exit 1; }
echo "smoke: the README quickstart works against ${launcher[*]} server (port $port)"
