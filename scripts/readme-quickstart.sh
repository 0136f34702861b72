#!/usr/bin/env bash
# Runs the README's quickstart literally against a fresh embedded server, so the README cannot rot.
#
# Every fenced block whose info string is `bash quickstart` is run, in order, in one shell (variables
# carry from block to block, as they do for a reader pasting them into one terminal), with `set -e`
# and pipefail: a command that fails fails the run. Blocks marked `bash skip-ci` are shown to readers
# but not run here: they start the server (this script starts its own), install things, or need
# Redis or Kafka. In the quickstart section an unmarked bash block is an error, so every block there
# is either run or skipped on purpose.
#
# The server is `bin/cs server` on a free port with HOME in a scratch directory, so ~/.code-sous is
# fresh and no other server's token is read; CS_URL tells the blocks where it listens, and TMPDIR keeps
# their scratch directories (mktemp) inside this run's own, which is removed at the end. The JVM takes
# its home from the password database, not from HOME, so it is told through CODESOUS_JAVA_OPTS as well.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
readme="$root/README.md"

work=$(mktemp -d)
blocks="$work/quickstart.sh"
awk -v out="$blocks" '
  /^## / { in_quickstart = ($0 ~ /^## Five-minute quickstart/) }
  /^```/ && !open {
    open = 1; run = ($0 ~ /^```bash quickstart *$/)
    if (in_quickstart && $0 ~ /^```bash/ && !run && $0 !~ /^```bash skip-ci/) {
      printf "README.md:%d: a bash block of the quickstart must be marked `bash quickstart` or `bash skip-ci`\n", NR > "/dev/stderr"
      bad = 1
    }
    if (run) { printf "\n# --- README.md line %d\n", NR >> out; count++ }
    next
  }
  /^```/ && open { open = 0; run = 0; next }
  open && run { print >> out }
  END { if (bad) exit 3; if (count == 0) { print "README.md has no `bash quickstart` block" > "/dev/stderr"; exit 3 } }
' "$readme"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/home"
HOME="$work/home" CODESOUS_JAVA_OPTS="-Duser.home=$work/home" bin/cs server --port "$port" > "$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 90); do
  curl -fsS "http://127.0.0.1:$port/readyz" > /dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; echo "readme-quickstart: the server exited" >&2; exit 1; }
  sleep 1
done

# The blocks, then what a reader would check by eye: the activation they kept succeeded.
cat >> "$blocks" <<'CHECK'

# --- checks of this script, not part of the README
status=$(curl -sS -H "$AUTH" "$CS/activations/$ID" | jq -r .status)
[ "$status" = "success" ] || { echo "readme-quickstart: activation $ID is $status" >&2; exit 1; }
CHECK
if ! (cd "$root" && TMPDIR="$work" HOME="$work/home" CODESOUS_JAVA_OPTS="-Duser.home=$work/home" CS_URL="http://127.0.0.1:$port" bash -euo pipefail "$blocks" \
    > "$work/out.txt" 2>&1); then
  cat "$work/out.txt"
  echo "--- server log" && tail -n 50 "$work/server.log"
  echo "readme-quickstart: a quickstart block failed (the blocks run are in order above)" >&2
  exit 1
fi
cat "$work/out.txt"
echo "readme-quickstart: $(grep -c '^# --- README.md line' "$blocks") README blocks ran against bin/cs server (port $port)"
