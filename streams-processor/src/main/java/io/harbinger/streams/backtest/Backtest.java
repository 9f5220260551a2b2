package io.harbinger.streams.backtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.jsonl.JsonlFormatException;
import io.harbinger.jsonl.JsonlReader;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.streams.latency.LatencyWindowAggregator;
import io.harbinger.streams.maps.MapTrendTopology;
import io.harbinger.topics.TopicSpecs;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Runs a Harbinger topology (the very one the services run) over a JSONL recording in event time, offline, in a
 * {@link TopologyTestDriver} with the registry-free Avro format, and writes chosen output topics as JSON lines.
 * Input streams through in constant memory; outputs are drained as they appear.
 *
 * <p>At the end of the recording, stream time is advanced past the last window's close by one record with a
 * reserved key and no value on the syscall topic (aggregations skip a null value), so every window of the recording
 * is closed and emitted, as it would be live once later traffic arrives.
 */
public final class Backtest {
    /** Key of the end-of-recording record: no collector produces an empty host. */
    public static final SyscallKey END_OF_RECORDING = new SyscallKey("", "", "");

    /** An output topic, the file its records go to and how each record becomes a JSON object. */
    public record Output<V>(String topic, Deserializer<V> valueDeserializer, Path file,
                            Function<V, ObjectNode> toJson) {}

    /**
     * @param lateSyscallEvents syscall events whose window had closed when they appeared (beyond the grace), dropped
     * @param lateMapSnapshots  Go map snapshots too late for their map's growth model, dropped
     */
    public record Summary(long events, long syscallEvents, long gomapEvents, long malformedLines,
                          long lateSyscallEvents, long lateMapSnapshots,
                          Map<Path, Long> linesWritten, long firstEventMs, long lastEventMs) {}

    private Backtest() {}

    /** Driver properties: registry-free serdes, in-memory stores, no task idling. */
    public static Properties driverProperties(Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "harbinger-backtest");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "backtest:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(TopicSpecs.SERDE_FORMAT, "avro-binary");
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L << 20);
        // Records are piped one at a time in event-time order: never wait for other inputs to have data.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        p.put(io.harbinger.streams.config.ProcessorConfig.IN_MEMORY_STORES, "true");
        return p;
    }

    /** Properties as the String-keyed map that config records read. */
    public static Map<String, Object> asMap(Properties props) {
        Map<String, Object> m = new LinkedHashMap<>();
        props.forEach((k, v) -> m.put(k.toString(), v));
        return m;
    }

    /**
     * @param closeAfter how far past the last event stream time is moved at the end (window + grace suffices)
     * @param strict     stop at the first malformed line (else count it and go on)
     */
    public static Summary run(Topology topology, Properties props, Path input, List<Output<?>> outputs,
                              Duration closeAfter, boolean strict) throws IOException {
        AvroBinarySerde<SyscallKey> syscallKey = new AvroBinarySerde<>(SyscallKey.class);
        AvroBinarySerde<SyscallEvent> syscallValue = new AvroBinarySerde<>(SyscallEvent.class);
        AvroBinarySerde<MapKey> mapKey = new AvroBinarySerde<>(MapKey.class);
        AvroBinarySerde<GoMapEvent> mapValue = new AvroBinarySerde<>(GoMapEvent.class);
        long events = 0, syscalls = 0, maps = 0, malformed = 0, lateSyscalls, lateSnapshots;
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        Map<Path, Long> written = new LinkedHashMap<>();
        List<Drain<?>> drains = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.EPOCH);
             JsonlReader reader = JsonlReader.open(input)) {
            TestInputTopic<SyscallKey, SyscallEvent> syscallIn =
                    driver.createInputTopic(TopicSpecs.SYSCALL_EVENTS.name(), syscallKey, syscallValue);
            TestInputTopic<MapKey, GoMapEvent> mapIn =
                    driver.createInputTopic(TopicSpecs.GOMAP_EVENTS.name(), mapKey, mapValue);
            for (Output<?> o : outputs) {
                drains.add(new Drain<>(driver, o));
            }
            try {
                while (reader.hasNext()) {
                    SpecificRecord rec;
                    try {
                        rec = reader.next();
                    } catch (JsonlFormatException e) {
                        if (strict) {
                            throw e;
                        }
                        malformed++;
                        continue;
                    }
                    long tsMs;
                    if (rec instanceof SyscallEvent s) {
                        tsMs = s.getTsNs() / 1_000_000;
                        syscallIn.pipeInput(new SyscallKey(s.getHost(), s.getComm(), s.getSyscall()), s, tsMs);
                        syscalls++;
                    } else {
                        GoMapEvent g = (GoMapEvent) rec;
                        tsMs = g.getTsNs() / 1_000_000;
                        mapIn.pipeInput(new MapKey(g.getHost(), g.getPid(), g.getMapAddr()), g, tsMs);
                        maps++;
                    }
                    first = Math.min(first, tsMs);
                    last = Math.max(last, tsMs);
                    if (++events % 4096 == 0) {
                        for (Drain<?> d : drains) {
                            d.drain();
                        }
                    }
                }
                if (events > 0) {
                    syscallIn.pipeInput(END_OF_RECORDING, null, last + closeAfter.toMillis() + 1);
                }
                for (Drain<?> d : drains) {
                    d.drain();
                    written.put(d.output.file(), d.lines);
                }
            } finally {
                for (Drain<?> d : drains) {
                    d.close();
                }
            }
            lateSyscalls = metricTotal(driver, LatencyWindowAggregator.DROPPED_EVENTS_METRIC,
                    LatencyWindowAggregator.DROPPED_EVENTS_GROUP);
            lateSnapshots = metricTotal(driver, MapTrendTopology.DROPPED_SNAPSHOTS_METRIC,
                    MapTrendTopology.DROPPED_SNAPSHOTS_GROUP);
        }
        return new Summary(events, syscalls, maps, malformed, lateSyscalls, lateSnapshots, written,
                events == 0 ? 0 : first, events == 0 ? 0 : last);
    }

    /** The sum of a counter over its tags (tasks); 0 when the topology has no such sensor. */
    private static long metricTotal(TopologyTestDriver driver, String name, String group) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals(group)
                    && e.getValue().metricValue() instanceof Number n) {
                sum += n.doubleValue();
            }
        }
        return (long) sum;
    }

    private static final class Drain<V> implements AutoCloseable {
        final Output<V> output;
        final TestOutputTopic<byte[], V> topic;
        final BufferedWriter out;
        long lines;

        Drain(TopologyTestDriver driver, Output<V> output) throws IOException {
            this.output = output;
            this.topic = driver.createOutputTopic(output.topic(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(), output.valueDeserializer());
            Path parent = output.file().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(output.file(), StandardCharsets.UTF_8);
        }

        void drain() throws IOException {
            while (!topic.isEmpty()) {
                TestRecord<byte[], V> r = topic.readRecord();
                if (r.value() == null) {
                    continue; // tombstones (forgotten maps) are not results
                }
                out.write(JsonViews.JSON.writeValueAsString(output.toJson().apply(r.value())));
                out.write('\n');
                lines++;
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
