#!/usr/bin/env bash
# Collector drain -> Avro (Confluent wire format, real registry) -> real broker, against Kafka's own
# ProducerPerformance with the same record size and producer settings, in one run. Broker and registry run
# in their own JVMs on 127.0.0.1 (the embedded platform), state under bench/out/collector/publish-state.
# usage: bench/collector/publish-throughput.sh [EVENTS] [RATE] [SECONDS]   (after mvn -pl collector -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${1:-5000000}
RATE=${2:-500000}
SECONDS_=${3:-10}
OUT=bench/out/collector
mkdir -p "$OUT"
rm -rf "$OUT/publish-state"
CP="collector/target/test-classes:collector/target/classes:$(cat collector/target/test-classpath.txt)"
java -Xmx2g -cp "$CP" io.harbinger.collector.bench.PublishBench "$OUT/publish-state" "$EVENTS" "$RATE" "$SECONDS_" \
  2> "$OUT/publish.err" | tee "$OUT/publish-throughput.txt"
