#!/usr/bin/env bash
# Collector drain -> Avro (Confluent wire format, real registry) -> real broker, against Kafka's own
# ProducerPerformance with the same record size and producer settings, in one run: both warmed up, then
# ROUNDS alternating runs of each in the same JVM (wall rate and CPU ns per event of this JVM and of the
# broker), then a fixed RATE for SECONDS with the collector's never-wait policy (drops counted). Broker and
# registry run in their own JVMs on 127.0.0.1 (the embedded platform), state under bench/out/collector.
# Last, the whole path with real eBPF: a getppid loop paced at RATE for SECONDS, the syscall probe allowlisted
# to it, ring buffer, publisher, broker; kernel and user-space drops counted (needs root).
# The source varies its events like a real host's (timestamps, 64 threads, 8 syscalls, latencies, return
# values), so compression and the broker see realistic data.
# usage: bench/collector/publish-throughput.sh [EVENTS] [RATE] [SECONDS] [ROUNDS]
#   (after mvn -B -pl collector -am package -DskipTests)
# env: JAVA_OPTS=...       JVM options (default: the collector's, -Xmx512m -XX:+UseParallelGC)
#      PRODUCER=k=v,k=v   producer settings to try over the collector's defaults, on both sides
#      JFR=1              record the run with JFR method sampling (bench/out/collector/publish.jfr) and print
#                         the hottest methods of the publisher and the producer's I/O thread
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
JFR_OPTS=()
[ "${JFR:-0}" = 1 ] && JFR_OPTS=("-XX:StartFlightRecording=filename=$OUT/publish.jfr,settings=profile")
# the collector's JVM settings (deploy/systemd/harbinger-collector.service); JAVA_OPTS to compare others
read -r -a JOPTS <<< "${JAVA_OPTS:--Xmx512m -XX:+UseParallelGC}"
java "${JOPTS[@]}" "${JFR_OPTS[@]}" -Dbench.producer="${PRODUCER:-}" -cp "$CP" io.harbinger.collector.bench.PublishBench \
  "$OUT/publish-state" "$EVENTS" "$RATE" "$SECONDS_" "$ROUNDS" "$PWD/$OUT/getppid_loop" 2> "$OUT/publish.err" \
  | tee "$OUT/publish-throughput.txt"
if [ "${JFR:-0}" = 1 ]; then
  # top frames (self time) and the hottest frames anywhere on the stack, per thread of interest
  for t in harbinger-publisher kafka-producer-network-thread; do
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$OUT/publish.jfr" | awk -v t="$t" '
      /sampledThread = "/ { keep = index($0, t) > 0; depth = 0; next }
      /^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.<>]*\(/ && keep { sub(/^[ \t]+/, ""); sub(/\(.*/, "");
        if (depth == 0) self[$0]++; if (!(($0) in seen)) { total[$0]++; seen[$0] = 1 } depth++ }
      /^}/ { if (keep) n++; delete seen; keep = 0 }
      END { printf "%s: %d samples; self (top frame):\n", t, n; for (m in self) printf "%6.1f%% %s\n", 100 * self[m] / n, m | "sort -rn | head -15";
            close("sort -rn | head -15"); printf "%s: on the stack:\n", t; for (m in total) printf "%6.1f%% %s\n", 100 * total[m] / n, m | "sort -rn | head -30" }'
  done | tee "$OUT/publish-profile.txt"
fi
