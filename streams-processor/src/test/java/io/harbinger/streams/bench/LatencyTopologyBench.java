package io.harbinger.streams.bench;

import io.harbinger.platform.Platform;
import io.harbinger.platform.PlatformConfig;
import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The latency topology against a real broker (the embedded platform: own JVMs, 127.0.0.1), side by side with a plain
 * KafkaConsumer draining the same topic in the same run:
 * <ol>
 *   <li>throughput: N pre-produced events, drained in rounds by each side in a JVM of its own ({@link BenchSide}):
 *       a plain consumer (raw bytes; decoding Avro), Kafka Streams with a no-op processor (its own floor), and the
 *       streams service (exactly-once v2, its defaults); per round the ratio of the topology's events/s to the
 *       consumers', and the median over rounds;</li>
 *   <li>delay: events produced live at a fixed rate with event time = now; for every closed window, the wall time
 *       its result reaches the output topic minus the time the window closed (end + grace);</li>
 *   <li>state: serialized bytes per (key, window) aggregate and on-disk state-store bytes per key.</li>
 * </ol>
 * usage: LatencyTopologyBench STATE_DIR EVENTS KEYS LIVE_RATE LIVE_SECONDS [ROUNDS [SIDES]]
 * (SIDES: comma-separated, of raw,avro,noop,topology; all by default). JVM options of the sides from the environment:
 * {@code SIDE_JVM} (all) and {@code SIDE_JVM_RAW}, {@code SIDE_JVM_TOPOLOGY}, ... (one, e.g. a profiler agent). A side
 * named {@code base-SIDE} runs SIDE over the main classes in {@code BASE_CLASSES} (another build) instead.
 */
public final class LatencyTopologyBench {
    /**
     * Events per second of event time in the pre-produced topic: how often windows close relative to the events
     * processed. Live traffic at R events/s closes each key's window once per window size of wall time; 1M (default)
     * closes every window once per 15M events here, already more often than a live host or fleet at the rates
     * measured. 50,000 (15M events over 5 minutes, what this bench used before) is a recording replayed at full speed,
     * where every window closes every 3M events or so.
     */
    static final double EVENTS_PER_S = Double.parseDouble(System.getProperty("bench.events.per.s", "1000000"));

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        int keys = Integer.parseInt(args[2]);
        int liveRate = Integer.parseInt(args[3]);
        int liveSeconds = Integer.parseInt(args[4]);
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        List<String> sides = List.of((args.length > 6 ? args[6] : "raw,avro,noop,topology").split(","));
        Files.createDirectories(state);
        PlatformConfig pc = PlatformConfig.defaults(state.resolve("platform")).withPorts(free(), free(), free(), free())
                .withHeaps("1g", "256m");
        Platform platform = new Platform(pc);
        platform.up();
        try {
            Map<String, Object> client = new HashMap<>();
            client.put("bootstrap.servers", pc.bootstrapServers());
            client.put("schema.registry.url", pc.registryUrl());
            List<SyscallKey> keyList = keys(keys);
            // recent event times: the broker's time-based retention would delete records stamped months ago
            long spanMs = Math.max(1, (long) (events * 1000.0 / EVENTS_PER_S));
            long t0 = (System.currentTimeMillis() - spanMs - 600_000) / 60_000 * 60_000;
            long produceStart = System.nanoTime();
            produce(client, Topics.SYSCALL_EVENTS, keyList, events, t0, spanMs);
            System.out.printf("produced %d events over %d keys in %.1f s, spread over %.1f s of event time (%,.0f events "
                            + "per second of event time: -Dbench.events.per.s) from a minute's start, then one event per key "
                            + "70 s later (every window closes)%n", events, keys, (System.nanoTime() - produceStart) / 1e9,
                    spanMs / 1000.0, EVENTS_PER_S);

            List<Map<String, Map<String, String>>> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Map<String, Map<String, String>> r = new LinkedHashMap<>();
                for (String side : sides) {
                    Map<String, String> m = runSide(side, pc, state.resolve("sides"));
                    r.put(side, m);
                    System.out.printf("round %d %-13s %,12.0f events/s  CPU %5s ns/event  (after %s warm-up passes; JIT "
                                    + "%s cores, broker's %s during the measured pass)%n    %s%n    %s%n", round, side,
                            Double.parseDouble(m.get("rate")), m.get("cpu_ns"), m.get("warmup_passes"), m.get("jit_cores"),
                            m.get("broker_jit_cores"),
                            m.get("host").replace('_', ' '), m.get("threads").replace('_', ' '));
                }
                results.add(r);
                System.out.printf("round %d ratios: %s%n", round, ratios(r));
            }
            Map<String, String> topology = results.get(results.size() - 1).get("topology");
            if (topology != null) {
                System.out.printf("topology: last commit %s ms after the last record was processed; state %s "
                                + "serialized bytes per (key, window) aggregate, %s on-disk bytes per key%n",
                        topology.get("last_commit_after_ms"), topology.get("bytes_per_aggregate"),
                        topology.get("disk_bytes_per_key"));
            }

