package io.harbinger.reliability;

import io.harbinger.schema.DeadLetter;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.serde.DeadLetterDeserializationHandler;
import io.harbinger.streams.ProcessorTopology;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.harbinger.streams.backtest.Backtest;
import io.harbinger.topics.Topics;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records that decode but make no sense - a negative latency or count, a zero or negative sample weight, a bucket
 * exponent past 63, timestamps at the ends of the range - reach the streams processor's topology exactly as the
 * service configures it. None may stop the processing (a stream thread that throws is replaced and fails again on
 * the same record, for ever). Those that cannot be true - a negative latency, a sample weight below 1, a negative
 * count or overflow count, a bucket exponent outside 0..63 - go to harbinger.deadletter with the reason
 * {@code IMPLAUSIBLE: <field> ...} and the original bytes, counted; the merely extreme (the longest latency, the
 * largest weight and errno, B = 63) are aggregated; the good records after them are processed.
 */
class ImplausibleEventsTest {
    static final long T0 = Workload.BASE_MS;

    @Test
    void implausibleRawEventsNeverStopTheProcessor(@TempDir Path dir) {
        Properties p = Backtest.driverProperties(dir);
        // the service's own exception handling, as `harbinger streams` sets it up
        StreamsServiceConfig service = StreamsServiceConfig.from(p, dir);
        service.streamsProperties().forEach((k, v) -> {
            if (k.toString().contains("exception.handler")) {
                p.put(k, v);
            }
        });
        p.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, "implausible-" + System.nanoTime());
        var syscallKey = new AvroBinarySerde<>(SyscallKey.class);
        var syscallValue = new AvroBinarySerde<>(SyscallEvent.class);
        var mapKey = new AvroBinarySerde<>(MapKey.class);
        var mapValue = new AvroBinarySerde<>(GoMapEvent.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(ProcessorTopology.build(service.processor()
                .withGrace(java.time.Duration.ZERO)), p)) {
            TestInputTopic<SyscallKey, SyscallEvent> syscalls = driver.createInputTopic(Topics.SYSCALL_EVENTS,
                    syscallKey.serializer(), syscallValue.serializer());
            TestInputTopic<MapKey, GoMapEvent> maps = driver.createInputTopic(Topics.GOMAP_EVENTS,
                    mapKey.serializer(), mapValue.serializer());
            SyscallKey k = new SyscallKey("odd-host", "api", "read");
            List<SyscallEvent> odd = List.of(
                    event(T0 + 1, -5L, 1L, 1),                 // negative latency
                    event(T0 + 2, 1_000L, 1L, 0),              // sample weight 0
                    event(T0 + 3, 1_000L, 1L, -3),             // negative sample weight
                    event(T0 + 4, Long.MAX_VALUE, 1L, 1),      // the longest latency there is
                    event(T0 + 5, 1_000L, Long.MIN_VALUE, Integer.MAX_VALUE), // huge weight, odd errno
                    event(T0 + 6, 0L, -4095L, 1));             // zero latency, the largest errno
            for (SyscallEvent e : odd) {
                syscalls.pipeInput(k, e, e.getTsNs() / 1_000_000);
            }
            syscalls.pipeInput(k, event(T0 + 10, 2_000L, 1L, 1), T0 + 10);
            syscalls.pipeInput(k, event(T0 + 61_000, 2_000L, 1L, 1), T0 + 61_000); // closes the first window

            MapKey m = new MapKey("odd-host", 1, 2L);
            List<GoMapEvent> oddMaps = List.of(
                    snapshot(T0, -5L, 3, 0L),       // negative count
                    snapshot(T0 + 1, 10L, -1, 0L),  // negative B
                    snapshot(T0 + 2, 10L, 200, 0L), // B past 63
                    snapshot(T0 + 3, 10L, 3, -7L),  // negative overflow buckets
                    snapshot(T0 + 4, Long.MAX_VALUE, 63, Long.MAX_VALUE));
            for (GoMapEvent e : oddMaps) {
                maps.pipeInput(m, e, e.getTsNs() / 1_000_000);
            }
            maps.pipeInput(m, snapshot(T0 + 10_000, 1_000L, 7, 1L), T0 + 10_000);

            var windows = driver.createOutputTopic(Topics.SYSCALL_LATENCY,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new AvroBinarySerde<>(SyscallLatencyWindow.class).deserializer()).readValuesToList();
            var trends = driver.createOutputTopic(Topics.GOMAP_TRENDS,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new AvroBinarySerde<>(MapTrend.class).deserializer()).readValuesToList();
            List<DeadLetter> letters = driver.createOutputTopic(Topics.DEADLETTER,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new AvroBinarySerde<>(DeadLetter.class).deserializer()).readValuesToList();
            System.out.println("windows: " + windows);
            System.out.println("trends: " + trends.size() + ", last " + trends.get(trends.size() - 1));
            letters.forEach(d -> System.out.println("dead letter: " + d.getTopic() + "@" + d.getOffset() + ": "
                    + d.getReason()));
            assertEquals(List.of(
                    Topics.SYSCALL_EVENTS + "@0: IMPLAUSIBLE: latency_ns -5 is negative",
                    Topics.SYSCALL_EVENTS + "@1: IMPLAUSIBLE: sample_weight 0 is below 1",
                    Topics.SYSCALL_EVENTS + "@2: IMPLAUSIBLE: sample_weight -3 is below 1",
                    Topics.GOMAP_EVENTS + "@0: IMPLAUSIBLE: count -5 is negative",
                    Topics.GOMAP_EVENTS + "@1: IMPLAUSIBLE: log2_buckets -1 is outside 0..63",
                    Topics.GOMAP_EVENTS + "@2: IMPLAUSIBLE: log2_buckets 200 is outside 0..63",
                    Topics.GOMAP_EVENTS + "@3: IMPLAUSIBLE: overflow_buckets -7 is negative"),
                    letters.stream().map(d -> d.getTopic() + "@" + d.getOffset() + ": " + d.getReason()).toList());
            assertEquals(7, DeadLetterDeserializationHandler.deadLettered(p.getProperty(
                    org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG)), "counted");
            assertEquals(1, windows.size(), "the first window closed");
            // the extreme but possible ones and the good one: weights 1 + MAX_INT + 1 + 1
            assertEquals(3L + Integer.MAX_VALUE, windows.get(0).getCount(), "only the plausible events aggregated");
            assertEquals(Long.MAX_VALUE, windows.get(0).getMaxNs());
            assertEquals(List.of(T0 + 4, T0 + 10_000), trends.stream().map(MapTrend::getTsMs).toList(),
                    "a trend for the extreme snapshot and the good one after it, none for the impossible ones");
        }
    }

    static SyscallEvent event(long tsMs, long latencyNs, long ret, int weight) {
        return new SyscallEvent("odd-host", tsMs * 1_000_000L + 1, 1, 1, "api", 0L, 0, "read", latencyNs, ret, weight);
    }

    static GoMapEvent snapshot(long tsMs, long count, int b, long overflow) {
        return new GoMapEvent("odd-host", tsMs * 1_000_000L, 1, "svc", 2L, "go1.19.8", count, b, overflow, 1L);
    }
}
