#!/usr/bin/env bash
# The latency topology against a real broker (embedded platform: own JVMs, 127.0.0.1) beside a plain KafkaConsumer
# draining the same topic, in one run; then live end-to-end delay after window close; then state bytes per key.
# usage: bench/streams/latency-throughput.sh [EVENTS] [KEYS] [LIVE_RATE] [LIVE_SECONDS]
#        (after: mvn -B -pl streams-processor -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${1:-3000000}
KEYS=${2:-512}
LIVE_RATE=${3:-100000}
LIVE_SECONDS=${4:-40}
OUT=bench/out/streams
rm -rf "$OUT/state"
mkdir -p "$OUT"
CP="streams-processor/target/test-classes:streams-processor/target/classes:$(cat streams-processor/target/test-classpath.txt)"
java ${JAVA_OPTS:-} -Xmx3g -cp "$CP" io.harbinger.streams.bench.LatencyTopologyBench "$OUT/state" "$EVENTS" "$KEYS" "$LIVE_RATE" \
  "$LIVE_SECONDS" 2> "$OUT/latency-throughput.err" | tee "$OUT/latency-throughput.txt"
