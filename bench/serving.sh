# Helpers that bench/cpu-per-request.sh and bench/many-functions.sh share (sourced, not run): the command line of a
# JVM, wrk's load with its figures, and stopping the server under measurement. The caller sets CLIENT_CPU, CONNS,
# JIT_JDK, a log function and the variable `server` (the pid of the server being measured, empty when none).

# java_for JVM JAR: the command line that runs JAR on that JVM (jdk17: the default java; jit: JDK 25 with the Graal
# compiler next to the jar, as scripts/cs-jit.sh runs it)
java_for() {
  case $1 in
    jdk17) echo "java" ;;
    jit) echo "$JIT_JDK/bin/java -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI \
      --upgrade-module-path=$(dirname "$2")/jvmci --enable-native-access=ALL-UNNAMED \
      --sun-misc-unsafe-memory-access=allow" ;;
    *) log "unknown JVM $1 (jdk17 or jit)"; exit 2 ;;
  esac
}

# load SECONDS URL [wrk args]: wrk on CLIENT_CPU with CONNS connections; prints requests answered, p50 ms and p99 ms
load() {
  local seconds=$1 url=$2; shift 2
  local out
  out=$(taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"${seconds}s" --timeout 10s --latency "$@" "$url" 2>&1) || true
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then log "$(grep 'Non-2xx\|Socket errors' <<<"$out")"; fi
  python3 -c 'import re, sys
out = sys.stdin.read()
def ms(p):
    m = re.search(r"^\s*" + p + r"%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    return "-" if not m else "%.2f" % (float(m.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3}[m.group(2)])
m = re.search(r"(\d+) requests in", out)
print(m.group(1) if m else 0, ms("50"), ms("99"))' <<<"$out"
}

# stop_pid: stops the server; one that ignores TERM for 20 s is killed
stop_pid() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null || true
    for _ in $(seq 200); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
