package io.harbinger.streams.latency;

import io.harbinger.jsonl.JsonlReader;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.backtest.Backtest;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LatencyWindowAggregator} against the DSL windowed aggregation it replaced ({@link DslLatencyTopology}) on the
 * same inputs, record by record: the same windows with the same results in the same order on the output topic, and
 * the same number of events dropped as late — on the sample, the generated recording (disorder within grace) and a
 * recording with events late beyond the grace.
 */
class LatencyWindowAggregatorDslEquivalenceTest {

    @Test
    void sampleRecording(@TempDir Path dir) throws Exception {
        List<SyscallEvent> events = read(io.harbinger.streams.SharedFiles.ROOT.resolve("samples/syscall.jsonl"));
        assertSame(events, Duration.ofSeconds(5), dir);
    }

    @Test
    void generatedRecordingWithDisorder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("generated.jsonl");
        GeneratedRecordingBacktestTest.generate(file, new Random(42));
        List<SyscallEvent> events = read(file);
        assertSame(events, Duration.ofSeconds(60), dir);
    }

    @Test
    void eventsLateBeyondTheGraceAreDroppedAlike(@TempDir Path dir) throws Exception {
        Random rnd = new Random(7);
        List<SyscallEvent> events = new ArrayList<>();
        long t0 = 1_767_225_600_000_000_000L;
        String[] comms = {"api", "db", "cache"};
        for (int i = 0; i < 20_000; i++) {
            long ts = t0 + i * 30_000_000L; // 10 minutes of events, 30 ms apart
            // one in 20 arrives late by up to 2 minutes: most beyond the 5 s grace, some within
            long delay = rnd.nextInt(20) == 0 ? (long) (rnd.nextDouble() * 120_000_000_000L) : 0;
            events.add(new SyscallEvent("h" + rnd.nextInt(2), ts - delay, 1, 1, comms[rnd.nextInt(3)], 0L, 0,
                    rnd.nextBoolean() ? "read" : "write", (long) (1000 * Math.exp(rnd.nextGaussian())),
                    rnd.nextInt(30) == 0 ? -4L : 0L, 1 + rnd.nextInt(3)));
        }
        long dropped = assertSame(events, Duration.ofSeconds(5), dir);
        assertTrue(dropped > 500, "the recording has late events: " + dropped);
    }

    /** Runs both topologies over {@code events}; asserts identical outputs; returns the late events dropped. */
    static long assertSame(List<SyscallEvent> events, Duration grace, Path dir) {
        Run dsl = run(DslLatencyTopology::addTo, events, grace, dir.resolve("dsl-" + grace.toSeconds()));
        Run ours = run(SyscallLatencyTopology::addTo, events, grace, dir.resolve("ours-" + grace.toSeconds()));
        assertTrue(dsl.outputs.size() > 0);
        assertEquals(dsl.outputs.size(), ours.outputs.size(), "windows published");
        for (int i = 0; i < dsl.outputs.size(); i++) {
            assertEquals(dsl.outputs.get(i), ours.outputs.get(i), "output " + i);
        }
        assertEquals(dsl.dropped, ours.dropped, "late events dropped");
        return ours.dropped;
    }

    record Run(List<String> outputs, long dropped) {}

    static Run run(BiConsumer<StreamsBuilder, ProcessorConfig> topology, List<SyscallEvent> events, Duration grace,
                   Path state) {
        Properties props = Backtest.driverProperties(state);
        // the DSL throttles its closed-window checks by wall-clock time, which stands still in the driver
        props.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, 0L);
        ProcessorConfig config = ProcessorConfig.from(Backtest.asMap(props)).withGrace(grace);
        StreamsBuilder builder = new StreamsBuilder();
        topology.accept(builder, config);
        Topology t = builder.build();
        List<String> outputs = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(t, props, Instant.EPOCH)) {
            TestInputTopic<SyscallKey, SyscallEvent> in = driver.createInputTopic(TopicSpecs.SYSCALL_EVENTS.name(),
                    new AvroBinarySerde<>(SyscallKey.class), new AvroBinarySerde<>(SyscallEvent.class));
            var out = driver.createOutputTopic(TopicSpecs.SYSCALL_LATENCY.name(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            long last = 0;
            for (SyscallEvent e : events) {
                long ms = e.getTsNs() / 1_000_000;
                in.pipeInput(new SyscallKey(e.getHost(), e.getComm(), e.getSyscall()), e, ms);
                last = Math.max(last, ms);
                if (!out.isEmpty()) {
                    drain(out.readRecordsToList(), outputs);
                }
            }
            in.pipeInput(Backtest.END_OF_RECORDING, null, last + config.window().plus(grace).toMillis() + 1);
            drain(out.readRecordsToList(), outputs);
            long dropped = 0;
            for (Map.Entry<MetricName, ? extends Metric> m : driver.metrics().entrySet()) {
                boolean kafkaLate = m.getKey().name().equals("dropped-records-total")
                        && m.getKey().group().equals("stream-task-metrics");
                boolean oursLate = m.getKey().name().equals(LatencyWindowAggregator.DROPPED_EVENTS_METRIC)
                        && m.getKey().group().equals(LatencyWindowAggregator.DROPPED_EVENTS_GROUP);
                if (kafkaLate || oursLate) {
                    dropped += ((Number) m.getValue().metricValue()).longValue();
                }
            }
            return new Run(outputs, dropped);
        }
    }

    /** Each output as its JSON view (readable when they differ) and its exact key and value bytes. */
    private static void drain(List<TestRecord<byte[], byte[]>> records, List<String> outputs) {
        AvroBinarySerde<SyscallLatencyWindow> values = new AvroBinarySerde<>(SyscallLatencyWindow.class);
        Base64.Encoder b64 = Base64.getEncoder();
        for (TestRecord<byte[], byte[]> r : records) {
            outputs.add(JsonViews.latencyWindow(values.deserialize("", r.value())) + " @" + r.timestamp() + " key "
                    + b64.encodeToString(r.key()) + " value " + b64.encodeToString(r.value()));
        }
    }

    static List<SyscallEvent> read(Path file) throws Exception {
        List<SyscallEvent> out = new ArrayList<>();
        try (JsonlReader r = JsonlReader.open(file)) {
            while (r.hasNext()) {
                if (r.next() instanceof SyscallEvent e) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
