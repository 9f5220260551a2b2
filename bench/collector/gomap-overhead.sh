#!/usr/bin/env bash
# Cost of Go-map watching to a map-heavy Go program (Debian's go), side by side in one run:
#   no probe | the collector JVM running but watching other process names (its mere presence on a 2-core
#   host) | Harbinger (hashGrow uprobe + header re-reads each second) | per-call uprobe on
#   runtime.mapassign_fast64 (bpftrace, counting calls) - the alternative Harbinger does not use by default.
# usage: bench/collector/gomap-overhead.sh [ROUNDS] [KEYS] [REPEATS]   (needs root and a packaged collector)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-40}
KEYS=${2:-200000}
R=${3:-5}
OUT=bench/out/collector
mkdir -p "$OUT"
BIN="$OUT/gomap_bench"
GOCACHE="$PWD/$OUT/gocache" GO111MODULE=off go build -o "$BIN" bench/collector/gomap_bench.go
CP="collector/target/test-classes:collector/target/classes:$(cat collector/target/test-classpath.txt)"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# the start delay lets the collector discover the process and attach before the timed part: steady state
run() { taskset -c 0 "$BIN" "${1:-$ROUNDS}" "$KEYS" 3s; }

with_harbinger() { # [COMM to watch]
  local comm=${1:-gomap_bench}
  local fifo="$OUT/gfifo.$$"; rm -f "$fifo"; mkfifo "$fifo"
  taskset -c 1 java -cp "$CP" io.harbinger.collector.bench.CollectorBench gomaps "$comm" < "$fifo" > "$OUT/g.log" 2>"$OUT/g.err" &
  local pid=$!; exec 4>"$fifo"
  for _ in $(seq 1 300); do grep -q ready "$OUT/g.log" 2>/dev/null && break; sleep 0.1; done
  sleep 5   # JVM warm-up, as on a host where the collector has been running
  local r; r=$(run)
  exec 4>&-; wait "$pid" || true; rm -f "$fifo"
  echo "$r"
}

with_percall_uprobe() {
  taskset -c 1 bpftrace -e "uprobe:$BIN:runtime.mapassign_fast64 { @calls = count(); }" > "$OUT/bt.log" 2>&1 &
  local bt=$!
  for _ in $(seq 1 300); do grep -q Attaching "$OUT/bt.log" 2>/dev/null && break; sleep 0.1; done
  sleep 0.5
  local r; r=$(run $(( (ROUNDS + 9) / 10 )))   # ~20 us per insert: fewer rounds, same per-insert figure
  kill -INT "$bt"; wait "$bt" || true
  echo "$r"
}

declare -A res
for i in $(seq 1 "$R"); do
  res[none]+="$(run) "
  res[harbinger]+="$(with_harbinger) "
  cp "$OUT/g.log" "$OUT/g-watched.log"
  res[jvm]+="$(with_harbinger not_this_one) "
  res[percall]+="$(with_percall_uprobe) "
done
base=$(echo ${res[none]} | tr ' ' '\n' | median)
printf "%-44s %12s %10s\n" "probe" "ns/insert" "slowdown"
for key in none jvm harbinger percall; do
  m=$(echo ${res[$key]} | tr ' ' '\n' | median)
  name=$key
  [ "$key" = harbinger ] && name="harbinger (hashGrow uprobe + 1 s re-reads)"
  [ "$key" = jvm ] && name="collector running, watching other names"
  [ "$key" = percall ] && name="per-call uprobe on mapassign_fast64 (entry)"
  printf "%-44s %12.2f %9.1f%%\n" "$name" "$m" "$(echo "($m / $base - 1) * 100" | bc -l)"
done | tee "$OUT/gomap-overhead.txt"
# Wall clock on a shared 2-core host is noisy; the probe's own cost is also derived from counts:
# growth-probe hits x (per-call uprobe cost per hit) / (inserts x base ns per insert).
hits=$(grep -oE '"grow_hits":[0-9]+' "$OUT/g-watched.log" | grep -oE '[0-9]+')
pc=$(echo ${res[percall]} | tr ' ' '\n' | median)
printf "growth-probe hits per run: %s for %d inserts; at %.0f ns per uprobe hit that is %.4f%% of the run\n" \
  "$hits" $((ROUNDS * KEYS)) "$(echo "$pc - $base" | bc -l)" \
  "$(echo "$hits * ($pc - $base) / ($ROUNDS * $KEYS * $base) * 100" | bc -l)" | tee -a "$OUT/gomap-overhead.txt"
