#!/usr/bin/env bash
# Profiles the library's hot path with JMH's profilers, for the findings in docs/benchmarks.md:
#   1. bytes allocated per call (-prof gc) for the library beside the floor, and for each part of the
#      hot path on its own (PartsBenchmark: validation pass, JSON write/read, zlib, Set-Cookie);
#   2. where the time goes (-prof stack; safepoint-biased, so read it as a hint, not a measurement).
# Allocation per call is deterministic and does not change on a busy machine; times do.
# Usage: scripts/bench/profile.sh [JMH benchmark regex]   (builds nothing: run run-all.sh or
#        mvn -pl chirp-sessions-benchmarks -am package -DskipTests first)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$ROOT/chirp-sessions-benchmarks/target/benchmarks.jar"
OUT="$ROOT/chirp-sessions-benchmarks/target/bench-profile"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
FILTER="${1:-(SerializerBenchmark|MiddlewareBenchmark|PartsBenchmark)}"
[ -f "$JAR" ] || { echo "profile.sh: $JAR is missing; build it first (see the header)" >&2; exit 1; }
mkdir -p "$OUT"

"$JAVA" -jar "$JAR" -f 1 -wi 3 -i 3 -w 2s -r 2s -prof gc -rf json -rff "$OUT/gc.json" "$FILTER" \
  | tee "$OUT/gc.log" | grep -E '^[A-Za-z]+Benchmark\.[A-Za-z]+(:gc\.alloc\.rate\.norm)? ' || true
"$JAVA" -jar "$JAR" -f 1 -wi 3 -i 2 -w 2s -r 3s -prof "stack:lines=2;top=25" \
  'MiddlewareBenchmark.(readOnly|readWrite)$' > "$OUT/stack.log"
echo "profile.sh: results in $OUT (gc.json, gc.log, stack.log)" >&2
