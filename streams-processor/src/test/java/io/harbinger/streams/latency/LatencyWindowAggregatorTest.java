package io.harbinger.streams.latency;

import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.backtest.Backtest;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LatencyWindowAggregator} in the real latency topology (TopologyTestDriver, which commits after every record):
 * 10 s windows with 2 s grace.
 */
class LatencyWindowAggregatorTest {
    static final AvroBinarySerde<SyscallKey> KEYS = new AvroBinarySerde<>(SyscallKey.class);
    static final SyscallKey A = new SyscallKey("h1", "api", "read");
    static final SyscallKey B = new SyscallKey("h1", "db", "write");

    @TempDir
    Path dir;
    TopologyTestDriver driver;
    TestInputTopic<SyscallKey, SyscallEvent> in;
    TestOutputTopic<LatencyWindowKey, SyscallLatencyWindow> out;

    @BeforeEach
    void start() {
        start(true);
    }

    void start(boolean inMemory) {
        Properties props = Backtest.driverProperties(dir.resolve("state"));
        props.put(ProcessorConfig.IN_MEMORY_STORES, Boolean.toString(inMemory));
        props.put(ProcessorConfig.WINDOW_MS, "10000");
        props.put(ProcessorConfig.GRACE_MS, "2000");
        props.put(ProcessorConfig.RETENTION_MS, "60000");
        ProcessorConfig config = ProcessorConfig.from(Backtest.asMap(props));
        StreamsBuilder b = new StreamsBuilder();
        SyscallLatencyTopology.addTo(b, config);
        driver = new TopologyTestDriver(b.build(), props, Instant.EPOCH);
        in = driver.createInputTopic(TopicSpecs.SYSCALL_EVENTS.name(), KEYS, new AvroBinarySerde<>(SyscallEvent.class));
        out = driver.createOutputTopic(TopicSpecs.SYSCALL_LATENCY.name(), new AvroBinarySerde<>(LatencyWindowKey.class),
                new AvroBinarySerde<>(SyscallLatencyWindow.class));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void event(SyscallKey k, long tsMs, long latencyNs, long ret) {
        in.pipeInput(k, new SyscallEvent(k.getHost(), tsMs * 1_000_000 + 123, 1, 1, k.getComm(), 0L, 0, k.getSyscall(),
                latencyNs, ret, 1), tsMs);
    }

    long dropped() {
        long n = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : driver.metrics().entrySet()) {
            if (m.getKey().name().equals("dropped-events-total")
                    && m.getKey().group().equals("stream-harbinger-latency-metrics")) {
                n += ((Number) m.getValue().metricValue()).longValue();
            }
        }
        return n;
    }

    LatencyWindowStore store() {
        // (getStateStore refuses stores that look like Kafka's window stores)
        return (LatencyWindowStore) driver.getAllStateStores().get(SyscallLatencyTopology.WINDOW_STORE);
    }

    static Bytes bytes(SyscallKey k) {
        return Bytes.wrap(KEYS.serialize("", k));
    }

    @Test
    void windowsAreEpochAlignedHalfOpenAndCloseExactlyAtEndPlusGrace() {
        event(A, 10_000, 100, 0);   // first ms of [10 s, 20 s)
        event(A, 19_999, 200, -11); // last ms of it
        event(A, 20_000, 300, 0);   // first ms of [20 s, 30 s)
        event(B, 21_999, 50, 0);
        assertTrue(out.isEmpty(), "[10 s, 20 s) stays open until stream time reaches 22 s");
        event(B, 22_000, 50, 0);
        List<KeyValue<LatencyWindowKey, SyscallLatencyWindow>> closed = out.readKeyValuesToList();
        assertEquals(1, closed.size(), closed.toString());
        SyscallLatencyWindow w = closed.get(0).value;
        assertEquals(new LatencyWindowKey("h1", "api", "read", 10_000L), closed.get(0).key);
        assertEquals(10_000, w.getWindowStartMs());
        assertEquals(20_000, w.getWindowEndMs());
        assertEquals(2, w.getCount());
        assertEquals(1, w.getErrors());
        assertEquals(200, w.getMaxNs());
        assertEquals(Map.of("11", 1L), w.getErrorsByErrno());

        event(A, 31_999, 1, 0);
        assertTrue(out.isEmpty());
        event(A, 32_000, 1, 0);
        List<KeyValue<LatencyWindowKey, SyscallLatencyWindow>> next = out.readKeyValuesToList();
        assertEquals(2, next.size(), "B's and A's [20 s, 30 s) (B's key bytes sort first): " + next);
        assertEquals("db", next.get(0).key.getComm());
        assertEquals(2, next.get(0).value.getCount());
        assertEquals("api", next.get(1).key.getComm());
        assertEquals(1, next.get(1).value.getCount());
        assertEquals(0, dropped());
    }

    @Test
    void lateEventsWithinGraceCountAndLaterOnesAreDroppedAndCounted() {
        event(A, 10_000, 100, 0);
        event(A, 21_000, 100, 0);  // stream time 21 s: [10 s, 20 s) closes at 22 s
        event(A, 15_000, 700, 0);  // 6 s out of order, but its window is still open: counted
        event(A, 21_999, 100, 0);
        assertTrue(out.isEmpty());
        event(A, 22_000, 100, 0);  // closes [10 s, 20 s)
        SyscallLatencyWindow w = out.readValue();
        assertEquals(2, w.getCount());
        assertEquals(700, w.getMaxNs());
        event(A, 19_999, 100, 0);  // its window has closed: dropped
        event(B, 5_000, 100, 0);   // a window never seen, long closed: dropped
        assertEquals(2, dropped());
        in.pipeInput(null, new SyscallEvent("h1", 40_000_000_000L, 1, 1, "x", 0L, 0, "read", 1L, 0L, 1), 40_000);
        assertEquals(3, dropped(), "no key: dropped");
        event(A, 60_000, 1, 0);
        List<SyscallLatencyWindow> rest = out.readValuesToList();
        assertEquals(1, rest.size(), "only A's [20 s, 30 s): " + rest);
        assertEquals(3, rest.get(0).getCount());
        assertEquals(20_000, rest.get(0).getWindowStartMs());
    }

