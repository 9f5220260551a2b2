package io.harbinger.alerting;

import io.harbinger.alerting.rule.Durations;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.alerting.state.AlertEntry;
import io.harbinger.schema.Alert;
import io.harbinger.schema.DeadLetter;
import io.harbinger.schema.GrowthForecast;
import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.Silence;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A small DSL for alerting timelines, after Alertmanager's acceptance tests: push trend records at event times
 * relative to T0 ("0m", "1h5m"), then assert the exact sequence of alerts that came out, each rendered as
 * {@code "<minutes>m <SEVERITY>[ repeat] <dedup key>"} at the time it was sent. Runs the real
 * {@link AlertTopology} in a TopologyTestDriver with the registry-free avro-binary serdes. (Restarts are proven
 * against a real broker, where the stores come back from their changelogs: TopologyTestDriver wipes its state
 * directory on close.)
 */
final class Timeline implements AutoCloseable {
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    record MapRef(String host, int pid, long mapAddr, String comm, int log2Buckets) {
        String key(String rule) {
            return rule + "/" + host + "/" + pid + "/0x" + Long.toHexString(mapAddr);
        }
    }

    record LatencyRef(String host, String comm, String syscall) {
        String key(String rule) {
            return rule + "/" + host + "/" + comm + "/" + syscall;
        }
    }

    private final AlertingConfig config;
    private final Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<MapKey, MapTrend> trends;
    private TestInputTopic<LatencyWindowKey, SyscallLatencyWindow> windows;
    private TestInputTopic<String, Silence> silences;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private final List<Alert> received = new ArrayList<>();

    private Timeline(AlertingConfig config) {
        this.config = config;
        try {
            this.stateDir = Files.createTempDirectory("alerting-timeline");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        open();
    }

    static Timeline start(RuleSet rules) {
        return new Timeline(AlertingConfig.defaults(rules));
    }

    static Timeline start(AlertingConfig config) {
        return new Timeline(config);
    }

    static long at(String t) {
        return T0 + Durations.parse(t).toMillis();
    }

    static MapRef map(String host, int pid, long addr) {
        return new MapRef(host, pid, addr, "svc-" + pid, 15);
    }

    static LatencyRef latency(String host, String comm, String syscall) {
        return new LatencyRef(host, comm, syscall);
    }

    private void open() {
        Properties p = new Properties();
        p.putAll(config.kafka());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "timeline");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(TopicSpecs.SERDE_FORMAT, "avro-binary");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        StreamsBuilder b = new StreamsBuilder();
        AlertTopology.addTo(b, config.withKafka(Map.of(TopicSpecs.SERDE_FORMAT, "avro-binary")));
        driver = new TopologyTestDriver(b.build(), p, Instant.ofEpochMilli(T0));
        trends = driver.createInputTopic(Topics.GOMAP_TRENDS, new AvroBinarySerde<>(MapKey.class),
                new AvroBinarySerde<>(MapTrend.class));
        windows = driver.createInputTopic(Topics.SYSCALL_LATENCY, new AvroBinarySerde<>(LatencyWindowKey.class),
                new AvroBinarySerde<>(SyscallLatencyWindow.class));
        silences = driver.createInputTopic(Topics.SILENCES, Serdes.String().serializer(),
                new AvroBinarySerde<>(Silence.class));
        alerts = driver.createOutputTopic(Topics.ALERTS, Serdes.String().deserializer(),
                new AvroBinarySerde<>(Alert.class));
        deadLetters = driver.createOutputTopic(Topics.DEADLETTER, Serdes.ByteArray().deserializer(),
                new AvroBinarySerde<>(DeadLetter.class));
    }

    /** A linear, credible trend: level {@code level} growing {@code perMin} a minute, raw count = level. */
    Timeline trend(String t, MapRef m, double level, double perMin) {
        return trend(t, m, level, perMin, 0.0, true);
    }

