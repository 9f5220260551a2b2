#!/usr/bin/env bash
# Cost of Go-map watching to a map-heavy Go program (Debian's go), side by side in one run:
#   none | the collector JVM running but watching other process names (its mere presence on a 2-core host) |
#   Harbinger watching it (hashGrow uprobe + header re-reads each second) | per-call uprobe on
#   runtime.mapassign_fast64 (bpftrace, counting calls) - the alternative Harbinger does not use by default.
#   (bpftrace here cannot place a uprobe past a function's entry; Harbinger's hashGrow probe sits on the
#   stack-check jump, 4 bytes in, see GoBinary.pastStackCheck.)
# The figure that decides is the target's CPU time per insert (user + system of the whole Go process: a uprobe
# trap is charged to the traced thread as system time; the collector's header re-reads are charged to the
# collector), as the 10th percentile over groups of >= 100,000 inserts: every group pays the same probe hits
# (each map grows the same way), while GC cycles, fresh pages and a busy neighbour only ever add, so the low
# percentile is the program's own cost including the probe's. Beside it: the median over groups, CPU time
# over the whole run, and wall figures (p10 over groups, and the mean, which on a shared host is mostly
# waiting for the CPU). Rounds are interleaved (none, jvm, harbinger, per-call, none, ...) so the host's drift
# hits all setups alike; medians over rounds.
# usage: bench/collector/gomap-overhead.sh [ROUNDS] [KEYS] [REPEATS]   (needs root and a packaged collector)
#   KEYS=200000: every map grows through all sizes (~15 hashGrow per map); KEYS=9: one hashGrow per 9 inserts,
#   the worst case for a growth probe (many tiny maps).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-10}
KEYS=${2:-200000}
R=${3:-5}
OUT=bench/out/collector
mkdir -p "$OUT"
BIN="$OUT/gomap_bench"
GOCACHE="$PWD/$OUT/gocache" GO111MODULE=off go build -o "$BIN" bench/collector/gomap_bench.go
CP="collector/target/test-classes:collector/target/classes:$(cat collector/target/test-classpath.txt)"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# the start delay lets the collector discover the process and attach before the timed part: steady state.
# prints "cpu_p10 cpu_p50 cpu wall_p10 wall_mean" ns per insert
run() {
  taskset -c 0 "$BIN" "${1:-$ROUNDS}" "$KEYS" 3s | sed -E \
    's/.*mean ([0-9.]+) cpu ([0-9.]+) p10 ([0-9.]+) p50 .* cpu_p50 ([0-9.]+) cpu_p10 ([0-9.]+).*/\5 \4 \2 \3 \1/'
}

with_harbinger() { # COMM to watch; appends "<run's 5 figures> grow_hits maps_tracked drops" to res[$2]
  local comm=$1 key=$2
  local fifo="$OUT/gfifo.$$"; rm -f "$fifo"; mkfifo "$fifo"
  taskset -c 1 java -cp "$CP" io.harbinger.collector.bench.CollectorBench gomaps "$comm" < "$fifo" > "$OUT/g.log" 2>"$OUT/g.err" &
  local pid=$!; exec 4>"$fifo"
  for _ in $(seq 1 300); do grep -q ready "$OUT/g.log" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$OUT/g.log" || { echo "collector did not start: $(tail -3 "$OUT/g.err")" >&2; exit 1; }
  sleep 5   # JVM warm-up, as on a host where the collector has been running
  local r; r=$(run)
  exec 4>&-; wait "$pid" || true; rm -f "$fifo"
  local j; j=$(tail -1 "$OUT/g.log")
  num() { echo "$j" | grep -oE "\"$1\":[0-9]+" | grep -oE '[0-9]+$'; }
  res[$key]+="$r $(num grow_hits) $(num maps_tracked) $(( $(num kernel_drops) + $(num userspace_drops) ));"
  echo "  $key: cpu_p10 cpu_p50 cpu wall_p10 wall_mean = $r, grow hits $(num grow_hits), maps tracked $(num maps_tracked)" >&2
}

