package io.harbinger.streams.bench;

import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.harbinger.streams.latency.LatencyAggregate;
import io.harbinger.streams.latency.SyscallLatencyTopology;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * One measured side of the streams bench, in a JVM of its own (so each side compiles and profiles only its own code,
 * as it would in production): drains {@code harbinger.syscall.events} once and prints one {@code SIDE} line of
 * key=value figures for {@link LatencyTopologyBench} to collect.
 * <ul>
 *   <li>{@code raw}: a plain KafkaConsumer, raw bytes; {@code avro}: the same decoding key and value with the
 *       generic Avro reader (what a consumer that reads the events pays);</li>
 *   <li>{@code noop}: Kafka Streams with a processor that does nothing, raw bytes, the service's settings;</li>
 *   <li>{@code topology}: the streams service ({@link StreamsService}, its defaults).</li>
 * </ul>
 * Every side first drains the topic until the JIT is quiet (this JVM's and the broker's compilers each under
 * {@code -Dbench.jit.quiet}, default 0.05 of a core, during a whole pass; at most {@code -Dbench.warmup.passes},
 * default 6) and is then measured on one more drain: its clock starts once the warm-up share ({@code -Dbench.warmup},
 * default 0.1: group join, task start-up) is in the application's hands (returned by poll; processed, for Kafka
 * Streams, from its {@code process-total} metric sampled every 10 ms) and stops when the last record is. Consumer
 * settings from {@code -Dbench.consumer.KEY=VALUE} go to the plain consumer and to Kafka Streams' main consumer alike;
 * {@code -Dbench.streams.KEY=VALUE} to the Kafka Streams sides only.
 *
 * <p>usage: BenchSide raw|avro|noop|topology BOOTSTRAP REGISTRY_URL STATE_DIR
 */
public final class BenchSide {
    static final double WARM_UP = Double.parseDouble(System.getProperty("bench.warmup", "0.1"));
    /**
     * Whole drains (each with a new group / application id) before the measured one, until the JIT compilers took
     * less than {@link #JIT_QUIET} of a core during a pass: the JIT compiles Kafka's and the topology's code for tens
     * of seconds (C2 took 0.25-0.45 of a core during the measured part of first and second 15M-40M-event passes),
     * which on 2 cores competes with the stream threads for CPU. A sustained rate is measured after that.
     */
    static final int MAX_WARM_UP_PASSES = Integer.getInteger("bench.warmup.passes", 6);
    /** The pass (0 = the first) whose clock start runs {@code $ON_CLOCK_START} (e.g. a profiler attach), or -1. */
    static final int HOOK_PASS = Integer.getInteger("bench.hook.pass", -1);
    static int pass;

    /** Runs {@code $ON_CLOCK_START} with this JVM's pid appended, in the background, in pass {@link #HOOK_PASS}. */
    static void clockStarted() {
        String cmd = System.getenv("ON_CLOCK_START");
        if (pass == HOOK_PASS && cmd != null) {
            try {
                new ProcessBuilder("sh", "-c", cmd + " " + ProcessHandle.current().pid()).inheritIO().start();
            } catch (java.io.IOException e) {
                System.err.println("ON_CLOCK_START failed: " + e);
            }
        }
    }
    static final double JIT_QUIET = Double.parseDouble(System.getProperty("bench.jit.quiet", "0.05"));
    static final String THREADS_OVERRIDE = System.getProperty("bench.threads");

