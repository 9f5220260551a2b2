package io.harbinger.streams.bench;

import io.harbinger.platform.Platform;
import io.harbinger.platform.PlatformConfig;
import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.harbinger.streams.latency.LatencyAggregate;
import io.harbinger.streams.latency.SyscallLatencyTopology;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The latency topology against a real broker (the embedded platform: own JVMs, 127.0.0.1), side by side with a plain
 * KafkaConsumer draining the same topic in the same run:
 * <ol>
 *   <li>throughput: N pre-produced events through the topology (exactly-once v2) vs the plain consumer (raw bytes,
 *       and decoding Avro as the topology must);</li>
 *   <li>delay: events produced live at a fixed rate with event time = now; for every closed window, the wall time
 *       its result reaches the output topic minus the time the window closed (end + grace);</li>
 *   <li>state: serialized bytes per (key, window) aggregate and on-disk state-store bytes per key.</li>
 * </ol>
 * usage: LatencyTopologyBench STATE_DIR EVENTS KEYS LIVE_RATE LIVE_SECONDS
 */
public final class LatencyTopologyBench {
    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time so far of this JVM's threads whose name contains {@code part}. */
    static long cpuOfThreads(String part) {
        long total = 0;
        for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains(part)) {
                long c = THREADS.getThreadCpuTime(t.getThreadId());
                total += Math.max(0, c);
            }
        }
        return total;
    }

    /** Host CPU (all cores, from /proc/stat) and this JVM's CPU (/proc/self/stat), in clock ticks. */
    record HostCpu(long busy, long total, long self) {
        static HostCpu now() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                String st = Files.readString(Path.of("/proc/self/stat"));
                String[] g = st.substring(st.lastIndexOf(')') + 2).split(" ");
                return new HostCpu(total - idle, total, Long.parseLong(g[11]) + Long.parseLong(g[12]));
            } catch (java.io.IOException | RuntimeException e) {
                return new HostCpu(0, 0, 0);
            }
        }

        /** "host busy X of N cores, this JVM Y, others (broker, registry) Z" since {@code start}. */
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
            return String.format("host busy %.2f of %d cores: this JVM %.2f, others (broker, registry) %.2f", busyCores,
                    cores, selfCores, busyCores - selfCores);
        }
    }

    /** CPU ticks so far of this JVM's native threads (GC and JIT included), by name with digits dropped. */
    static Map<String, Long> cpuByThreadName() {
        Map<String, Long> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
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

    /** The busiest thread names between two {@link #cpuByThreadName} snapshots, as shares of a core. */
    static String busiest(Map<String, Long> from, Map<String, Long> to, double seconds) {
        return to.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - from.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / 100.0 / seconds)) // USER_HZ: 100 on Linux
                .collect(Collectors.joining(", "));
    }

    /** Host CPU over the last measured phase (from its clock's start to its end). */
    static String lastPhaseCpu = "";

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        int keys = Integer.parseInt(args[2]);
        int liveRate = Integer.parseInt(args[3]);
        int liveSeconds = Integer.parseInt(args[4]);
        Files.createDirectories(state);
        PlatformConfig pc = PlatformConfig.defaults(state.resolve("platform")).withPorts(free(), free(), free(), free())
                .withHeaps("1g", "256m");
        Platform platform = new Platform(pc);
        platform.up();
        try {
            Map<String, Object> client = new HashMap<>();
            client.put("bootstrap.servers", pc.bootstrapServers());
            client.put("schema.registry.url", pc.registryUrl());
            // `up` created the contract's topics; the topology reads harbinger.syscall.events, the consumer too.
            String topic = Topics.SYSCALL_EVENTS;
            List<SyscallKey> keyList = keys(keys);
            // recent event times: the broker's time-based retention would delete records stamped months ago
            long t0 = (System.currentTimeMillis() - 600_000) / 60_000 * 60_000;
            long produceStart = System.nanoTime();
            produce(client, topic, keyList, events, t0, 300_000);
            System.out.printf("produced %d events over %d keys in %.1f s%n", events, keys,
                    (System.nanoTime() - produceStart) / 1e9);

            double rawRate = drain(client, topic, events, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            double rawCpu = lastDrainCpuNsPerRecord;
            String rawHost = lastPhaseCpu;
            double avroRate = drain(client, topic, events, TopicSpecs.SYSCALL_EVENTS.keySerde(client).deserializer(),
                    TopicSpecs.SYSCALL_EVENTS.valueSerde(client).deserializer());
            double avroCpu = lastDrainCpuNsPerRecord;
            String avroHost = lastPhaseCpu;
            System.out.printf("plain KafkaConsumer: raw bytes %.0f records/s, Avro-decoding %.0f records/s%n",
                    rawRate, avroRate);
            System.out.printf("  CPU while draining raw: %s; Avro: %s%n", rawHost, avroHost);

            // Kafka Streams' own floor: the same settings (exactly-once v2, threads, commit interval), raw bytes, a
            // processor that does nothing - what any topology pays per record before doing any work
            double floor = FLOOR ? runNoopTopology(client, state.resolve("streams-noop")) : 0;
            if (FLOOR) {
                System.out.printf("Kafka Streams floor (no-op processor, raw bytes, same settings): %.0f events/s%n",
                        floor);
                System.out.printf("  CPU: %s%n", lastPhaseCpu);
            }

            Path streamsState = state.resolve("streams");
            Result r = runTopology(client, streamsState);
            System.out.printf("latency topology (exactly-once v2, %d stream threads): %.0f events/s; %d windows out%n",
                    r.threads, r.rate, r.windows);
            System.out.printf("  CPU: %s%n", r.hostCpu);
            System.out.printf("CPU per record: consumer raw %.0f ns, consumer Avro %.0f ns, topology stream threads "
                    + "%.0f ns (+ their producers' network threads %.0f ns)%n", rawCpu, avroCpu, r.streamCpuNs, r.producerCpuNs);
            System.out.printf("state: %.0f serialized bytes per (key, window) aggregate; %.0f on-disk bytes per key%n",
                    r.bytesPerAggregate, r.diskBytesPerKey);

            // LIVE_SECONDS 0 skips the delay phase (throughput experiments)
            Delay d = liveSeconds == 0 ? new Delay(0, -1, -1)
                    : live(client, keyList, liveRate, liveSeconds, state.resolve("streams-live"));
            System.out.printf("live at %d events/s (%.0f reached) for %d s: %d window results, delay after close "
                    + "p50 %d ms, max %d ms%n", liveRate, lastLiveRate, liveSeconds, d.count, d.p50, d.max);
            System.out.printf("RESULT streams_noop_per_s=%.0f ratio_noop_raw=%.2f ratio_topology_noop=%.2f%n", floor,
                    floor / rawRate, floor == 0 ? 0 : r.rate / floor);
            System.out.printf("RESULT stream_threads=%d warmup=%.2f topology_events_per_s=%.0f consumer_raw_per_s=%.0f consumer_avro_per_s=%.0f "
                            + "ratio_raw=%.2f ratio_avro=%.2f live_rate=%.0f delay_p50_ms=%d delay_max_ms=%d bytes_per_aggregate=%.0f "
                            + "disk_bytes_per_key=%.0f cpu_ns_consumer_raw=%.0f cpu_ns_consumer_avro=%.0f "
                            + "cpu_ns_topology=%.0f cpu_ratio_raw=%.2f cpu_ratio_avro=%.2f%n", r.threads, WARM_UP, r.rate, rawRate, avroRate,
                    r.rate / rawRate, r.rate / avroRate, lastLiveRate, d.p50, d.max, r.bytesPerAggregate, r.diskBytesPerKey, rawCpu,
                    avroCpu, r.streamCpuNs + r.producerCpuNs, rawCpu / (r.streamCpuNs + r.producerCpuNs),
                    avroCpu / (r.streamCpuNs + r.producerCpuNs));
        } finally {
            platform.down();
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

    /**
     * Share of the events read before the clocks start, on both sides ({@code -Dbench.warmup}, default 1/3): a
     * short run is mostly JIT compilation (the C2 compiler thread took most of a core for the first seconds of the
     * topology, competing with the stream thread), which is not the sustained rate.
     */
    static final double WARM_UP = Double.parseDouble(System.getProperty("bench.warmup", "0.3333"));
    /** {@code num.stream.threads} of the measured applications ({@code -Dbench.threads}; the service default if unset). */
    static final String THREADS_OVERRIDE = System.getProperty("bench.threads");

    /** CPU ns per record of the last drain (the classic consumer does its fetching on the calling thread). */
    static double lastDrainCpuNsPerRecord;

    static <K, V> double drain(Map<String, Object> client, String topic, long n, Deserializer<K> kd, Deserializer<V> vd) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-drain-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long seen = 0;
        long start = 0;
        long first = 0;
        long cpu0 = 0;
        HostCpu host0 = null;
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(c, kd, vd)) {
            consumer.subscribe(List.of(topic));
            while (seen < n) {
                ConsumerRecords<K, V> rs = consumer.poll(Duration.ofMillis(500));
                seen += rs.count();
                if (start == 0 && seen > 0 && seen >= n * WARM_UP) {
                    // the clock starts once the warm-up share is read, as for the topology: group joins and the
                    // JIT's first compilations are not sustained throughput
                    start = System.nanoTime();
                    cpu0 = THREADS.getCurrentThreadCpuTime();
                    host0 = HostCpu.now();
                    first = seen;
                }
            }
        }
        lastDrainCpuNsPerRecord = (THREADS.getCurrentThreadCpuTime() - cpu0) / (double) (seen - first);
        lastPhaseCpu = HostCpu.now().since(host0);
        return (seen - first) / ((System.nanoTime() - start) / 1e9);
    }

    record Result(double rate, long windows, double bytesPerAggregate, double diskBytesPerKey, double streamCpuNs,
                  double producerCpuNs, int threads, String hostCpu) {}

    static Properties streamsProps(Map<String, Object> client, String app, Path stateDir) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsServiceConfig.HTTP_PORT, "0");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
        if (THREADS_OVERRIDE != null) {
            p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, THREADS_OVERRIDE);
        }
        // -Dbench.streams.KEY=VALUE sets any Streams/client key of the measured applications (experiments)
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.streams."))
                .forEach(k -> p.put(k.substring("bench.streams.".length()), System.getProperty(k)));
        return p;
    }

    static Result runTopology(Map<String, Object> client, Path stateDir) throws Exception {
        String app = "bench-latency-" + System.nanoTime();
        StreamsServiceConfig cfg = StreamsServiceConfig.from(streamsProps(client, app, stateDir), stateDir);
        try (StreamsService s = new StreamsService(cfg); Admin admin = Admin.create(client)) {
            s.start();
            String producerThreads = "producer-network-thread | " + app;
            long[] firstCpu = new long[2]; // stream threads, producer threads at the clock's start
            long total = endOffsets(admin, Topics.SYSCALL_EVENTS);
            Clocked c = committedRate(admin, app, total, () -> {
                firstCpu[1] = cpuOfThreads(producerThreads);
                firstCpu[0] = cpuOfThreads(app) - firstCpu[1];
            });
            String hostPhase = lastPhaseCpu;
            long counted = c.events;
            long firstProducerCpu = firstCpu[1];
            long producerCpuNow = cpuOfThreads(producerThreads);
            double streamCpu = (cpuOfThreads(app) - producerCpuNow - firstCpu[0]) / (double) counted;
            double producerCpu = (producerCpuNow - firstProducerCpu) / (double) counted;
            long windows = countOutput(client, app);
            double bytes = aggregateBytes(s.streams(), cfg);
            long disk = dirSize(stateDir);
            long keyCount = distinctKeys(s.streams());
            if (keyCount == 0) {
                System.out.println("(state figures unavailable: interactive query found no windows; streams state "
                        + s.streams().state() + ")");
            }
            int threads = Integer.parseInt(cfg.streamsProperties().getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                    "1"));
            return new Result(c.rate(), windows, bytes, keyCount == 0 ? 0 : (double) disk / keyCount, streamCpu,
                    producerCpu, threads, hostPhase);
        }
    }

    /** Measure the no-op Kafka Streams floor too ({@code -Dbench.floor=false} skips it). */
    static final boolean FLOOR = Boolean.parseBoolean(System.getProperty("bench.floor", "true"));

    /** Events/s of a no-op topology over the topic, counted as {@link #runTopology} counts. */
    static double runNoopTopology(Map<String, Object> client, Path stateDir) throws Exception {
        String app = "bench-noop-" + System.nanoTime();
        StreamsServiceConfig cfg = StreamsServiceConfig.from(streamsProps(client, app, stateDir), stateDir);
        org.apache.kafka.streams.StreamsBuilder b = new org.apache.kafka.streams.StreamsBuilder();
        b.stream(Topics.SYSCALL_EVENTS, org.apache.kafka.streams.kstream.Consumed.with(
                        org.apache.kafka.common.serialization.Serdes.ByteArray(),
                        org.apache.kafka.common.serialization.Serdes.ByteArray()))
                .process(() -> new org.apache.kafka.streams.processor.api.Processor<byte[], byte[], Void, Void>() {
                    @Override
                    public void process(org.apache.kafka.streams.processor.api.Record<byte[], byte[]> record) {
                        // nothing: the framework's cost alone
                    }
                });
        try (KafkaStreams s = new KafkaStreams(b.build(), cfg.streamsProperties()); Admin admin = Admin.create(client)) {
            s.start();
            return committedRate(admin, app, endOffsets(admin, Topics.SYSCALL_EVENTS), () -> { }).rate();
        }
    }

    /** Events counted and the seconds they took, from the first commit past the warm-up share to the last. */
    record Clocked(long events, double seconds) {
        double rate() {
            return events / seconds;
        }
    }

    /**
     * Polls the group's committed offsets until it has committed all {@code total} events; the clock (and
     * {@code onStart}, which samples CPU) starts at the first commit past the warm-up share: start-up (group join,
     * stores opening, the JIT's first compilations) is left out, as for the plain consumer.
     */
    static Clocked committedRate(Admin admin, String app, long total, Runnable onStart) throws Exception {
        long consumed = 0;
        HostCpu host0 = null;
        Map<String, Long> threads0 = Map.of();
        long firstNs = 0;
        long firstConsumed = 0;
        while (consumed < total) {
            Thread.sleep(100);
            consumed = committed(admin, app, Topics.SYSCALL_EVENTS);
            if (firstNs == 0 && consumed > 0 && consumed >= total * WARM_UP) {
                firstNs = System.nanoTime();
                firstConsumed = consumed;
                host0 = HostCpu.now();
                threads0 = cpuByThreadName();
                onStart.run();
            }
        }
        Clocked c = new Clocked(total - firstConsumed, (System.nanoTime() - firstNs) / 1e9);
        lastPhaseCpu = HostCpu.now().since(host0) + "\n  this JVM's busiest threads (cores): "
                + busiest(threads0, cpuByThreadName(), c.seconds);
        return c;
    }

    static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        for (int p = 0; p < 6; p++) {
            req.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(req).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    static long committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offs = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        // committed offsets under exactly-once include transaction markers: count them per partition against the end
        return offs.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    static long countOutput(Map<String, Object> client, String app) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, app + "-count");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.SYSCALL_LATENCY));
            int empty = 0;
            while (empty < 6) {
                int got = consumer.poll(Duration.ofMillis(500)).count();
                n += got;
                empty = got == 0 ? empty + 1 : 0;
            }
        }
        return n;
    }

    static double aggregateBytes(KafkaStreams streams, StreamsServiceConfig cfg) {
        ReadOnlyWindowStore<org.apache.kafka.common.utils.Bytes, LatencyAggregate> store = streams.store(StoreQueryParameters.fromNameAndType(
                SyscallLatencyTopology.WINDOW_STORE, QueryableStoreTypes.windowStore()));
        long bytes = 0, n = 0;
        try (KeyValueIterator<Windowed<org.apache.kafka.common.utils.Bytes>, LatencyAggregate> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Windowed<org.apache.kafka.common.utils.Bytes>, LatencyAggregate> kv = it.next();
                if (kv.value.count() > 1) {
                    bytes += kv.value.bytes().length;
                    n++;
                }
            }
        }
        return n == 0 ? 0 : (double) bytes / n;
    }

    static long distinctKeys(KafkaStreams streams) {
        ReadOnlyWindowStore<org.apache.kafka.common.utils.Bytes, LatencyAggregate> store = streams.store(StoreQueryParameters.fromNameAndType(
                SyscallLatencyTopology.WINDOW_STORE, QueryableStoreTypes.windowStore()));
        java.util.Set<org.apache.kafka.common.utils.Bytes> keys = new java.util.HashSet<>();
        try (KeyValueIterator<Windowed<org.apache.kafka.common.utils.Bytes>, LatencyAggregate> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key.key()));
        }
        return keys.size();
    }

    record Delay(long count, long p50, long max) {}

    /** Live phase: event time = now, window 10 s, grace 2 s (so several windows close in a short run). */
    /** Events per second the last live run actually produced. */
    static double lastLiveRate;

    static Delay live(Map<String, Object> client, List<SyscallKey> keys, int rate, int seconds, Path stateDir)
            throws Exception {
        String app = "bench-live-" + System.nanoTime();
        Properties p = streamsProps(client, app, stateDir);
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

    static long dirSize(Path dir) throws java.io.IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static int free() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