    @Test
    void windowsClosingTogetherGoOutOnceByStartThenKeyBytes() {
        List<SyscallKey> keys = new ArrayList<>();
        for (String host : new String[]{"zeta", "alpha", "mid", "al"}) {
            for (String sc : new String[]{"read", "futex"}) {
                keys.add(new SyscallKey(host, "c", sc));
            }
        }
        for (SyscallKey k : keys) {
            event(k, 25_000, 10, 0);
        }
        for (SyscallKey k : keys) {
            event(k, 19_000, 10, 0); // [10 s, 20 s) closed at stream time 22 s: late
        }
        assertEquals(keys.size(), dropped());
        List<SyscallKey> reversed = new ArrayList<>(keys);
        java.util.Collections.reverse(reversed);
        for (SyscallKey k : reversed) {
            event(k, 31_000, 10, 0); // [30 s, 40 s); [20 s, 30 s) stays open until 32 s
        }
        event(A, 100_000, 1, 0); // closes both windows at once
        List<KeyValue<LatencyWindowKey, SyscallLatencyWindow>> closed = out.readKeyValuesToList();
        assertEquals(2 * keys.size(), closed.size());
        List<SyscallKey> byBytes = new ArrayList<>(keys);
        byBytes.sort((x, y) -> bytes(x).compareTo(bytes(y)));
        for (int i = 0; i < closed.size(); i++) {
            SyscallKey expected = byBytes.get(i % keys.size());
            LatencyWindowKey got = closed.get(i).key;
            assertEquals(i < keys.size() ? 20_000L : 30_000L, got.getWindowStartMs(), "by start first");
            assertEquals(expected, new SyscallKey(got.getHost(), got.getComm(), got.getSyscall()), "then by key bytes");
            assertEquals(1, closed.get(i).value.getCount());
        }
        event(A, 200_000, 1, 0);
        assertEquals(1, out.readKeyValuesToList().size(), "each window once: only A's [100 s, 110 s) now");
    }

    @Test
    void aRecordWithoutValueMovesStreamTimeAndAggregatesNothing() {
        event(A, 10_000, 100, 0);
        in.pipeInput(Backtest.END_OF_RECORDING, null, 22_000);
        assertEquals(1, out.readValuesToList().size());
        try (KeyValueIterator<Windowed<Bytes>, LatencyAggregate> it = store().all()) {
            List<String> keys = new ArrayList<>();
            it.forEachRemaining(kv -> keys.add(kv.key.toString()));
            assertEquals(1, keys.size(), "only A's window is stored: " + keys);
        }
        assertEquals(0, dropped());
    }

    @ParameterizedTest(name = "in memory: {0}")
    @ValueSource(booleans = {true, false})
    void windowsAreQueryableOpenAndClosedAndTheStreamTimeIsStoredButHidden(boolean inMemory) {
        driver.close();
        start(inMemory);
        event(A, 10_000, 100, 0);
        event(A, 11_000, 100, 0);
        event(B, 12_000, 100, 0);
        // the driver commits after every record, so the open windows are in the store
        try (WindowStoreIterator<LatencyAggregate> it = store().fetch(bytes(A), Instant.EPOCH, Instant.ofEpochSecond(60))) {
            KeyValue<Long, LatencyAggregate> w = it.next();
            assertEquals(10_000L, w.key);
            assertEquals(2, w.value.count());
            assertTrue(!it.hasNext());
        }
        event(A, 25_000, 100, 0); // closes [10 s, 20 s)
        assertEquals(2, out.readValuesToList().size());
        assertEquals(2, store().fetch(bytes(A), 10_000).count(), "closed windows stay queryable");
        assertEquals(1, store().fetch(bytes(B), 10_000).count());
        assertEquals(1, store().fetch(bytes(A), 20_000).count());
        assertEquals(25_000, store().streamTime(), "stream time is stored with the windows");
        assertNull(store().fetch(LatencyWindowStore.STREAM_TIME_KEY, 20_000), "but is not a window");
        try (KeyValueIterator<Windowed<Bytes>, LatencyAggregate> it = store().fetchAll(Instant.EPOCH,
                Instant.ofEpochSecond(60))) {
            int n = 0;
            while (it.hasNext()) {
                assertTrue(it.next().key.key().get().length > 0);
                n++;
            }
            assertEquals(3, n);
        }
    }

    @Test
    void theChangelogIsStampedWithAppendTimeSoEventTimesDoNotExpireIt() {
        // Kafka creates the changelog topic from the builder's log config; its time retention must not see event times
        Map<String, String> log = LatencyWindowStore.builder("w", java.time.Duration.ofSeconds(10),
                java.time.Duration.ofMinutes(1), true).logConfig();
        assertEquals("LogAppendTime", log.get("message.timestamp.type"));
        assertEquals("compact,delete", log.get("cleanup.policy"));
        assertEquals(Long.toString(60_000 + 86_400_000L), log.get("retention.ms"));
    }
}
