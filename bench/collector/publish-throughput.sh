#!/usr/bin/env bash
# Collector drain -> Avro (Confluent wire format, real registry) -> real broker, against Kafka's own
# ProducerPerformance with the same record size and producer settings, in one run: both warmed up, then
# ROUNDS alternating runs of each in the same JVM (wall rate and CPU ns per event of this JVM and of the
# broker), then a fixed RATE for SECONDS with the collector's never-wait policy (drops counted). Broker and
# registry run in their own JVMs on 127.0.0.1 (the embedded platform), state under bench/out/collector.
# Last, the whole path with real eBPF: a getppid loop paced at RATE for SECONDS, the syscall probe allowlisted
# to it, ring buffer, publisher, broker; kernel and user-space drops counted (needs root).
# usage: bench/collector/publish-throughput.sh [EVENTS] [RATE] [SECONDS] [ROUNDS]
#   (after mvn -B -pl collector -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${1:-3000000}
RATE=${2:-500000}
SECONDS_=${3:-10}
ROUNDS=${4:-3}
OUT=bench/out/collector
mkdir -p "$OUT"
rm -rf "$OUT/publish-state"
gcc -O2 -o "$OUT/getppid_loop" bench/collector/getppid_loop.c
CP="collector/target/test-classes:collector/target/classes:$(cat collector/target/test-classpath.txt)"
java -Xmx2g -cp "$CP" io.harbinger.collector.bench.PublishBench "$OUT/publish-state" "$EVENTS" "$RATE" \
  "$SECONDS_" "$ROUNDS" "$PWD/$OUT/getppid_loop" 2> "$OUT/publish.err" | tee "$OUT/publish-throughput.txt"
