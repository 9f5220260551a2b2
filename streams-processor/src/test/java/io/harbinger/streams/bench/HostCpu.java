package io.harbinger.streams.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Host CPU (all cores, from /proc/stat) and this JVM's CPU (/proc/self/stat), in clock ticks, and per-thread CPU of
 * this JVM: what each measured phase of the streams bench cost the host.
 */
record HostCpu(long busy, long total, long self, long broker, long registry) {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static HostCpu now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new HostCpu(total - idle, total, ticks("self"), ticks(BROKER), ticks(REGISTRY));
        } catch (java.io.IOException | RuntimeException e) {
            return new HostCpu(0, 0, 0, 0, 0);
        }
    }

    /** The embedded platform's JVMs on this host (by main class), "" when not found. */
    static final String BROKER = pidOf("kafka.Kafka");
    static final String REGISTRY = pidOf("RegistryApplication");

    static String pidOf(String mainClass) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(" " + mainClass)).orElse(false))
                .map(p -> Long.toString(p.pid())).findFirst().orElse("");
    }

    /** utime + stime of a process, in clock ticks (0 when it is not there). */
    static long ticks(String pid) {
        if (pid.isEmpty()) {
            return 0;
        }
        try {
            String st = Files.readString(Path.of("/proc", pid, "stat"));
            String[] g = st.substring(st.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(g[11]) + Long.parseLong(g[12]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** "host busy X of N cores: this JVM Y, broker B, registry R, the rest (kernel, ...) Z" since {@code start}. */
    String since(HostCpu start) {
        if (start == null) {
            return "host CPU unavailable (the clock never started)";
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double span = (total - start.total) / (double) cores; // ticks of wall time
        if (span <= 0) {
            return "host CPU unavailable";
        }
        double busyCores = (busy - start.busy) / span;
        double selfCores = (self - start.self) / span;
        double brokerCores = (broker - start.broker) / span;
        double registryCores = (registry - start.registry) / span;
        return String.format("host busy %.2f of %d cores: this JVM %.2f, broker %.2f, registry %.2f, the rest (kernel, "
                        + "other processes) %.2f", busyCores, cores, selfCores, brokerCores, registryCores,
                busyCores - selfCores - brokerCores - registryCores);
    }

    /** CPU time so far, in ns, of this JVM's Java threads whose name contains {@code part}. */
    static long cpuOfThreads(String part) {
        long total = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains(part)) {
                total += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return total;
    }

    /** CPU ticks so far of this JVM's native threads (GC and JIT included), by name with digits dropped. */
    static Map<String, Long> byThreadName() {
        return byThreadName("self");
    }

    /** The same for the process {@code pid} (empty when it is not there). */
    static Map<String, Long> byThreadName(String pid) {
        Map<String, Long> out = new HashMap<>();
        if (pid.isEmpty()) {
            return out;
        }
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String st = Files.readString(t.resolve("stat"));
                    String name = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] g = st.substring(st.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(g[11]) + Long.parseLong(g[12]), Long::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            // no procfs: no breakdown
        }
        return out;
    }

    /** Cores the JIT compiler threads took between two {@link #byThreadName} snapshots {@code seconds} apart. */
    static double compilerCores(Map<String, Long> from, Map<String, Long> to, double seconds) {
        long ticks = 0;
        for (Map.Entry<String, Long> e : to.entrySet()) {
            if (e.getKey().contains("CompilerThre")) {
                ticks += e.getValue() - from.getOrDefault(e.getKey(), 0L);
            }
        }
        return ticks / 100.0 / seconds; // USER_HZ: 100 on Linux
    }

    /** The busiest thread names between two {@link #byThreadName} snapshots, as shares of a core. */
    static String busiest(Map<String, Long> from, Map<String, Long> to, double seconds) {
        return to.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - from.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / 100.0 / seconds)) // USER_HZ: 100 on Linux
                .collect(Collectors.joining(", "));
    }
}
