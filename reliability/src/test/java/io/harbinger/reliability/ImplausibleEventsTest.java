package io.harbinger.reliability;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
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
 * the same record, for ever): each is dropped or dead-lettered, and the good records after them are processed.
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
            System.out.println("windows: " + windows);
            System.out.println("last trend: " + trends.get(trends.size() - 1));
            assertEquals(1, windows.size(), "the first window closed");
            assertEquals(T0 + 10_000, trends.get(trends.size() - 1).getTsMs(), "the good snapshot after them");
        }
    }

    static SyscallEvent event(long tsMs, long latencyNs, long ret, int weight) {
        return new SyscallEvent("odd-host", tsMs * 1_000_000L + 1, 1, 1, "api", 0L, 0, "read", latencyNs, ret, weight);
    }

    static GoMapEvent snapshot(long tsMs, long count, int b, long overflow) {
        return new GoMapEvent("odd-host", tsMs * 1_000_000L, 1, "svc", 2L, "go1.19.8", count, b, overflow, 1L);
    }
}
