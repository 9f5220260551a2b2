package io.harbinger.streams.app;

import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once across crashes, against a real broker, with instances in their own JVMs killed by SIGKILL.
 *
 * <p>The latency aggregator keeps open windows on the heap and writes them to its changelogged store only when
 * Kafka Streams flushes caches before a commit ({@code CachedStateStore.flushCache()}, an internal interface: see
 * {@link io.harbinger.streams.latency.LatencyWindowStore}). This test is what pins that: if Kafka stopped calling it
 * before committing, the windows open at a crash would restore without the events already committed, and the counts
 * below would come out short.
 *
 * <ol>
 *   <li>instance 1 aggregates 2.5 windows' worth of events, commits them all, and is killed: two windows were
 *       published, the third is open and lives only in what was flushed before the commit;</li>
 *   <li>instance 2 (same state directory) resumes, and is killed in the middle of a backlog — between commits, with
 *       a transaction open;</li>
 *   <li>instance 3 (same state directory) resumes and is stopped cleanly (SIGTERM) while more events arrive, so its
 *       last windows are written by the commit of the clean close;</li>
 *   <li>instance 4 (an empty state directory: everything from the changelogs) closes the last windows.</li>
 * </ol>
 * Every window must then be on {@code harbinger.syscall.latency} (read_committed) exactly once, with exact weighted
 * counts, errors and max.
 */
class LatencyExactlyOnceCrashIT {
    static final long WINDOW = 60_000;
    static final List<SyscallKey> KEYS = new ArrayList<>();

    static {
        for (String host : new String[]{"crash-a", "crash-b", "crash-c"}) {
            for (String comm : new String[]{"api", "db"}) {
                for (String sc : new String[]{"read", "write"}) {
                    KEYS.add(new SyscallKey(host, comm, sc));
                }
            }
        }
    }

    /** Expected result per (key, window start): weighted count, errors, max. */
    final Map<LatencyWindowKey, long[]> expected = new HashMap<>();
    final Random rnd = new Random(11);
    final List<Process> children = new ArrayList<>();

