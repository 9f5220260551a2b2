#!/usr/bin/env bash
# The latency topology against a real broker (embedded platform: own JVMs, 127.0.0.1) beside a plain KafkaConsumer
# draining the same topic, in one run; then live end-to-end delay after window close; then state bytes per key.
# Each side (raw-bytes consumer, Avro-decoding consumer, no-op Kafka Streams, the topology) drains the topic in a JVM
# of its own, ROUNDS times, interleaved.
# usage: bench/streams/latency-throughput.sh [EVENTS] [KEYS] [LIVE_RATE] [LIVE_SECONDS] [ROUNDS] [SIDES]
#        (LIVE_SECONDS 0: no delay phase; SIDES e.g. raw,topology; after: mvn -B -pl streams-processor -am install -DskipTests)
# env: JAVA_OPTS, e.g. -Dbench.threads=1 (stream threads), -Dbench.streams.KEY=VALUE (any Streams key),
#      -Dbench.consumer.KEY=VALUE (the plain consumer and Kafka Streams' main consumer alike),
#      -Dbench.events.per.s=1000000 (event-time density of the topic: 50000 = a recording replayed at full speed),
#      -Dbench.warmup.passes=6 (at most so many whole drains before the measured one, until the JIT is quiet:
#      -Dbench.jit.quiet=0.05 cores), -Dbench.warmup=0.1 (share of the measured
#      drain read before its clock starts); SIDE_JVM="OPTS" (every side's JVM),
#      SIDE_JVM_RAW / _AVRO / _NOOP / _TOPOLOGY="OPTS" (one side's JVM); ON_CLOCK_START="CMD" with
#      -Dbench.hook.pass=N: CMD PID runs when pass N's clock starts (PID: the side's JVM; e.g. a profiler attach);
#      BASE_CLASSES=DIR with a side base-topology: the topology of another build (its streams-processor/target/classes,
#      e.g. from a git worktree of another commit) in the same run, interleaved with this one
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${1:-15000000}
KEYS=${2:-512}
LIVE_RATE=${3:-100000}
LIVE_SECONDS=${4:-40}
ROUNDS=${5:-3}
SIDES=${6:-raw,avro,noop,topology}
OUT=bench/out/streams
rm -rf "$OUT/state"
mkdir -p "$OUT"
# run from a copy of the classes, so a rebuild during the run cannot pull them away
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
cp -r streams-processor/target/classes "$OUT/classes/main" && cp -r streams-processor/target/test-classes "$OUT/classes/test"
export MAIN_CLASSES="$PWD/$OUT/classes/main"
CP="$OUT/classes/test:$MAIN_CLASSES:$(cat streams-processor/target/test-classpath.txt)"
java ${JAVA_OPTS:-} -Xmx3g -cp "$CP" io.harbinger.streams.bench.LatencyTopologyBench "$OUT/state" "$EVENTS" "$KEYS" "$LIVE_RATE" \
  "$LIVE_SECONDS" "$ROUNDS" "$SIDES" 2> "$OUT/latency-throughput.err" | tee "$OUT/latency-throughput.txt"
