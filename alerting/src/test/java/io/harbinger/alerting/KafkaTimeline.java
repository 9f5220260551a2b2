package io.harbinger.alerting;

import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.Alert;
import io.harbinger.schema.DeadLetter;
import io.harbinger.schema.GrowthForecast;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The timeline DSL against the real in-JVM broker and the real schema registry: trend records go to
 * {@code harbinger.gomap.trends} in the contract's wire format, alerts are read back from {@code harbinger.alerts}
 * with read_committed. Each timeline uses its own hosts, so timelines sharing the broker do not see each other's
 * alerts, and its own T0, hours after the previous timeline's: a new application reads the shared topic from the
 * start, and stream time (which drives stale detection) must not run ahead of this timeline's records. T0s start a
 * day ago, well inside the broker's retention.
 */
final class KafkaTimeline implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicLong NEXT_T0 =
            new java.util.concurrent.atomic.AtomicLong((System.currentTimeMillis() - 24 * 3_600_000L) / 60_000 * 60_000);

    final EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
    final TestSchemaRegistry registry = TestSchemaRegistry.shared();
    final long t0 = NEXT_T0.getAndAdd(3 * 3_600_000L);
    final String appId = "alerting-it-" + System.nanoTime();
    final String hostPrefix = "it" + Long.toString(System.nanoTime(), 36) + "-";
    private final KafkaProducer<MapKey, MapTrend> producer;
    private final KafkaConsumer<String, Alert> alerts;
    private final List<Path> stateDirs = new ArrayList<>();

    KafkaTimeline() {
        Map<String, Object> p = clientConfig();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, TopicSpecs.GOMAP_TRENDS.keySerde(p).serializer(),
                TopicSpecs.GOMAP_TRENDS.valueSerde(p).serializer());
        Map<String, Object> c = clientConfig();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        alerts = new KafkaConsumer<>(c, TopicSpecs.ALERTS.keySerde(c).deserializer(),
                TopicSpecs.ALERTS.valueSerde(c).deserializer());
        List<TopicPartition> parts = alerts.partitionsFor(Topics.ALERTS).stream()
                .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
        alerts.assign(parts);
        alerts.seekToEnd(parts); // only what this timeline causes
        parts.forEach(alerts::position);
    }

    Map<String, Object> clientConfig() {
        Map<String, Object> m = new HashMap<>(kafka.clientConfig());
        m.put("schema.registry.url", registry.url());
        return m;
    }

    /** A service config for one instance: this timeline's app id, a fresh state dir, REST on a free port. */
    AlertingConfig config(RuleSet rules) {
        return config(rules, newStateDir());
    }

    AlertingConfig config(RuleSet rules, Path stateDir) {
        Map<String, Object> k = clientConfig();
        k.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        k.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        k.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        k.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        return AlertingConfig.defaults(rules).withKafka(k).withHttp("127.0.0.1", 0, null);
    }

    Path newStateDir() {
        try {
            Path d = Files.createTempDirectory("alerting-it-state");
            stateDirs.add(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Timeline.MapRef map(String host, int pid, long addr) {
        return new Timeline.MapRef(hostPrefix + host, pid, addr, "svc-" + pid, 15);
    }

    long at(String t) {
        return t0 + io.harbinger.alerting.rule.Durations.parse(t).toMillis();
    }

    /** A linear, credible trend record, as the processor publishes it. */
    KafkaTimeline trend(String t, Timeline.MapRef m, double level, double perMin) {
        long ts = at(t);
        MapTrend v = MapTrend.newBuilder()
                .setHost(m.host()).setPid(m.pid()).setMapAddr(m.mapAddr()).setComm(m.comm())
                .setTsMs(ts).setCount((long) level).setLog2Buckets(m.log2Buckets())
                .setLoadFactor(level / (8.0 * (1 << m.log2Buckets()))).setOverflowRatio(0)
                .setLevel(level).setTrendPerMin(perMin)
                .setForecast(GrowthForecast.newBuilder().setModel("it-linear").setCredible(true).setDampingPerMin(1.0)
                        .setResidualSd(0).build())
                .build();
        producer.send(new ProducerRecord<>(Topics.GOMAP_TRENDS, null, ts,
                new MapKey(m.host(), m.pid(), m.mapAddr()), v));
        return this;
    }

    /** Bytes no deserializer accepts, on the trend topic. */
    void corrupt(String t) throws Exception {
        Map<String, Object> p = clientConfig();
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.GOMAP_TRENDS, null, at(t), (hostPrefix + "poison").getBytes(),
                    new byte[] {0, 0, 0, 0, 99, 1, 2, 3})).get();
        }
    }

    void flush() {
        producer.flush();
    }

    /**
     * Commits this timeline's application to the current end of its input topics, before it first starts: it then
     * reads only what this timeline sends (by default a new application reads the shared topics from the start,
     * earlier timelines' records included).
     */
    void startAtEnd() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : List.of(Topics.GOMAP_TRENDS, Topics.SYSCALL_LATENCY)) {
            kafka.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        kafka.admin().listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp,
                new OffsetAndMetadata(info.offset())));
        kafka.admin().alterConsumerGroupOffsets(appId, ends).all().get();
    }

    /** Waits until the application committed past everything produced to the trend topic. */
    void awaitCaughtUp(Duration timeout) throws Exception {
        flush();
        List<TopicPartition> parts = kafka.admin().describeTopics(List.of(Topics.GOMAP_TRENDS)).allTopicNames().get()
                .get(Topics.GOMAP_TRENDS).partitions().stream()
                .map(p -> new TopicPartition(Topics.GOMAP_TRENDS, p.partition())).toList();
        Map<TopicPartition, OffsetSpec> latest = parts.stream()
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                kafka.admin().listOffsets(latest).all().get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(appId)
                    .partitionsToOffsetAndMetadata().get();
            boolean done = parts.stream().allMatch(p -> ends.get(p).offset() == 0
                    || (committed.get(p) != null && committed.get(p).offset() >= ends.get(p).offset()));
            if (done) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("application " + appId + " did not catch up on " + Topics.GOMAP_TRENDS);
    }

    /** Alerts of this timeline's hosts committed since the last call, as {@code "12m WARNING key"}. */
    List<String> alerts() {
        List<String> out = new ArrayList<>();
        for (Alert a : alertRecords()) {
            out.add(Timeline.minutesSince(t0, a.getFiredAtMs()) + " " + a.getSeverity()
                    + (a.getRepeat() ? " repeat" : "") + " " + a.getDedupKey());
        }
        return out;
    }

    List<Alert> alertRecords() {
        List<Alert> out = new ArrayList<>();
        Map<TopicPartition, Long> end = alerts.endOffsets(alerts.assignment());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (end.entrySet().stream().anyMatch(e -> alerts.position(e.getKey()) < e.getValue())
                && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Alert> r : alerts.poll(Duration.ofMillis(200))) {
                if (r.value().getHost() != null && r.value().getHost().startsWith(hostPrefix)) {
                    out.add(r.value());
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(Alert::getFiredAtMs).thenComparing(Alert::getDedupKey));
        return out;
    }

    /** Dead letters whose key holds this timeline's host prefix (its poison marker or one of its subjects). */
    List<DeadLetter> deadLetters() {
        Map<String, Object> c = clientConfig();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], DeadLetter> con = new KafkaConsumer<>(c,
                TopicSpecs.DEADLETTER.keySerde(c).deserializer(), TopicSpecs.DEADLETTER.valueSerde(c).deserializer())) {
            List<TopicPartition> parts = con.partitionsFor(Topics.DEADLETTER).stream()
                    .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
            con.assign(parts);
            con.seekToBeginning(parts);
            Map<TopicPartition, Long> end = con.endOffsets(parts);
            List<DeadLetter> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> con.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], DeadLetter> r : con.poll(Duration.ofMillis(200))) {
                    // poison keys start with the prefix; Avro keys (MapKey, ...) hold it after a length byte
                    if (r.key() != null && new String(r.key(), java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains(hostPrefix)) {
                        out.add(r.value());
                    }
                }
            }
            return out;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        alerts.close(Duration.ofSeconds(5));
        for (Path d : stateDirs) {
            try (var files = Files.walk(d)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // temp dirs
            }
        }
    }
}