            // LIVE_SECONDS 0 skips the delay phase (throughput experiments)
            Delay d = liveSeconds == 0 ? new Delay(0, -1, -1)
                    : live(client, keyList, liveRate, liveSeconds, state.resolve("streams-live"));
            if (liveSeconds > 0) {
                System.out.printf("live at %d events/s (%.0f reached) for %d s: %d window results, delay after close "
                        + "p50 %d ms, max %d ms%n", liveRate, lastLiveRate, liveSeconds, d.count, d.p50, d.max);
            }
            StringBuilder result = new StringBuilder("RESULT rounds=" + rounds + " warmup=" + BenchSide.WARM_UP);
            for (String side : sides) {
                result.append(String.format(" %s_per_s_median=%.0f", side, median(results, r -> rate(r, side))));
            }
            for (String topo : List.of("topology", "base-topology")) {
                for (String base : List.of("raw", "avro")) {
                    if (sides.contains(base) && sides.contains(topo)) {
                        result.append(String.format(" ratio_%s%s_median=%.2f", base, topo.equals("topology") ? "" : "_base",
                                median(results, r -> rate(r, topo) / rate(r, base))));
                    }
                }
            }
            if (topology != null) {
                result.append(" stream_threads=").append(topology.get("threads_n"))
                        .append(" bytes_per_aggregate=").append(topology.get("bytes_per_aggregate"))
                        .append(" disk_bytes_per_key=").append(topology.get("disk_bytes_per_key"));
            }
            result.append(String.format(" live_rate=%.0f delay_p50_ms=%d delay_max_ms=%d", lastLiveRate, d.p50, d.max));
            System.out.println(result);
        } finally {
            platform.down();
        }
    }

    static double rate(Map<String, Map<String, String>> round, String side) {
        return Double.parseDouble(round.get(side).get("rate"));
    }

    static String ratios(Map<String, Map<String, String>> r) {
        List<String> out = new ArrayList<>();
        for (String side : List.of("noop", "topology", "base-topology")) {
            for (String base : List.of("raw", "avro")) {
                if (r.containsKey(side) && r.containsKey(base)) {
                    out.add(String.format("%s/%s %.2f", side, base, rate(r, side) / rate(r, base)));
                }
            }
        }
        if (r.containsKey("topology") && r.containsKey("noop")) {
            out.add(String.format("topology/noop %.2f", rate(r, "topology") / rate(r, "noop")));
        }
        return String.join(", ", out);
    }

    static double median(List<Map<String, Map<String, String>>> rounds,
                         java.util.function.ToDoubleFunction<Map<String, Map<String, String>>> f) {
        double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Runs one side in a JVM of its own (this JVM's classpath) and returns the figures of its SIDE line. */
    static Map<String, String> runSide(String side, PlatformConfig pc, Path state) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx2g");
        addOptions(cmd, System.getenv().getOrDefault("SIDE_JVM", ""));
        addOptions(cmd, System.getenv().getOrDefault("SIDE_JVM_" + side.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), ""));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench."))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        String cp = System.getProperty("java.class.path");
        String what = side;
        if (side.startsWith("base-")) {
            // the same side over another build's main classes (BASE_CLASSES): two commits compared in one run
            String base = System.getenv("BASE_CLASSES");
            String main = System.getenv("MAIN_CLASSES");
            if (base == null || main == null || !cp.contains(main)) {
                throw new IllegalArgumentException("side " + side + " needs BASE_CLASSES (and the script's MAIN_CLASSES)");
            }
            cp = cp.replace(main, base);
            what = side.substring("base-".length());
        }
        cmd.addAll(List.of("-cp", cp, BenchSide.class.getName(), what, pc.bootstrapServers(), pc.registryUrl(),
                state.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(
                state.getParent().resolve("sides.err").toFile())).start();
        Map<String, String> figures = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("SIDE ")) {
                    figures = new LinkedHashMap<>();
                    for (String kv : line.substring(5).split(" ")) {
                        int eq = kv.indexOf('=');
                        figures.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || figures == null) {
            throw new IllegalStateException("bench side " + side + " failed (exit " + rc + "): see "
                    + state.getParent().resolve("sides.err"));
        }
        return figures;
    }

    static void addOptions(List<String> cmd, String options) {
        for (String o : options.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
    }

    static List<SyscallKey> keys(int n) {
        String[] syscalls = {"read", "write", "openat", "futex", "epoll_wait", "recvfrom", "sendto", "close"};
        List<SyscallKey> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SyscallKey("host-" + (i % 16), "comm-" + (i / 16 % 8), syscalls[i / 128 % syscalls.length]
                    + (i >= 1024 ? "-" + i : "")));
        }
        return out;
    }

    static SyscallEvent event(SyscallKey k, long tsMs, Random rnd) {
        long latency = (long) (2000 * Math.exp(rnd.nextGaussian() * 1.2));
        return new SyscallEvent(k.getHost(), tsMs * 1_000_000 + rnd.nextInt(1_000_000), 1000, 1001, k.getComm(), 0L, 0,
                k.getSyscall(), latency, rnd.nextInt(50) == 0 ? -11L : 1L, 1);
    }

    /** N events spread evenly over {@code spanMs} of event time, in time order. */
    static void produce(Map<String, Object> client, String topic, List<SyscallKey> keys, long n, long t0, long spanMs) {
        Random rnd = new Random(1);
        try (KafkaProducer<SyscallKey, SyscallEvent> p = producer(client)) {
            for (long i = 0; i < n; i++) {
                long ts = t0 + i * spanMs / n;
                SyscallKey k = keys.get((int) (i % keys.size()));
                p.send(new ProducerRecord<>(topic, null, ts, k, event(k, ts, rnd)));
            }
            // one event per key past the last window's close, so every window of the run closes
            long tick = t0 + spanMs + 70_000;
            for (SyscallKey k : keys) {
                p.send(new ProducerRecord<>(topic, null, tick, k, event(k, tick, rnd)));
            }
        }
    }

    static KafkaProducer<SyscallKey, SyscallEvent> producer(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        c.put(ProducerConfig.ACKS_CONFIG, "1");
        return new KafkaProducer<>(c, TopicSpecs.SYSCALL_EVENTS.keySerde(client).serializer(),
                TopicSpecs.SYSCALL_EVENTS.valueSerde(client).serializer());
    }

    record Delay(long count, long p50, long max) {}

    /** Live phase: event time = now, window 10 s, grace 2 s (so several windows close in a short run). */
    /** Events per second the last live run actually produced. */
    static double lastLiveRate;

    static Delay live(Map<String, Object> client, List<SyscallKey> keys, int rate, int seconds, Path stateDir)
            throws Exception {
        String app = "bench-live-" + System.nanoTime();
        Properties p = BenchSide.streamsProps(client, app);
        p.put("harbinger.latency.window.ms", "10000");
        p.put("harbinger.latency.grace.ms", "2000");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        StreamsServiceConfig cfg = StreamsServiceConfig.from(p, stateDir);
        List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, app + "-watch");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long liveStart = System.currentTimeMillis();
        try (StreamsService s = new StreamsService(cfg);
             KafkaConsumer<LatencyWindowKey, SyscallLatencyWindow> watch = new KafkaConsumer<>(c,
                     TopicSpecs.SYSCALL_LATENCY.keySerde(client).deserializer(),
                     TopicSpecs.SYSCALL_LATENCY.valueSerde(client).deserializer());
             KafkaProducer<SyscallKey, SyscallEvent> producer = producer(client)) {
            s.start();
            while (s.streams().state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(100);
            }
            watch.subscribe(List.of(Topics.SYSCALL_LATENCY));
            watch.poll(Duration.ofMillis(500));
            Thread watcher = new Thread(() -> {
                long stop = System.currentTimeMillis() + (seconds + 20) * 1000L;
                while (System.currentTimeMillis() < stop) {
                    for (ConsumerRecord<LatencyWindowKey, SyscallLatencyWindow> r : watch.poll(Duration.ofMillis(100))) {
                        long closedAt = r.value().getWindowEndMs() + 2000;
                        if (r.value().getWindowStartMs() >= liveStart) {
                            delays.add(System.currentTimeMillis() - closedAt);
                        }
                    }
                }
            });
            watcher.start();
            Random rnd = new Random(2);
            long start = System.nanoTime();
            long total = (long) rate * seconds;
            for (long i = 0; i < total; i++) {
                SyscallKey k = keys.get((int) (i % keys.size()));
                producer.send(new ProducerRecord<>(Topics.SYSCALL_EVENTS, k, event(k, System.currentTimeMillis(), rnd)));
                if ((i & 255) == 255) {
                    long due = start + (long) ((i + 1) * (1e9 / rate));
                    long now = System.nanoTime();
                    if (due > now) {
                        Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                    }
                }
            }
            // the offered rate as paced (a loaded host may not reach the target: the delay is measured at this one)
            lastLiveRate = total / ((System.nanoTime() - start) / 1e9);
            // keep every partition's stream time moving until the watcher is done, as live traffic would
            long stopAt = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < stopAt) {
                for (SyscallKey k : keys) {
                    producer.send(new ProducerRecord<>(Topics.SYSCALL_EVENTS, k, event(k, System.currentTimeMillis(), rnd)));
                }
                Thread.sleep(100);
            }
            watcher.join();
        }
        List<Long> sorted = delays.stream().sorted().collect(Collectors.toList());
        if (sorted.isEmpty()) {
            return new Delay(0, -1, -1);
        }
        return new Delay(sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    static int free() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