percall_rounds=$(( (ROUNDS + 9) / 10 ))   # ~10 us per insert: fewer rounds, same per-insert figure
with_percall_uprobe() {
  taskset -c 1 bpftrace -e "uprobe:$BIN:runtime.mapassign_fast64 { @calls = count(); }" > "$OUT/bt.log" 2>&1 &
  local bt=$!
  for _ in $(seq 1 300); do grep -q Attaching "$OUT/bt.log" 2>/dev/null && break; sleep 0.1; done
  sleep 0.5
  local r; r=$(run "$percall_rounds")
  kill -INT "$bt"; wait "$bt" || true
  res[percall]+="$r;"
  echo "  percall: cpu_p10 cpu_p50 cpu wall_p10 wall_mean = $r, $(grep -oE '@calls: [0-9]+' "$OUT/bt.log")" >&2
}

declare -A res
for i in $(seq 1 "$R"); do
  r=$(run); res[none]+="$r;"; echo "  none: cpu_p10 cpu_p50 cpu wall_p10 wall_mean = $r" >&2
  with_harbinger not_this_one jvm
  with_harbinger gomap_bench harbinger
  with_percall_uprobe
  echo "round $i done" >&2
done

col() { echo "${res[$1]}" | tr ';' '\n' | grep . | awk -v c="$2" '{print $c}' | median; }
pct() { echo "($1 / $2 - 1) * 100" | bc -l; }
{
  echo "gomap_bench $ROUNDS maps x $KEYS keys ($((ROUNDS * KEYS)) inserts; per-call row: $percall_rounds maps), median of $R interleaved rounds; ns per insert"
  printf "%-44s %9s %8s %9s %8s %9s %8s %9s %9s  %s\n" setup "cpu p10" "vs none" "cpu p50" "vs none" "cpu all" \
    "vs none" "wall p10" "wall mean" "grow hits / maps tracked / drops per round"
  for key in none jvm harbinger percall; do
    name=$key
    [ "$key" = jvm ] && name="collector running, watching other names"
    [ "$key" = harbinger ] && name="harbinger (hashGrow uprobe + 1 s re-reads)"
    [ "$key" = percall ] && name="per-call uprobe on mapassign_fast64 (entry)"
    extra=""
    [ "$key" = jvm ] || [ "$key" = harbinger ] \
      && extra=$(echo "${res[$key]}" | tr ';' '\n' | grep . | awk '{printf "%s/%s/%s ", $6, $7, $8}')
    printf "%-44s %9.2f %+7.1f%% %9.2f %+7.1f%% %9.2f %+7.1f%% %9.2f %9.2f  %s\n" "$name" \
      "$(col "$key" 1)" "$(pct "$(col "$key" 1)" "$(col none 1)")" \
      "$(col "$key" 2)" "$(pct "$(col "$key" 2)" "$(col none 2)")" \
      "$(col "$key" 3)" "$(pct "$(col "$key" 3)" "$(col none 3)")" "$(col "$key" 4)" "$(col "$key" 5)" "$extra"
  done
  # the probe's own cost per hit, from counts: the watched run's added CPU over its growth-probe hits (precise
  # when hits are many, KEYS=9), and the per-call entry uprobe's added CPU per call for comparison
  hits=$(echo "${res[harbinger]}" | tr ';' '\n' | grep . | awk '{print $6}' | median)
  base=$(col none 1)
  printf "added CPU per hashGrow hit: %.0f ns (%s hits per run); per-call entry uprobe: %.0f ns per call\n" \
    "$(echo "($(col harbinger 1) - $base) * $ROUNDS * $KEYS / $hits" | bc -l)" "$hits" "$(echo "$(col percall 1) - $base" | bc -l)"
} | tee "$OUT/gomap-overhead-$KEYS.txt"
