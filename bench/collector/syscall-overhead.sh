#!/usr/bin/env bash
# Per-syscall overhead of the syscall-latency probe, side by side in one run:
#   no probe | Harbinger variants | bpftrace doing the same
# on a tight getppid loop pinned to CPU 0, the probes' user space pinned to CPU 1. Full capture: no filter,
# unsampled, every syscall on the host. Needs root.
#
# Rounds are interleaved (none, each variant, bpftrace, none, ...) so that the host's load drifts over all of
# them alike. Per attachment the loop runs twice:
#   1. bpf_stats off: getppid_loop's chunk percentiles (p10 of 1000-syscall chunks = the cost while the loop
#      is on the CPU; the mean is mostly waiting for the CPU on a shared host) and CPU time per syscall;
#   2. bpf_stats on: the in-kernel run time per syscall, Σ over the probe's own enter/exit programs (found
#      through its /proc/PID/fdinfo, so other probes on the host do not count) of Δrun_time_ns / Δrun_cnt.
#      This leaves out the tracepoint dispatch, which differs (tp_btf/raw_tp call the program directly,
#      bpftrace's tracepoint: programs are called through perf's trace buffer), so column 1 is the target.
#
# usage: bench/collector/syscall-overhead.sh [ITERATIONS] [ROUNDS] [VARIANTS...]
#   VARIANTS: ATTACH:STORAGE[:BATCH], e.g. TP_BTF:TASK:32 (default: TP_BTF:TASK:32 TP_BTF:TASK:1 RAW_TP:TASK:32
#   TP_BTF:HASH:32). Build first: mvn -B -pl collector -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-2000000}
R=${2:-5}
shift $(( $# >= 2 ? 2 : $# ))
VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(TP_BTF:TASK:32 TP_BTF:TASK:1 RAW_TP:TASK:32 TP_BTF:HASH:32)
OUT=bench/out/collector
mkdir -p "$OUT"
gcc -O2 -o "$OUT/getppid_loop" bench/collector/getppid_loop.c
CP="collector/target/test-classes:collector/target/classes:$(cat collector/target/test-classpath.txt)"
stats_before=$(sysctl -n kernel.bpf_stats_enabled)
trap 'sysctl -qw kernel.bpf_stats_enabled=$stats_before' EXIT
sysctl -qw kernel.bpf_stats_enabled=0

loop() { taskset -c 0 "$OUT/getppid_loop" "$N"; }
field() { sed -E "s/.*$1 ([0-9.]+).*/\1/"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# ids of the programs held open by PID (bpftrace's tracepoint programs are held by perf events, which fdinfo
# does not name: for it, the sys_enter/sys_exit programs that appeared after it started, see bpftrace_run)
fd_prog_ids() { cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '/^prog_id:/ {print $2}' | sort -u; }
syscall_prog_ids() { bpftool prog show 2>/dev/null | grep -E "^[0-9]+: .* name sys_(enter|exit)" | cut -d: -f1 | sort -u; }

# "id run_time_ns run_cnt" of the sys_enter*/sys_exit* programs among IDS
prog_stats() {
  local ids=$1
  for id in $ids; do
    # one bpftool call, read whole (a "| head -1" would SIGPIPE it now and then, and pipefail drop the id)
    local show; show=$(bpftool prog show id "$id" 2>/dev/null) || continue
    grep -qE "name sys_(enter|exit)" <<< "$show" || continue
    # bpftool leaves the figures out while they are 0
    awk -v id="$id" 'match($0, /run_time_ns [0-9]+ run_cnt [0-9]+/) {split(substr($0, RSTART, RLENGTH), f, " ");
      r = f[2]; c = f[4]} END {print id, r + 0, c + 0}' <<< "$show"
  done
}

# one attachment: prints "p10 cpu mean kernel_ns" (kernel_ns 0 without a probe)
measure() { # PROG-IDS-or-empty
  local w k0 k1
  w=$(loop)
  if [ -n "$1" ]; then
    sysctl -qw kernel.bpf_stats_enabled=1
    sleep 0.2
    k0=$(prog_stats "$1"); loop > /dev/null; k1=$(prog_stats "$1")
    sysctl -qw kernel.bpf_stats_enabled=0
    k=$(join <(echo "$k0") <(echo "$k1") | awk '$5 > $3 {s += ($4 - $2) / ($5 - $3)} END {printf "%.0f", s}')
    echo "ids [$1] before [$k0] after [$k1] -> $k" | tr '\n' ' ' >> "$OUT/kstats.log"; echo >> "$OUT/kstats.log"
  else
    k=0
  fi
  echo "$(echo "$w" | field p10) $(echo "$w" | field cpu) $(echo "$w" | field mean) $k"
}

harbinger() { # VARIANT -> appends "p10 cpu mean kernel_ns drops" to res[VARIANT]
  local v=$1 fifo="$OUT/fifo.$$" log="$OUT/probe.log" pid m
  IFS=: read -r attach storage batch <<< "$v"
  rm -f "$fifo"; mkfifo "$fifo"
  taskset -c 1 java -cp "$CP" io.harbinger.collector.bench.CollectorBench syscalls "$attach" "$storage" "$batch" \
    < "$fifo" > "$log" 2> "$OUT/probe.err" &
  pid=$!
  exec 3> "$fifo"
  for _ in $(seq 1 300); do grep -q ready "$log" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$log" || { echo "collector did not start: $(tail -3 "$OUT/probe.err")" >&2; exit 1; }
  sleep 2   # JIT warm-up of the drain path
  m=$(measure "$(fd_prog_ids "$pid")")
  exec 3>&-
  wait "$pid" || true
  rm -f "$fifo"
  drops=$(tail -1 "$log" | sed -E 's/.*"kernel_drops":([0-9]+).*"userspace_drops":([0-9]+).*/\1+\2/')
  res[$v]+="$m $drops;"
  echo "  $v: p10 cpu mean in-kernel = $m, drops $drops" >&2
}

bpftrace_run() {
  local pid m before
  before=$(syscall_prog_ids)
  bpftrace -e 'tracepoint:raw_syscalls:sys_enter { @start[tid] = nsecs; }
    tracepoint:raw_syscalls:sys_exit /@start[tid]/ { @lat = hist(nsecs - @start[tid]); delete(@start[tid]); }' \
    > "$OUT/bpftrace.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q Attaching "$OUT/bpftrace.out" 2>/dev/null && break; sleep 0.1; done
  sleep 1
  m=$(measure "$(comm -13 <(echo "$before") <(syscall_prog_ids))")
  # not INT alone: background jobs of a script ignore SIGINT; and bpftrace now and then ignores a TERM
  kill -TERM "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  wait "$pid" || true
  res[bpftrace]+="$m -;"
  echo "  bpftrace: p10 cpu mean in-kernel = $m" >&2
}

declare -A res
for i in $(seq 1 "$R"); do
  res[none]+="$(measure "") -;"
  for v in "${VARIANTS[@]}"; do harbinger "$v"; done
  bpftrace_run
  echo "round $i done" >&2
done

col() { echo "${res[$1]}" | tr ';' '\n' | grep . | awk -v c="$2" '{print $c}' | median; }
b10=$(col none 1); bcpu=$(col none 2)
t10=$(( $(printf %.0f "$(col bpftrace 1)") - $(printf %.0f "$b10") ))
{
  echo "getppid loop, $N syscalls per run, median of $R interleaved rounds; ns per syscall"
  printf "%-22s %8s %9s %8s %9s %10s %10s  %s\n" probe p10 "added" cpu "added" "wall mean" "in-kernel" \
    "drops (kernel+user) per round"
  for key in none "${VARIANTS[@]}" bpftrace; do
    p=$(col "$key" 1); c=$(col "$key" 2); m=$(col "$key" 3); k=$(col "$key" 4)
    a=$(echo "$p - $b10" | bc -l)
    printf "%-22s %8.1f %9.1f %8.1f %9.1f %10.1f %10s  %s\n" "$key" "$p" "$a" "$c" "$(echo "$c - $bcpu" | bc -l)" \
      "$m" "$k" "$(echo "${res[$key]}" | tr ';' '\n' | grep . | awk '{printf "%s ", $5}')"
  done
  for v in "${VARIANTS[@]}"; do
    printf "ratio to bpftrace, added p10 ns: %-18s %.2f\n" "$v" "$(echo "($(col "$v" 1) - $b10) / $t10" | bc -l)"
  done
} | tee "$OUT/syscall-overhead.txt"