    @Test
    void everyWindowExactlyOnceWithExactCountsAcrossKillsAndRestarts(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.single());
             Admin admin = kafka.admin()) {
            kafka.createHarbingerTopics();
            Map<String, Object> client = new HashMap<>(kafka.clientConfig());
            client.put("schema.registry.url", TestSchemaRegistry.shared().url());
            String app = "crash-it-" + System.nanoTime();
            Path props = writeProperties(dir.resolve("streams.properties"), kafka, client, app);
            long t0 = (System.currentTimeMillis() - 7_200_000) / WINDOW * WINDOW;

            try (KafkaProducer<SyscallKey, SyscallEvent> producer = new KafkaProducer<>(client,
                    TopicSpecs.SYSCALL_EVENTS.keySerde(client).serializer(),
                    TopicSpecs.SYSCALL_EVENTS.valueSerde(client).serializer())) {
                // 1. [t0, t0 + 150 s): windows 0 and 1 close, window 2 stays open; everything committed; SIGKILL
                produce(producer, t0, t0 + 150_000, 60_000);
                Process one = start(props, dir.resolve("state-1"), dir.resolve("instance-1.log"));
                awaitCommitted(admin, app, endOffset(admin));
                kill(one);

                // 2. a backlog [t0 + 150 s, t0 + 240 s); SIGKILL halfway through it, between commits
                long before = endOffset(admin);
                produce(producer, t0 + 150_000, t0 + 240_000, 300_000);
                long after = endOffset(admin);
                Process two = start(props, dir.resolve("state-1"), dir.resolve("instance-2.log"));
                long killedAt = awaitCommitted(admin, app, before + (after - before) / 4);
                kill(two);
                System.out.printf("instance 2 killed with %d of %d backlog events committed%n", killedAt - before,
                        after - before);

                // 3. resumes the backlog; more events arrive; SIGTERM before the next regular commit is due
                Process three = start(props, dir.resolve("state-1"), dir.resolve("instance-3.log"));
                awaitCommitted(admin, app, after);
                produce(producer, t0 + 240_000, t0 + 300_000, 30_000);
                Thread.sleep(300);
                three.destroy();
                assertTrue(three.waitFor(60, TimeUnit.SECONDS), "instance 3 stops on SIGTERM");

                // 4. from the changelogs alone; one event per key 70 s on closes window 4 [t0 + 240 s, t0 + 300 s)
                long tick = t0 + 370_000;
                for (SyscallKey k : KEYS) {
                    producer.send(new ProducerRecord<>(Topics.SYSCALL_EVENTS, null, tick, k, event(k, tick, 1, 1, 0)));
                }
                producer.flush();
                Process four = start(props, dir.resolve("state-4"), dir.resolve("instance-4.log"));
                awaitCommitted(admin, app, endOffset(admin));
                Map<LatencyWindowKey, List<SyscallLatencyWindow>> published = readCommittedOutput(client, app);
                four.destroy();
                four.waitFor(60, TimeUnit.SECONDS);

                assertEquals(KEYS.size() * 5, expected.size(), "5 windows per key closed");
                for (Map.Entry<LatencyWindowKey, long[]> e : expected.entrySet()) {
                    List<SyscallLatencyWindow> got = published.get(e.getKey());
                    assertTrue(got != null, "window " + e.getKey() + " was published");
                    assertEquals(1, got.size(), "window " + e.getKey() + " published exactly once: " + got);
                    SyscallLatencyWindow w = got.get(0);
                    assertEquals(e.getValue()[0], w.getCount(), "weighted count of " + e.getKey());
                    assertEquals(e.getValue()[1], w.getErrors(), "errors of " + e.getKey());
                    assertEquals(e.getValue()[2], w.getMaxNs(), "max of " + e.getKey());
                }
                assertEquals(expected.keySet(), published.keySet(), "no other windows");
            } finally {
                for (Process p : children) {
                    p.destroyForcibly();
                }
            }
        }
    }

    Path writeProperties(Path file, EmbeddedKafkaCluster kafka, Map<String, Object> client, String app)
            throws IOException {
        Properties p = new Properties();
        client.forEach((k, v) -> p.put(k, String.valueOf(v)));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
        p.put(StreamsServiceConfig.HTTP_PORT, "0");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // a killed member leaves the group after 6 s instead of 45
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000");
        // exactly_once_v2 and a 1 s commit interval are the service's defaults
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    /** {@code n} events spread evenly over [from, to) across the keys, in time order; expectations noted. */
    void produce(KafkaProducer<SyscallKey, SyscallEvent> producer, long from, long to, int n) {
        for (int i = 0; i < n; i++) {
            long ts = from + (to - from) * i / n;
            SyscallKey k = KEYS.get(rnd.nextInt(KEYS.size()));
            long latency = (long) (5000 * Math.exp(rnd.nextGaussian()));
            int weight = 1 + rnd.nextInt(3);
            long ret = rnd.nextInt(25) == 0 ? -11 : 0;
            producer.send(new ProducerRecord<>(Topics.SYSCALL_EVENTS, null, ts, k, event(k, ts, latency, weight, ret)));
            long[] e = expected.computeIfAbsent(new LatencyWindowKey(k.getHost(), k.getComm(), k.getSyscall(),
                    ts / WINDOW * WINDOW), x -> new long[3]);
            e[0] += weight;
            e[1] += ret < 0 ? weight : 0;
            e[2] = Math.max(e[2], latency);
        }
        producer.flush();
    }

    static SyscallEvent event(SyscallKey k, long tsMs, long latency, int weight, long ret) {
        return new SyscallEvent(k.getHost(), tsMs * 1_000_000, 7, 7, k.getComm(), 0L, 0, k.getSyscall(), latency, ret,
                weight);
    }

    Process start(Path props, Path state, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), StreamsInstanceMain.class.getName(), props.toString(),
                state.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        children.add(p);
        return p;
    }

    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close, no commit
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    static long endOffset(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        int partitions = Topics.ALL.stream().filter(t -> t.name().equals(Topics.SYSCALL_EVENTS)).findFirst()
                .orElseThrow().partitions();
        for (int p = 0; p < partitions; p++) {
            req.put(new TopicPartition(Topics.SYSCALL_EVENTS, p), OffsetSpec.latest());
        }
        return admin.listOffsets(req).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    /** Waits until the application's committed input offsets sum to at least {@code target}; returns the sum. */
    static long awaitCommitted(Admin admin, String app, long target) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long committed = 0;
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> offs =
                    admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata().get();
            committed = offs.entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.SYSCALL_EVENTS)
                    && e.getValue() != null).mapToLong(e -> e.getValue().offset()).sum();
            if (committed >= target) {
                return committed;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("committed input offsets reached " + committed + ", expected " + target);
    }

    static Map<LatencyWindowKey, List<SyscallLatencyWindow>> readCommittedOutput(Map<String, Object> client,
                                                                                 String app) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, app + "-verify");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<LatencyWindowKey, List<SyscallLatencyWindow>> out = new HashMap<>();
        try (KafkaConsumer<LatencyWindowKey, SyscallLatencyWindow> consumer = new KafkaConsumer<>(c,
                TopicSpecs.SYSCALL_LATENCY.keySerde(client).deserializer(),
                TopicSpecs.SYSCALL_LATENCY.valueSerde(client).deserializer())) {
            consumer.subscribe(List.of(Topics.SYSCALL_LATENCY));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()) {
                for (ConsumerRecord<LatencyWindowKey, SyscallLatencyWindow> r : consumer.poll(Duration.ofMillis(200))) {
                    out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                    quietSince = System.nanoTime();
                }
            }
        }
        return out;
    }
}
