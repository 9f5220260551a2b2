package io.harbinger.collector.bench;

import com.kenai.jffi.MemoryIO;
import io.harbinger.collector.bpf.LibC;
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
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
 * usage: PublishBench STATE_DIR EVENTS RATE_FOR_DROP_PHASE SECONDS_FOR_DROP_PHASE
 */
public final class PublishBench {
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        long rate = Long.parseLong(args[2]);
        int seconds = Integer.parseInt(args[3]);
        Files.createDirectories(state);
        PlatformConfig pc = PlatformConfig.defaults(state).withPorts(free(), free(), free(), free());
        Platform platform = new Platform(pc);
        platform.up();
        try {
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", pc.bootstrapServers());
            props.put("schema.registry.url", pc.registryUrl());

            long rec = nativeRecord();
            int valueBytes = valueSize(props, rec);
            System.out.printf("record: %d value bytes (Avro + 5-byte header)%n", valueBytes);

            // phase 1: as fast as possible, the source waits when the hand-over queue is full
            Result max = run(props, rec, events, 0, true);
            System.out.printf("harbinger max: %d events in %.2f s = %.0f events/s, dropped %d%n",
                    max.delivered, max.seconds, max.delivered / max.seconds, max.dropped);
            // phase 2: a fixed rate with the real never-wait policy, drops counted
            Result fixed = run(props, rec, rate * seconds, rate, false);
            System.out.printf("harbinger at %d/s for %d s: delivered %d, dropped %d, produced %d%n",
                    rate, seconds, fixed.delivered, fixed.dropped, fixed.produced);

            double perf = producerPerformance(pc.bootstrapServers(), events, valueBytes);
            System.out.printf("ProducerPerformance: %.0f records/s%n", perf);
            System.out.printf("RESULT max_events_per_s=%.0f perf_records_per_s=%.0f ratio=%.2f fixed_rate=%d "
                            + "fixed_dropped=%d fixed_delivered=%d value_bytes=%d%n",
                    max.delivered / max.seconds, perf, (max.delivered / max.seconds) / perf, rate, fixed.dropped,
                    fixed.delivered, valueBytes);
        } finally {
            platform.down();
        }
    }

    record Result(long produced, long delivered, long dropped, double seconds) {}

    static Result run(Map<String, Object> props, long rec, long n, long rate, boolean wait) {
        SyscallRing ring = new SyscallRing(1 << 18);
        KafkaSink sink = KafkaPublishing.sink(props);
        BootClock clock = new BootClock(LibC.load());
        EventPump pump = new EventPump(ring, 1000, sink, "bench-host", clock, SyscallTable.forHost()).start();
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            MemoryIO.getInstance().putInt(rec + SyscallEventLayout.TID, (int) (1000 + (i & 63)));
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
        pump.close();
        sink.close();
        double s = (System.nanoTime() - t0) / 1e9;
        return new Result(pump.produced(), pump.delivered(), pump.dropped(), s);
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

    static int valueSize(Map<String, Object> props, long rec) {
        SpecificAvroSerializer<SyscallEvent> s = new SpecificAvroSerializer<>(SyscallEvent.class);
        s.configure(props, false);
        SyscallEvent e = new SyscallEvent("bench-host", System.currentTimeMillis() * 1_000_000L, 1001, 1001,
                "postgres", 4242L, 0, "read", 4761L, 512L, 1);
        return s.serialize(Topics.SYSCALL_EVENTS, e).length;
    }

    static double producerPerformance(String bootstrap, long n, int recordSize) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", "harbinger.bench.perf", "--num-records", Long.toString(n),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true", "compression.type=lz4",
                "linger.ms=20", "batch.size=262144", "buffer.memory=67108864"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains("records sent")) {
                    last = line;
                }
            }
        }
        p.waitFor();
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no result");
        }
        System.out.println("ProducerPerformance: " + last);
        // "N records sent, X records/sec (Y MB/sec), ..."
        String[] parts = last.split(",");
        return Double.parseDouble(parts[1].trim().split(" ")[0]);
    }

    static int free() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
