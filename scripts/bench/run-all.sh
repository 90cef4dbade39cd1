#!/usr/bin/env bash
# Runs every chirp-sessions benchmark side by side and writes docs/benchmarks.md:
#   1. builds the shaded JMH jar (chirp-sessions-benchmarks/target/benchmarks.jar);
#   2. times chirp-sessions, the floor and Python itsdangerous (Debian's python3-itsdangerous) in one
#      run, alternating slices of thread CPU time (Interleaved + itsdangerous_worker.py), on a sweep of
#      session sizes from 50 B to 3.5 KB of JSON;
#   3. runs the JMH serializer and middleware benchmarks with the GC profiler;
#   4. starts the Jetty benchmark app on a free loopback port and drives each endpoint with wrk, the
#      variants interleaved, in 3 rounds, with the server's CPU time and allocation per request;
#   5. writes the report (machine, exact commands, tables, ratios, what they mean).
# Takes about 10 minutes on 2 cores; --quick takes about 4 and is only a smoke test of the pipeline.
#
# Usage: scripts/bench/run-all.sh [--quick] [--no-build-deps] [--out FILE]
#   --quick          very short runs; writes chirp-sessions-benchmarks/target/bench/benchmarks-quick.md
#                    unless --out is given
#   --no-build-deps  build only the benchmarks module, taking core and servlet from ~/.m2 (default:
#                    build them from this tree with -am)
#   --out FILE       where to write the report (default docs/benchmarks.md)
# Environment: JAVA_HOME picks the JDK; BENCH_NOTE adds a note at the top of the report (for example
# that the machine was shared during the run); BENCH_PYTHON (default /usr/bin/python3), BENCH_WRK.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/scripts/bench"
MODULE="$ROOT/chirp-sessions-benchmarks"
RESULTS="$MODULE/target/bench"
JAR="$MODULE/target/benchmarks.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PYTHON="${BENCH_PYTHON:-/usr/bin/python3}"
WRK="${BENCH_WRK:-wrk}"

QUICK=0
BUILD_DEPS=1
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build-deps) BUILD_DEPS=0 ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run-all.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$QUICK" = 1 ]; then
  JMH_OPTS="-f 1 -wi 1 -i 1 -w 1s -r 1s"
  WRK_WARMUP=1; WRK_SECONDS=3; WRK_ROUNDS=1; INTERLEAVED_OPTS="--rounds 2 --slice-ms 20"
  OUT="${OUT:-$RESULTS/benchmarks-quick.md}"
else
  JMH_OPTS="-f 1 -wi 2 -i 3 -w 1s -r 1s"
  WRK_WARMUP=3; WRK_SECONDS=5; WRK_ROUNDS=3; INTERLEAVED_OPTS="--rounds 5 --slice-ms 80"
  OUT="${OUT:-$ROOT/docs/benchmarks.md}"
fi
WRK_THREADS=1
WRK_CONNECTIONS=16

for tool in "$PYTHON" "$WRK" curl mvn "$JAVA"; do
  command -v "$tool" >/dev/null || { echo "run-all.sh: $tool is missing (see docs/benchmarks.md, 'Reproduce')" >&2; exit 1; }
done
"$PYTHON" -c 'import itsdangerous' 2>/dev/null \
  || { echo "run-all.sh: $PYTHON lacks itsdangerous; apt-get install python3-itsdangerous" >&2; exit 1; }

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
COMMANDS="$RESULTS/commands.txt"
: > "$COMMANDS"
log() { echo "== $*" >&2; }
# Records each command in a form that can be pasted into a shell, then runs it.
run() {
  local arg line=""
  for arg in "$@"; do
    if [[ "$arg" =~ [^A-Za-z0-9_./=:,+@%-] ]]; then line+="'$arg' "; else line+="$arg "; fi
  done
  echo "${line% }" >> "$COMMANDS"
  "$@"
}

START=$(date +%s)
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | sed -n 1p)"
  echo "memory: $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
  echo "kernel: $(uname -sr)"
  echo "java: $("$JAVA" -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
  echo "maven: $(mvn -v 2>/dev/null | sed -n 1p | sed 's/\x1b\[[0-9;]*m//g')"
  echo "python: $("$PYTHON" -c 'import sys, itsdangerous; print(sys.version.split()[0], "itsdangerous", getattr(itsdangerous, "__version__", "?"))')"
  echo "wrk: $("$WRK" -v 2>&1 | sed -n 1p | sed 's/ Copyright.*//')"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (work tree has uncommitted changes)')"
  echo "load_start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "quick: $QUICK"
  echo "note: ${BENCH_NOTE:-}"
} > "$RESULTS/machine.txt"

log "build"
cd "$ROOT"
if [ "$BUILD_DEPS" = 1 ]; then
  run mvn -q -pl chirp-sessions-benchmarks -am package -DskipTests
else
  run mvn -q -pl chirp-sessions-benchmarks package -DskipTests
fi

log "Java and itsdangerous, interleaved ($INTERLEAVED_OPTS)"
# shellcheck disable=SC2086
run "$JAVA" -cp "$JAR" dev.chirp.sessions.benchmarks.Interleaved "$PYTHON" "$HERE/itsdangerous_worker.py" \
  "$RESULTS" $INTERLEAVED_OPTS

