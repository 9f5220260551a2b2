#!/usr/bin/env bash
# Serde cost per event and `replay` throughput into the real broker, beside Kafka's ProducerPerformance with the
# same record size and producer settings, in one run (embedded platform in its own JVMs, 127.0.0.1).
# usage: bench/platform/replay-throughput.sh [SAMPLE_JSONL] [COPIES]   (after mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
SAMPLE=${1:-../shared/samples/syscall.jsonl}
COPIES=${2:-10}
OUT=bench/out/platform
mkdir -p "$OUT"
rm -rf "$OUT/replay-state"
CP="platform/target/test-classes:platform/target/classes:$(cat platform/target/test-classpath.txt)"
java -Xmx2g -Dharbinger.home="$PWD" -cp "$CP" io.harbinger.platform.bench.ReplayBench "$OUT/replay-state" "$SAMPLE" "$COPIES" \
  2> "$OUT/replay.err" | tee "$OUT/replay-throughput.txt"
