#!/usr/bin/env bash
# Per-syscall overhead of the syscall-latency probe, side by side in one run:
#   no probe | Harbinger (4 variants: tp_btf/raw_tp x task storage/hash map) | bpftrace doing the same
# on a tight getppid loop pinned to CPU 0; the collector and bpftrace run where the scheduler puts them.
# Full capture: no filter, unsampled, every syscall on the host. Needs root.
# usage: bench/collector/syscall-overhead.sh [ITERATIONS] [REPEATS]   (build first: mvn -pl collector -am package -DskipTests)
set -euo pipefail
sysctl -qw kernel.bpf_stats_enabled=1   # per-program run time, for the in-kernel column
cd "$(dirname "$0")/../.."
N=${1:-5000000}
R=${2:-5}
OUT=bench/out/collector
mkdir -p "$OUT"
gcc -O2 -o "$OUT/getppid_loop" bench/collector/getppid_loop.c
CP="collector/target/test-classes:collector/target/classes:$(cat collector/target/test-classpath.txt)"

loop() { taskset -c 0 "$OUT/getppid_loop" "$N"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# one measurement of the loop under a probe started by "$@" (which must print "ready" when attached)
under() {
  local fifo="$OUT/fifo.$$" log="$OUT/probe.log"
  rm -f "$fifo"; mkfifo "$fifo"
  "$@" < "$fifo" > "$log" 2>"$OUT/probe.err" &
  local pid=$!
  exec 3>"$fifo"
  for _ in $(seq 1 300); do grep -q ready "$log" 2>/dev/null && break; sleep 0.1; done
  local r; r=$(loop)
  kernel_ns > "$OUT/last-kernel-ns"
  exec 3>&-
  wait "$pid" || true
  rm -f "$fifo"
  echo "$r"
  tail -1 "$log" > "$OUT/last-stats.json"
}

# in-kernel cost per syscall: sum over the loaded enter/exit programs of run_time_ns / run_cnt (bpf_stats)
kernel_ns() {
  bpftool prog show | grep -A1 -E "name (sys_enter|sys_exit)(_btf|_raw)? " \
    | grep -oE "run_time_ns [0-9]+ run_cnt [0-9]+" | awk '{s += $2 / $4} END {printf "%.0f", s}'
}

bpftrace_probe() {
  # bpftrace prints "Attaching N probes..." once attached; echo ready after that, exit on stdin EOF
  bpftrace -e 'tracepoint:raw_syscalls:sys_enter { @start[tid] = nsecs; }
    tracepoint:raw_syscalls:sys_exit /@start[tid]/ { @lat = hist(nsecs - @start[tid]); delete(@start[tid]); }' \
    > "$OUT/bpftrace.out" 2>&1 &
  local bt=$!
  for _ in $(seq 1 300); do grep -q Attaching "$OUT/bpftrace.out" 2>/dev/null && break; sleep 0.1; done
  sleep 0.5
  echo ready
  cat > /dev/null
  kill -INT "$bt"; wait "$bt" || true
  echo '{}'
}

declare -A res
for i in $(seq 1 "$R"); do
  res[none]+="$(loop) "
  for v in "TP_BTF TASK" "RAW_TP TASK" "TP_BTF HASH" "RAW_TP HASH"; do
    key="harbinger ${v,,}"
    res[$key]+="$(under taskset -c 1 java -cp "$CP" io.harbinger.collector.bench.CollectorBench syscalls $v) "
    drops=$(sed -E 's/.*"kernel_drops":([0-9]+).*"userspace_drops":([0-9]+).*/\1+\2/' "$OUT/last-stats.json")
    res[$key.drops]+="$drops "
    res[$key.k]+="$(cat "$OUT/last-kernel-ns") "
  done
  res[bpftrace.k]+="" # filled below
  res[bpftrace]+="$(under taskset -c 1 bash -c "$(declare -f bpftrace_probe); OUT=$OUT bpftrace_probe") "
  res[bpftrace.k]+="$(cat "$OUT/last-kernel-ns") "
done

base=$(echo ${res[none]} | tr ' ' '\n' | median)
printf "%-24s %10s %10s %12s  %s\n" "probe" "ns/syscall" "added ns" "in-kernel ns" "drops (kernel+user, per run)"
for key in none "harbinger tp_btf task" "harbinger raw_tp task" "harbinger tp_btf hash" "harbinger raw_tp hash" bpftrace; do
  m=$(echo ${res[$key]} | tr ' ' '\n' | median)
  k=$( [ -n "${res[$key.k]:-}" ] && echo ${res[$key.k]} | tr ' ' '\n' | median || echo 0)
  printf "%-24s %10.1f %10.1f %12s  %s\n" "$key" "$m" "$(echo "$m - $base" | bc -l)" "$k" "${res[$key.drops]:-}"
done | tee "$OUT/syscall-overhead.txt"