log "JMH ($JMH_OPTS)"
# shellcheck disable=SC2086
# jmh.ignoreLock: JMH refuses to start while another JMH holds /tmp/jmh.lock (another checkout's run on
# a shared machine); the numbers are then noisier, which the load averages in the report show.
run "$JAVA" -Djmh.ignoreLock=true -jar "$JAR" $JMH_OPTS -prof gc -rf json -rff "$RESULTS/jmh.json" \
  'dev.chirp.sessions.benchmarks.(Serializer|Middleware)Benchmark' > "$RESULTS/jmh.log"
# The parts of a compressed session's cost, on the cart: what zlib and JSON alone take bounds what any
# library can reach against itsdangerous there.
run "$JAVA" -Djmh.ignoreLock=true -jar "$JAR" $JMH_OPTS -p payload=cart -rf json -rff "$RESULTS/jmh-parts.json" \
  'dev.chirp.sessions.benchmarks.PartsBenchmark.(deflateLevel1Reused|inflateReused|jsonWrite|jsonRead)$' \
  > "$RESULTS/jmh-parts.log"

log "HTTP"
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "$JAVA -Xms1g -Xmx1g -cp $JAR dev.chirp.sessions.benchmarks.HttpBenchmarkServer $PORT 900" >> "$COMMANDS"
"$JAVA" -Xms1g -Xmx1g -cp "$JAR" dev.chirp.sessions.benchmarks.HttpBenchmarkServer "$PORT" 900 \
  > "$RESULTS/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  grep -q '^ready' "$RESULTS/server.log" && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$RESULTS/server.log" >&2; exit 1; }
  sleep 0.5
done
grep -q '^ready' "$RESULTS/server.log" || { echo "run-all.sh: server did not start" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"

# Each session variant gets a real session first: one write returns its cookie (counter=1); the read
# endpoint must then answer counter=1 with that cookie, or the benchmark would measure empty sessions.
: > "$RESULTS/cookies.txt"
for variant in chirp container spring floor; do
  cookie=$(curl -s -D - -o /dev/null "$BASE/$variant/write" | tr -d '\r' \
    | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | sed -n 1p)
  body=$(curl -s -H "Cookie: $cookie" "$BASE/$variant/read")
  if [ -z "$cookie" ] || [ "$body" != "counter=1" ]; then
    echo "run-all.sh: $variant did not keep a session (cookie '${cookie%%=*}', read answered '$body')" >&2
    exit 1
  fi
  echo "$variant ${cookie%%=*} ${#cookie}" >> "$RESULTS/cookies.txt"
  printf -v "COOKIE_$variant" '%s' "$cookie"
done

# wrk_case VARIANT KIND SECONDS [wrk options...]: one wrk run, with the variant's session cookie.
wrk_case() {
  local variant="$1" kind="$2" seconds="$3" name="COOKIE_$1"
  shift 3
  local header=() path="$variant"
  # plaincookie: the endpoint without sessions, sent the chirp cookie all the same, as a browser keeps
  # sending cookies to every path: it separates the container's cost of parsing a Cookie header from
  # what the session library adds.
  if [ "$variant" = plaincookie ]; then path=plain; name=COOKIE_chirp; fi
  if [ "$variant" != plain ]; then header=(-H "Cookie: ${!name}"); fi
  "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${seconds}s" "${header[@]}" "$@" "$BASE/$path/$kind"
}
VARIANTS="plain plaincookie chirp container spring floor"
# One pass over every endpoint first, so that the JIT has compiled the server's shared paths before
# the first measured case (without it the first case, plain/read, measured 15% low).
log "wrk warm-up of every endpoint"
for kind in read write; do
  for variant in $VARIANTS; do
    wrk_case "$variant" "$kind" "$WRK_WARMUP" > /dev/null
  done
done
# Rounds interleave the variants (plain, chirp, container, spring, floor, then again), so that a busy
# minute on the shared machine hits every variant instead of one; the report takes the median round.
for round in $(seq 1 "$WRK_ROUNDS"); do
  for kind in read write; do
    for variant in $VARIANTS; do
      log "wrk $variant/$kind, round $round"
      before=$(curl -s "$BASE/stats/allocated")
      wrk_case "$variant" "$kind" "$WRK_SECONDS" --latency -s "$HERE/wrk-report.lua" \
        > "$RESULTS/wrk-$variant-$kind-r$round.txt"
      echo "$before $(curl -s "$BASE/stats/allocated")" > "$RESULTS/alloc-$variant-$kind-r$round.txt"
    done
  done
done
echo "$WRK -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_WARMUP}s [-H 'Cookie: ...'] URL   # warm-up, discarded: once for every URL" >> "$COMMANDS"
echo "$WRK -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_SECONDS}s --latency -s scripts/bench/wrk-report.lua [-H 'Cookie: ...'] URL" >> "$COMMANDS"
echo "#   URL = http://127.0.0.1:$PORT/{plain,chirp,container,spring,floor}/{read,write} (plain twice: without a Cookie header, and with the chirp cookie); $WRK_ROUNDS rounds, each: read then write, every variant in turn; curl /stats/allocated (allocated bytes, CPU ns) before and after each" >> "$COMMANDS"
kill "$SERVER" 2>/dev/null || true
wait "$SERVER" 2>/dev/null || true
trap - EXIT

{
  echo "load_end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "elapsed_s: $(( $(date +%s) - START ))"
} >> "$RESULTS/machine.txt"

log "report"
run "$PYTHON" "$HERE/report.py" "$RESULTS" "$OUT"
log "wrote $OUT in $(( $(date +%s) - START )) s"