    public static void main(String[] args) throws Exception {
        String side = args[0];
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", args[1]);
        client.put("schema.registry.url", args[2]);
        Path state = Path.of(args[3]);
        long total;
        try (Admin admin = Admin.create(client)) {
            total = endOffsets(admin, Topics.SYSCALL_EVENTS);
        }
        Map<String, String> out = null;
        int passes = 0;
        while (true) {
            Map<String, Long> cpu0 = HostCpu.byThreadName();
            Map<String, Long> broker0 = HostCpu.byThreadName(HostCpu.BROKER);
            long t0 = System.nanoTime();
            out = switch (side) {
                case "raw" -> drain(client, total, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                case "avro" -> drain(client, total, TopicSpecs.SYSCALL_EVENTS.keySerde(client).deserializer(),
                        TopicSpecs.SYSCALL_EVENTS.valueSerde(client).deserializer());
                case "noop" -> noop(client, state, total);
                case "topology" -> topology(client, state, total);
                default -> throw new IllegalArgumentException("unknown side " + side);
            };
            double seconds = (System.nanoTime() - t0) / 1e9;
            double jit = HostCpu.compilerCores(cpu0, HostCpu.byThreadName(), seconds);
            // the broker's JIT too: it compiles the paths each side's traffic takes (transactions, changelogs) as well
            double brokerJit = HostCpu.compilerCores(broker0, HostCpu.byThreadName(HostCpu.BROKER), seconds);
            if (passes >= MAX_WARM_UP_PASSES || passes > 0 && jit < JIT_QUIET && brokerJit < JIT_QUIET) {
                out.put("jit_cores", String.format("%.3f", jit));
                out.put("broker_jit_cores", String.format("%.3f", brokerJit));
                break; // a pass after at least one warm-up, during which the JIT was quiet: the measured one
            }
            passes++;
            pass = passes;
        }
        out.put("warmup_passes", Integer.toString(passes));
        StringBuilder line = new StringBuilder("SIDE side=" + side);
        out.forEach((k, v) -> line.append(' ').append(k).append('=').append(v.replace(' ', '_')));
        System.out.println(line);
        System.exit(0); // Kafka Streams' and clients' non-daemon threads are closed; nothing else to wait for
    }

    /** The figures every side reports: events/s, CPU ns per event of its working threads, host CPU, busiest threads. */
    record Span(long events, long nanos, long cpuNs, String host, String threads) {
        Map<String, String> figures() {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            m.put("rate", String.format("%.0f", events / (nanos / 1e9)));
            m.put("events", Long.toString(events));
            m.put("seconds", String.format("%.2f", nanos / 1e9));
            m.put("cpu_ns", String.format("%.0f", cpuNs / (double) events));
            m.put("host", host);
            m.put("threads", threads);
            return m;
        }
    }

    static <K, V> Map<String, String> drain(Map<String, Object> client, long n, Deserializer<K> kd,
                                            Deserializer<V> vd) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-drain-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000); // as the streams service's main consumer
        c.putAll(prefixed("bench.consumer."));
        long seen = 0, first = 0, start = 0, cpu0 = 0;
        HostCpu host0 = null;
        Map<String, Long> threads0 = Map.of();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(c, kd, vd)) {
            consumer.subscribe(List.of(Topics.SYSCALL_EVENTS));
            while (seen < n) {
                ConsumerRecords<K, V> rs = consumer.poll(Duration.ofMillis(500));
                seen += rs.count();
                if (start == 0 && seen > 0 && seen >= n * WARM_UP) {
                    clockStarted();
                    start = System.nanoTime();
                    cpu0 = HostCpu.THREADS.getCurrentThreadCpuTime(); // the classic consumer fetches on this thread
                    host0 = HostCpu.now();
                    threads0 = HostCpu.byThreadName();
                    first = seen;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        return new Span(seen - first, nanos, HostCpu.THREADS.getCurrentThreadCpuTime() - cpu0,
                HostCpu.now().since(host0), HostCpu.busiest(threads0, HostCpu.byThreadName(), nanos / 1e9)).figures();
    }

    static Properties streamsProps(Map<String, Object> client, String app) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsServiceConfig.HTTP_PORT, "0");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
        if (THREADS_OVERRIDE != null) {
            p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, THREADS_OVERRIDE);
        }
        prefixed("bench.consumer.").forEach((k, v) -> p.put(StreamsConfig.mainConsumerPrefix(k), v));
        p.putAll(prefixed("bench.streams."));
        return p;
    }

    static Map<String, String> prefixed(String prefix) {
        Map<String, String> m = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> m.put(k.substring(prefix.length()), System.getProperty(k)));
        return m;
    }

    /** Kafka Streams' own floor: the service's settings, raw bytes, a processor that does nothing. */
    static Map<String, String> noop(Map<String, Object> client, Path state, long total) throws Exception {
        String app = "bench-noop-" + System.nanoTime();
        StreamsServiceConfig cfg = StreamsServiceConfig.from(streamsProps(client, app), state.resolve(app));
        StreamsBuilder b = new StreamsBuilder();
        b.stream(Topics.SYSCALL_EVENTS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new Processor<byte[], byte[], Void, Void>() {
                    @Override
                    public void process(Record<byte[], byte[]> record) {
                        // nothing: the framework's cost alone
                    }
                });
        try (KafkaStreams s = new KafkaStreams(b.build(), cfg.streamsProperties())) {
            s.start();
            return processed(s, app, total).figures();
        } finally {
            forget(client, app);
        }
    }

    /**
     * Deletes a finished pass's application from the broker (its internal topics and group) and its local state:
     * otherwise the broker compacts the changelogs of every earlier pass in the background while later passes are
     * measured (its CPU varied 0.10-0.26 of a core between measured passes of the same build).
     */
    static void forget(Map<String, Object> client, String app) throws Exception {
        try (Admin admin = Admin.create(client)) {
            List<String> internal = admin.listTopics().names().get().stream().filter(t -> t.startsWith(app + "-"))
                    .toList();
            admin.deleteTopics(internal).all().get();
            try {
                admin.deleteConsumerGroups(List.of(app)).all().get();
            } catch (java.util.concurrent.ExecutionException e) {
                // Kafka Streams does not leave its group on close: it expires after the session timeout
            }
        }
    }

    static Map<String, String> topology(Map<String, Object> client, Path state, long total) throws Exception {
        String app = "bench-latency-" + System.nanoTime();
        Path stateDir = state.resolve(app);
        StreamsServiceConfig cfg = StreamsServiceConfig.from(streamsProps(client, app), stateDir);
        try (StreamsService s = new StreamsService(cfg)) {
            s.start();
            Map<String, String> m = processed(s.streams(), app, total).figures();
            long committedAt = System.nanoTime();
            try (Admin admin = Admin.create(client)) {
                while (committed(admin, app) < total) {
                    Thread.sleep(20);
                }
            }
            // exactly-once: the results and offsets of the last records are visible only after their commit
            m.put("last_commit_after_ms", String.format("%.0f", (System.nanoTime() - committedAt) / 1e6));
            m.put("threads_n", cfg.streamsProperties().getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1"));
            ReadOnlyWindowStore<Bytes, LatencyAggregate> store = s.streams().store(StoreQueryParameters.fromNameAndType(
                    SyscallLatencyTopology.WINDOW_STORE, QueryableStoreTypes.windowStore()));
            long bytes = 0, n = 0;
            Set<Bytes> keys = new HashSet<>();
            try (KeyValueIterator<Windowed<Bytes>, LatencyAggregate> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<Windowed<Bytes>, LatencyAggregate> kv = it.next();
                    keys.add(kv.key.key());
                    if (kv.value.count() > 1) {
                        bytes += kv.value.bytes().length;
                        n++;
                    }
                }
            }
            m.put("bytes_per_aggregate", String.format("%.0f", n == 0 ? 0.0 : (double) bytes / n));
            m.put("disk_bytes_per_key", String.format("%.0f", keys.isEmpty() ? 0.0 : (double) dirSize(stateDir) / keys.size()));
            return m;
        } finally {
            forget(client, app);
            deleteDir(stateDir);
        }
    }

    static void deleteDir(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Samples the stream threads' {@code process-total} every 10 ms: the clock runs from the first sample at or past
     * the warm-up share to the first at the total. Also reports where the stream threads' clients spent their time
     * ({@link #waits}).
     */
    static Span processed(KafkaStreams s, String app, long total) throws Exception {
        while (s.state() != KafkaStreams.State.RUNNING) {
            if (s.state() == KafkaStreams.State.ERROR || s.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams " + s.state());
            }
            Thread.sleep(10);
        }
        List<Metric> processed = threadMetrics(s, "process-total");
        int threads = processed.size();
        long start = 0, first = 0, cpu0 = 0, done;
        HostCpu host0 = null;
        Map<String, Long> threads0 = Map.of();
        Map<String, Double> waits0 = Map.of();
        while (true) {
            done = (long) sum(processed);
            if (start == 0 && done > 0 && done >= total * WARM_UP) {
                clockStarted();
                start = System.nanoTime();
                first = done;
                cpu0 = HostCpu.cpuOfThreads(app);
                waits0 = waits(s);
                host0 = HostCpu.now();
                threads0 = HostCpu.byThreadName();
            }
            if (done >= total) {
                break;
            }
            Thread.sleep(10);
        }
        long nanos = System.nanoTime() - start;
        // stream threads and their producers' network threads (names carry the application id)
        long cpu = HostCpu.cpuOfThreads(app) - cpu0;
        Map<String, Double> waits1 = waits(s);
        StringBuilder waited = new StringBuilder();
        for (Map.Entry<String, Double> w : waits1.entrySet()) {
            double share = (w.getValue() - waits0.getOrDefault(w.getKey(), 0.0)) / nanos / threads;
            waited.append(String.format(" %s %.3f", w.getKey(), share));
        }
        return new Span(done - first, nanos, cpu, HostCpu.now().since(host0),
                HostCpu.busiest(threads0, HostCpu.byThreadName(), nanos / 1e9)
                        + "; share of each stream thread's time in its clients:" + waited);
    }

    /**
     * What the stream threads' clients spent their time on (Kafka's *-time-ns-total metrics, summed over threads):
     * the main consumer waiting for the network ({@code io-wait}), doing network I/O ({@code io}), committing; the
     * producer flushing and in transactions. The parts of Kafka Streams' {@code blocked-time-ns-total} that belong
     * to the stream thread (that one also counts the restore consumer, polled by the state updater thread).
     */
    static Map<String, Double> waits(KafkaStreams s) {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : s.metrics().entrySet()) {
            String client = e.getKey().tags().getOrDefault("client-id", "");
            String name = e.getKey().name();
            boolean mainConsumer = client.contains("StreamThread-") && client.endsWith("-consumer")
                    && !client.endsWith("-restore-consumer");
            String who = mainConsumer ? "consumer" : client.contains("StreamThread-") && client.endsWith("-producer")
                    ? "producer" : null;
            if (who == null || !name.endsWith("-time-ns-total") || !(e.getValue().metricValue() instanceof Double v)) {
                continue;
            }
            if (who.equals("consumer") && (e.getKey().group().equals("consumer-metrics"))
                    || who.equals("producer") && e.getKey().group().equals("producer-metrics")) {
                out.merge(who + ":" + name.replace("-time-ns-total", ""), v, Double::sum);
            }
        }
        return out;
    }

    static List<Metric> threadMetrics(KafkaStreams s, String name) {
        List<Metric> out = new ArrayList<>();
        for (Map.Entry<MetricName, ? extends Metric> e : s.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("stream-thread-metrics")) {
                out.add(e.getValue());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no stream-thread-metrics " + name);
        }
        return out;
    }

    static double sum(List<Metric> metrics) {
        double s = 0;
        for (Metric m : metrics) {
            if (m.metricValue() instanceof Number n) {
                s += n.doubleValue();
            }
        }
        return s;
    }

    static long endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            req.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(req).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    static long committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(Topics.SYSCALL_EVENTS) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    static long dirSize(Path dir) throws java.io.IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
