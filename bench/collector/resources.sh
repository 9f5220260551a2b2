#!/usr/bin/env bash
# Collector steady-state CPU and RSS: full capture (every syscall on the host, unsampled), counting sink.
# Phase 1: the host as it is ("idle"); phase 2: plus a getppid loop paced at RATE syscalls/s.
# usage: bench/collector/resources.sh [SECONDS] [RATE]   (root; after mvn -pl collector -am package -DskipTests)
# env: JAVA_OPTS (default: the collector's, -Xmx512m -XX:+UseParallelGC)
set -euo pipefail
cd "$(dirname "$0")/../.."
S=${1:-20}
RATE=${2:-100000}
OUT=bench/out/collector
mkdir -p "$OUT"
gcc -O2 -o "$OUT/getppid_loop" bench/collector/getppid_loop.c
CP="collector/target/test-classes:collector/target/classes:$(cat collector/target/test-classpath.txt)"
fifo="$OUT/rfifo.$$"; rm -f "$fifo"; mkfifo "$fifo"
# the collector's JVM settings (deploy/systemd/harbinger-collector.service); JAVA_OPTS to compare others
read -r -a JOPTS <<< "${JAVA_OPTS:--Xmx512m -XX:+UseParallelGC}"
java "${JOPTS[@]}" -cp "$CP" io.harbinger.collector.bench.CollectorBench syscalls TP_BTF TASK < "$fifo" > "$OUT/r.log" 2>"$OUT/r.err" &
pid=$!
exec 5>"$fifo"
for _ in $(seq 1 300); do grep -q ready "$OUT/r.log" 2>/dev/null && break; sleep 0.1; done
sleep 5   # JIT warm-up

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
hz=$(getconf CLK_TCK)
# run count of the exit program this collector holds (others may run their own collectors on the host)
exit_prog=$(for f in /proc/$pid/fdinfo/*; do awk '/^prog_id:/ {print $2}' "$f" 2>/dev/null; done \
  | while read -r id; do bpftool prog show id "$id" | grep -q "name sys_exit_btf" && echo "$id"; done | head -1 || true)
seen() { bpftool prog show id "$exit_prog" | grep -oE "run_cnt [0-9]+" | awk '{print $2}'; }
sysctl -qw kernel.bpf_stats_enabled=1

measure() { # label
  local t0 c0 s0 t1 c1 s1
  t0=$(date +%s.%N); c0=$(ticks); s0=$(seen)
  sleep "$S"
  t1=$(date +%s.%N); c1=$(ticks); s1=$(seen)
  printf "%-34s cpu %5.1f%% of one core   rss %4s MiB   syscalls seen %8.0f/s\n" "$1" \
    "$(echo "($c1 - $c0) / $hz / ($t1 - $t0) * 100" | bc -l)" "$(rss_mb)" "$(echo "($s1 - $s0) / ($t1 - $t0)" | bc -l)"
}

{
  measure "host as is"
  taskset -c 0 "$OUT/getppid_loop" $((RATE * (S + 3))) "$RATE" > /dev/null &
  loop=$!
  sleep 1
  measure "plus getppid at ${RATE}/s"
  kill "$loop" 2>/dev/null || true
} | tee "$OUT/resources.txt"
exec 5>&-
wait "$pid" || true
tail -1 "$OUT/r.log" | tee -a "$OUT/resources.txt"
rm -f "$fifo"
