package io.harbinger.collector.bench;

import com.kenai.jffi.MemoryIO;
import io.harbinger.collector.Collector;
import io.harbinger.collector.CollectorSettings;
import io.harbinger.collector.CollectorStats;
import io.harbinger.collector.bpf.LibC;
import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import java.util.Set;
import io.harbinger.collector.enrich.BootClock;
import io.harbinger.collector.enrich.SyscallTable;
import io.harbinger.collector.publish.EventPump;
import io.harbinger.collector.publish.KafkaPublishing;
import io.harbinger.collector.publish.KafkaSink;
import io.harbinger.collector.publish.SyscallRing;
import io.harbinger.collector.syscall.SyscallEventLayout;
import io.harbinger.platform.Platform;
import io.harbinger.platform.PlatformConfig;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.serde.SpecificAvroSerializer;
import io.harbinger.topics.Topics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Collector drain → Avro → real broker, against Kafka's ProducerPerformance with the same record size and
 * producer settings, in one run. Broker and registry are the embedded platform's (own JVMs, 127.0.0.1).
 * Events enter exactly where the ring-buffer reader puts them ({@link SyscallRing#offer(long)} of a native
 * {@code struct syscall_event}), so everything after the kernel is measured.
 *
 * <p>Both are warmed up first and then measured in alternating rounds in this JVM. On a shared host wall-clock
 * throughput says as much about the neighbours as about the code, so every run also reports CPU time per
 * event: this JVM's (source thread, publisher, producer I/O thread, GC, JIT) and the broker's.
 * With a path to bench/collector/getppid_loop it also runs the whole path with real eBPF at the fixed rate.
 * usage: PublishBench STATE_DIR EVENTS RATE_FOR_FIXED_PHASE SECONDS_FOR_FIXED_PHASE [ROUNDS [GETPPID_LOOP]]
 */
public final class PublishBench {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private static long brokerPid;
    /** -Dbench.producer=k=v,k=v: producer settings to try, applied to both Harbinger and ProducerPerformance. */
    private static final Map<String, String> EXTRA_PRODUCER_PROPS = parseProps(System.getProperty("bench.producer", ""));

    static Map<String, String> parseProps(String s) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String kv : s.split(",")) {
            if (!kv.isBlank()) {
                m.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        long rate = Long.parseLong(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        Files.createDirectories(state);
        PlatformConfig pc = PlatformConfig.defaults(state).withPorts(free(), free(), free(), free());
        Platform platform = new Platform(pc);
        platform.up();
        try {
            brokerPid = platform.kafka().running().orElseThrow().pid();
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", pc.bootstrapServers());
            props.put("schema.registry.url", pc.registryUrl());
            props.putAll(EXTRA_PRODUCER_PROPS);
            System.out.println("producer settings over the collector's defaults, both sides: " + EXTRA_PRODUCER_PROPS);

            long rec = nativeRecord();
            int valueBytes = valueSize(props, rec);
            System.out.printf("record: %d value bytes (Avro + 5-byte header)%n", valueBytes);

            // warm-up of both (JIT, metadata, registry look-up), like a collector that has been running
            Result cold = run(props, rec, events, 0, true);
            System.out.printf("warm-up harbinger (first events after start): %.0f events/s, %s%n",
                    cold.delivered / cold.seconds, cold.cpu());
            Perf coldPerf = producerPerformance(pc.bootstrapServers(), events, valueBytes);
            System.out.printf("warm-up ProducerPerformance: %.0f records/s, %s%n", coldPerf.recordsPerSecond,
                    coldPerf.cpu());
            // alternating rounds, so that the host's load drifts over both alike
            List<Result> hs = new ArrayList<>();
            List<Perf> ps = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                // as fast as possible: the source waits when the hand-over queue is full
                Result h = run(props, rec, events, 0, true);
                System.out.printf("round %d harbinger: %d events in %.2f s = %.0f events/s, dropped %d, %s%n", r,
                        h.delivered, h.seconds, h.delivered / h.seconds, h.dropped, h.cpu());
                Perf p = producerPerformance(pc.bootstrapServers(), events, valueBytes);
                System.out.printf("round %d ProducerPerformance: %.0f records/s, %s%n", r, p.recordsPerSecond, p.cpu());
                hs.add(h);
                ps.add(p);
            }
            // a fixed rate with the real never-wait policy, drops counted
            Result fixed = run(props, rec, rate * seconds, rate, false);
            System.out.printf("harbinger at %d/s for %d s: delivered %d, dropped %d, produced %d in %.2f s, %s%n",
                    rate, seconds, fixed.delivered, fixed.dropped, fixed.produced, fixed.seconds, fixed.cpu());

            if (args.length > 5) {
                endToEnd(props, Path.of(args[5]), rate, seconds);
            }

            double hRate = median(hs.stream().mapToDouble(h -> h.delivered / h.seconds));
            double pRate = median(ps.stream().mapToDouble(Perf::recordsPerSecond));
            double hCpu = median(hs.stream().mapToDouble(Result::cpuNsPerEvent));
            double pCpu = median(ps.stream().mapToDouble(Perf::cpuNsPerRecord));
            System.out.printf("RESULT max_events_per_s=%.0f perf_records_per_s=%.0f ratio=%.2f harbinger_cpu_ns=%.0f "
                            + "perf_cpu_ns=%.0f cpu_ratio=%.2f broker_cpu_ns_harbinger=%.0f broker_cpu_ns_perf=%.0f "
                            + "fixed_rate=%d fixed_seconds=%d fixed_delivered=%d fixed_dropped=%d fixed_cpu_ns=%.0f "
                            + "value_bytes=%d (medians of %d rounds)%n",
                    hRate, pRate, hRate / pRate, hCpu, pCpu, pCpu / hCpu,
                    median(hs.stream().mapToDouble(Result::brokerNsPerEvent)),
                    median(ps.stream().mapToDouble(Perf::brokerNsPerRecord)),
                    rate, seconds, fixed.delivered, fixed.dropped, fixed.cpuNsPerEvent(), valueBytes, rounds);
        } finally {
            platform.down();
        }
    }

    /**
     * The whole path with real eBPF: a getppid loop paced at RATE for SECONDS, the collector's syscall probe
     * (allowlisted to the loop's comm), ring buffer, publisher and Kafka sink; kernel and user-space drops counted.
     */
    static void endToEnd(Map<String, Object> props, Path loop, long rate, int seconds) throws Exception {
        CollectorSettings d = CollectorSettings.defaults();
        CollectorSettings s = new CollectorSettings("bench-host", true,
                SyscallProbeOptions.defaults().withComms(Set.of(loop.getFileName().toString())), false,
                GoMapWatcher.Options.defaults(), d.queueCapacity(), d.mapQueueCapacity(), d.ringPollMs());
        CollectorStats st;
        double loopRate;
        long cpu0;
        long broker0;
        long t0;
        try (Collector c = Collector.start(s, () -> KafkaPublishing.sink(props))) {
            cpu0 = OS.getProcessCpuTime();
            broker0 = processCpuNs(brokerPid);
            t0 = System.nanoTime();
            Process p = new ProcessBuilder(loop.toString(), Long.toString(rate * seconds), Long.toString(rate))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            loopRate = 1e9 / Double.parseDouble(out); // the loop prints its mean ns per syscall
            if (p.waitFor() != 0) {
                throw new IllegalStateException(loop + " failed");
            }
            c.close();
            st = c.stats();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long cpu = OS.getProcessCpuTime() - cpu0;
        long broker = processCpuNs(brokerPid) - broker0;
        System.out.printf("end to end (real eBPF, getppid loop paced at %d/s for %d s, achieved %.0f/s): kernel "
                        + "submitted %d, kernel drops %d, produced %d, delivered %d, dropped %d (%.2f s from start to "
                        + "closed), CPU %.0f ns/event here, broker %.0f ns/event%n", rate, seconds, loopRate,
                st.submitted(), st.kernelDrops(), st.produced(), st.delivered(), st.dropped(), wall,
                (double) cpu / Math.max(1, st.delivered()), (double) broker / Math.max(1, st.delivered()));
        System.out.printf("RESULT_E2E rate=%d achieved=%.0f seconds=%d submitted=%d kernel_drops=%d produced=%d "
                + "delivered=%d dropped=%d%n", rate, loopRate, seconds, st.submitted(), st.kernelDrops(), st.produced(),
                st.delivered(), st.dropped());
    }

    static double median(java.util.stream.DoubleStream values) {
        double[] v = values.sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    record Result(long produced, long delivered, long dropped, double seconds, long cpuNs, long brokerCpuNs) {
        double cpuNsPerEvent() {
            return (double) cpuNs / Math.max(1, delivered);
        }

        double brokerNsPerEvent() {
            return (double) brokerCpuNs / Math.max(1, delivered);
        }

        String cpu() {
            return String.format("CPU %.0f ns/event here (%.2f cores), broker %.0f ns/event", cpuNsPerEvent(),
                    cpuNs / 1e9 / seconds, brokerNsPerEvent());
        }
    }

    record Perf(double recordsPerSecond, double cpuNsPerRecord, double brokerNsPerRecord) {
        String cpu() {
            return String.format("CPU %.0f ns/record here, broker %.0f ns/record", cpuNsPerRecord,
                    brokerNsPerRecord);
        }
    }

    /** utime + stime of a process, in ns (from /proc; USER_HZ ticks). */
    static long processCpuNs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // fields 14, 15; USER_HZ 100
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** CPU ns per thread name of this JVM (names as the kernel keeps them: 15 bytes; GC and JIT threads too). */
    static Map<String, Long> threadCpuNs() {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9#]+$", "").trim();
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L, Long::sum);
                } catch (java.io.IOException gone) {
                    // thread ended
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    static String cpuByThread(Map<String, Long> before, Map<String, Long> after, long events) {
        StringBuilder b = new StringBuilder();
        after.forEach((name, ns) -> {
            long d = ns - before.getOrDefault(name, 0L);
            if (d * 100 > 0 && (double) d / events >= 20) {
                b.append(String.format(" %s=%.0f", name, (double) d / events));
            }
        });
        return b.toString();
    }

    static Result run(Map<String, Object> props, long rec, long n, long rate, boolean wait) {
        SyscallRing ring = new SyscallRing(1 << 18);
        KafkaSink sink = KafkaPublishing.sink(props);
        BootClock clock = new BootClock(LibC.load());
        EventPump pump = new EventPump(ring, 1000, sink, "bench-host", clock, SyscallTable.forHost()).start();
        long cpu0 = OS.getProcessCpuTime();
        Map<String, Long> threads0 = threadCpuNs();
        long broker0 = processCpuNs(brokerPid);
        long t0 = System.nanoTime();
        MemoryIO mem = MemoryIO.getInstance();
        long x = 0x9E3779B97F4A7C15L;
        for (long i = 0; i < n; i++) {
            vary(mem, rec, i, x);
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            if (wait) {
                while (!ring.offerIfRoom(rec)) {
                    LockSupport.parkNanos(100_000L); // like the ring-buffer reader: sleep, never spin
                }
            } else {
                ring.offer(rec);
                if (rate > 0 && (i & 1023) == 1023) {
                    long due = t0 + (long) ((i + 1) * (1e9 / rate));
                    long now = System.nanoTime();
                    if (due > now) {
                        LockSupport.parkNanos(due - now);
                    }
                }
            }
        }
        while (!ring.isEmpty()) {
            LockSupport.parkNanos(1_000_000L);
        }
        // before close: a thread's CPU time goes with it
        System.out.println("  CPU ns/event by thread:" + cpuByThread(threads0, threadCpuNs(), n));
        pump.close();
        sink.close();
        double s = (System.nanoTime() - t0) / 1e9;
        return new Result(pump.produced(), pump.delivered(), pump.dropped(), s, OS.getProcessCpuTime() - cpu0,
                processCpuNs(brokerPid) - broker0);
    }

    // the syscalls a busy server makes most; 8 (comm, syscall) keys spread over the topic's partitions
    private static final int[] SYSCALLS = {0, 1, 3, 7, 44, 202, 232, 257};

    /**
     * Makes event i look like a real one, so that compression and the broker see realistic data (identical
     * records would compress ~10x and flatter us): boot time 2 µs apart, 64 threads of 8 processes, 8 syscalls,
     * latencies 0.3-16 µs and return values from a xorshift sequence.
     */
    static void vary(MemoryIO m, long rec, long i, long x) {
        m.putLong(rec + SyscallEventLayout.TS_BOOT_NS, 123_456_789_000L + i * 2_000L);
        m.putLong(rec + SyscallEventLayout.LATENCY_NS, 300 + (x & 0x3FFF));
        m.putLong(rec + SyscallEventLayout.RET, (x >>> 20) & 0xFFF);
        m.putInt(rec + SyscallEventLayout.TID, (int) (1000 + (i & 63)));
        m.putInt(rec + SyscallEventLayout.PID, (int) (1000 + (i & 7)));
        m.putInt(rec + SyscallEventLayout.SYSCALL_NR, SYSCALLS[(int) ((x >>> 40) & 7)]);
    }

    static long nativeRecord() {
        MemoryIO m = MemoryIO.getInstance();
        long e = m.allocateMemory(SyscallEventLayout.SIZE, true);
        m.putLong(e + SyscallEventLayout.TS_BOOT_NS, 123_456_789_000L);
        m.putLong(e + SyscallEventLayout.LATENCY_NS, 4761);
        m.putLong(e + SyscallEventLayout.RET, 512);
        m.putLong(e + SyscallEventLayout.CGROUP_ID, 4242);
        m.putInt(e + SyscallEventLayout.PID, 1001);
        m.putInt(e + SyscallEventLayout.TID, 1001);
        m.putInt(e + SyscallEventLayout.SYSCALL_NR, 0);
        m.putInt(e + SyscallEventLayout.SAMPLE_WEIGHT, 1);
        byte[] comm = "postgres".getBytes(StandardCharsets.UTF_8);
        m.putByteArray(e + SyscallEventLayout.COMM, comm, 0, comm.length);
        return e;
    }

    /** Mean value size (wire format) over the varied events the source makes. */
    static int valueSize(Map<String, Object> props, long rec) {
        SpecificAvroSerializer<SyscallEvent> s = new SpecificAvroSerializer<>(SyscallEvent.class);
        s.configure(props, false);
        SyscallTable names = SyscallTable.forHost();
        MemoryIO mem = MemoryIO.getInstance();
        long x = 0x9E3779B97F4A7C15L;
        long bytes = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            vary(mem, rec, i, x);
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            SyscallEvent e = new SyscallEvent("bench-host", SyscallEventLayout.tsBootNs(rec) + 1_700_000_000_000_000_000L,
                    SyscallEventLayout.pid(rec), SyscallEventLayout.tid(rec), "postgres", 4242L,
                    SyscallEventLayout.syscallNr(rec), names.name(SyscallEventLayout.syscallNr(rec)),
                    SyscallEventLayout.latencyNs(rec), SyscallEventLayout.ret(rec), 1);
            bytes += s.serialize(Topics.SYSCALL_EVENTS, e).length;
        }
        return (int) Math.round((double) bytes / n);
    }

    /**
     * Runs Kafka's ProducerPerformance in this JVM (after the same warm-up as ours, so neither pays for JIT),
     * taking the rate it reports and this process's CPU time over the run.
     */
    static Perf producerPerformance(String bootstrap, long n, int recordSize) throws Exception {
        // the collector's producer defaults, then the same overrides as ours
        Map<String, Object> p = KafkaPublishing.producerDefaults();
        p.remove("client.id");
        p.putAll(EXTRA_PRODUCER_PROPS);
        p.put("bootstrap.servers", bootstrap);
        List<String> a = new ArrayList<>(List.of("--topic", "harbinger.bench.perf", "--num-records", Long.toString(n),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props"));
        p.forEach((k, v) -> a.add(k + "=" + v));
        String[] args = a.toArray(String[]::new);
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        long cpu0 = OS.getProcessCpuTime();
        long broker0 = processCpuNs(brokerPid);
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            org.apache.kafka.tools.ProducerPerformance.main(args);
        } finally {
            System.setOut(out);
        }
        long cpuNs = OS.getProcessCpuTime() - cpu0;
        long brokerNs = processCpuNs(brokerPid) - broker0;
        String last = null;
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("records sent")) {
                last = line;
            }
        }
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no result: " + captured);
        }
        // "N records sent, X records/sec (Y MB/sec), ..."
        double perSecond = Double.parseDouble(last.split(",")[1].trim().split(" ")[0]);
        return new Perf(perSecond, (double) cpuNs / n, (double) brokerNs / n);
    }

    static int free() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