    Timeline trend(String t, MapRef m, double level, double perMin, double overflowRatio, boolean credible) {
        long ts = at(t);
        double capacity = 8.0 * Math.pow(2, m.log2Buckets());
        MapTrend v = MapTrend.newBuilder()
                .setHost(m.host()).setPid(m.pid()).setMapAddr(m.mapAddr()).setComm(m.comm())
                .setTsMs(ts).setCount((long) level).setLog2Buckets(m.log2Buckets())
                .setOverflowBuckets((long) (overflowRatio * Math.pow(2, m.log2Buckets())))
                .setLoadFactor(level / capacity).setOverflowRatio(overflowRatio)
                .setLevel(level).setTrendPerMin(perMin)
                .setForecast(GrowthForecast.newBuilder().setModel("test-linear").setCredible(credible)
                        .setDampingPerMin(1.0).setResidualSd(0).build())
                .build();
        return trend(t, m, v);
    }

    Timeline trend(String t, MapRef m, MapTrend v) {
        trends.pipeInput(new MapKey(m.host(), m.pid(), m.mapAddr()), v, at(t));
        return this;
    }

    /** Raw bytes on an input topic, as a broken producer would write them. */
    Timeline raw(String t, String topic, byte[] key, byte[] value) {
        driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(key, value, at(t));
        return this;
    }

    /** A trend record for {@code m} that deletes it upstream (compaction tombstone). */
    Timeline gone(String t, MapRef m) {
        trends.pipeInput(new MapKey(m.host(), m.pid(), m.mapAddr()), null, at(t));
        return this;
    }

    /** A closed 1-minute window ending at {@code t}. */
    Timeline window(String t, LatencyRef l, long p99, Double p99Level, Double p99TrendPerMin, long count,
                    long errors) {
        long end = at(t);
        SyscallLatencyWindow w = SyscallLatencyWindow.newBuilder()
                .setHost(l.host()).setComm(l.comm()).setSyscall(l.syscall())
                .setWindowStartMs(end - 60_000).setWindowEndMs(end).setCount(count).setErrors(errors)
                .setP50Ns(p99 / 4).setP99Ns(p99).setP999Ns(p99 * 2).setMaxNs(p99 * 3)
                .setP99LevelNs(p99Level).setP99TrendPerMin(p99TrendPerMin).build();
        windows.pipeInput(new LatencyWindowKey(l.host(), l.comm(), l.syscall(), end - 60_000), w, end);
        return this;
    }

    Timeline silence(String t, String id, Map<String, String> matchers, String from, String to) {
        silences.pipeInput(id, Silence.newBuilder().setId(id).setMatchers(matchers).setStartsAtMs(at(from))
                .setEndsAtMs(at(to)).setCreatedBy("timeline").build(), at(t));
        return this;
    }

    Timeline unsilence(String t, String id) {
        silences.pipeInput(id, null, at(t));
        return this;
    }

    /** Alerts sent since the last call, rendered as {@code "12m WARNING key"}. */
    List<String> alerts() {
        List<String> out = new ArrayList<>();
        for (org.apache.kafka.streams.test.TestRecord<String, Alert> r : alerts.readRecordsToList()) {
            Alert a = r.value();
            if (!a.getDedupKey().equals(r.key())) {
                throw new AssertionError("alert keyed " + r.key() + " but dedup_key " + a.getDedupKey());
            }
            received.add(a);
            out.add(minutes(r.timestamp()) + " " + a.getSeverity() + (a.getRepeat() ? " repeat" : "") + " "
                    + a.getDedupKey());
        }
        return out;
    }

    /** Every alert record read so far, in order. */
    List<Alert> received() {
        return received;
    }

    List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    /** Entries of the map alert store, by dedup key. */
    Map<String, AlertEntry> mapStore() {
        return store(AlertTopology.MAP_ALERT_STORE);
    }

    Map<String, AlertEntry> latencyStore() {
        return store(AlertTopology.LATENCY_ALERT_STORE);
    }

    private Map<String, AlertEntry> store(String name) {
        KeyValueStore<String, AlertEntry> s = driver.getKeyValueStore(name);
        Map<String, AlertEntry> out = new java.util.TreeMap<>();
        try (KeyValueIterator<String, AlertEntry> it = s.all()) {
            while (it.hasNext()) {
                KeyValue<String, AlertEntry> kv = it.next();
                out.put(kv.key, kv.value);
            }
        }
        return out;
    }

    static String minutes(long ts) {
        return minutesSince(T0, ts);
    }

    static String minutesSince(long t0, long ts) {
        long ms = ts - t0;
        return ms % 60_000 == 0 ? (ms / 60_000) + "m" : (ms / 1000.0 / 60) + "m";
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }
}
