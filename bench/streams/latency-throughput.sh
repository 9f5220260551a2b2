#!/usr/bin/env bash
# The latency topology against a real broker (embedded platform: own JVMs, 127.0.0.1) beside a plain KafkaConsumer
# draining the same topic, in one run; then live end-to-end delay after window close; then state bytes per key.
# usage: bench/streams/latency-throughput.sh [EVENTS] [KEYS] [LIVE_RATE] [LIVE_SECONDS]   (LIVE_SECONDS 0: no delay phase)
#        (after: mvn -B -pl streams-processor -am install -DskipTests)
# env: JAVA_OPTS, e.g. -Dbench.threads=1 (stream threads), -Dbench.streams.KEY=VALUE (any Streams key),
#      -Dbench.warmup=0.3333 (share read before the clocks start), -Dbench.floor=false (skip the no-op floor)
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${1:-15000000}
KEYS=${2:-512}
LIVE_RATE=${3:-100000}
LIVE_SECONDS=${4:-40}
OUT=bench/out/streams
rm -rf "$OUT/state"
mkdir -p "$OUT"
# run from a copy of the classes, so a rebuild during the run cannot pull them away
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
cp -r streams-processor/target/classes "$OUT/classes/main" && cp -r streams-processor/target/test-classes "$OUT/classes/test"
CP="$OUT/classes/test:$OUT/classes/main:$(cat streams-processor/target/test-classpath.txt)"
java ${JAVA_OPTS:-} -Xmx3g -cp "$CP" io.harbinger.streams.bench.LatencyTopologyBench "$OUT/state" "$EVENTS" "$KEYS" "$LIVE_RATE" \
  "$LIVE_SECONDS" 2> "$OUT/latency-throughput.err" | tee "$OUT/latency-throughput.txt"
