#!/usr/bin/env bash
# Growth-model cost per snapshot (store round trip, in memory, plain Holt floor) and state bytes per map, one run.
# usage: bench/forecast/model-cost.sh [ROUNDS]   (after: mvn -B -pl streams-processor -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out/forecast
mkdir -p "$OUT"
CP="streams-processor/target/test-classes:streams-processor/target/classes:$(cat streams-processor/target/test-classpath.txt)"
java -Xmx1g -cp "$CP" io.harbinger.streams.forecast.MapGrowthModelBench "${1:-5}" 2> "$OUT/model-cost.err" \
  | tee "$OUT/model-cost.txt"
