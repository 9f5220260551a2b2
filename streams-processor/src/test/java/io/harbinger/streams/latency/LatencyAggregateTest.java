package io.harbinger.streams.latency;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.serde.WireFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencyAggregateTest {
    static final LatencySketches SKETCHES = new LatencySketches(0.005, 2048);

    static SyscallEvent event(long latency, long ret, int weight) {
        return new SyscallEvent("h", 1L, 1, 1, "c", 0L, 0, "read", latency, ret, weight);
    }

    @ParameterizedTest(name = "{0} events, spread {1}")
    @CsvSource({"3, 0.1", "40, 0.5", "1000, 0.2", "50000, 1.5", "20000, 4.0"})
    void quantilesEqualADDSketchFedTheSameValues(int n, double spread) {
        Random rnd = new Random(n);
        LatencyAggregate agg = LatencyAggregate.empty();
        DDSketch reference = SKETCHES.newSketch();
        long max = 0;
        for (int i = 0; i < n; i++) {
            long latency = (long) (5000 * Math.exp(rnd.nextGaussian() * spread));
            int w = 1 + rnd.nextInt(3);
            agg.add(event(latency, 0, w), SKETCHES);
            reference.accept(latency, w);
            max = Math.max(max, latency);
        }
        // serialized bytes round-trip unchanged
        LatencyAggregate again = LatencyAggregate.wrap(agg.bytes().clone());
        LatencySummary s = again.summary(SKETCHES);
        for (double q : new double[]{0, 0.5, 0.9, 0.99, 0.999, 1}) {
            assertEquals(Math.min(Math.round(reference.getValueAtQuantile(q)), max), s.quantileNs(q), "q=" + q);
        }
        assertEquals((long) reference.getCount(), s.count());
        assertEquals(max, s.maxNs());
    }

    @Test
    void widerThanMaxBinsCollapsesTheLowestAndKeepsTheTail() {
        LatencySketches small = new LatencySketches(0.005, 128);
        LatencyAggregate agg = LatencyAggregate.empty();
        for (long latency = 1; latency < 1_000_000_000L; latency = latency * 11 / 10 + 1) {
            agg.add(event(latency, 0, 1), small);
        }
        agg.add(event(999_999_000L, 0, 1), small);
        LatencySummary s = agg.summary(small);
        assertEquals(999_999_000L, s.quantileNs(1.0), 999_999_000L * 0.01);
        long before = agg.bytes().length;
        agg.add(event(5, 0, 1), small); // far below the kept range: folds into the lowest bin, no growth
        assertEquals(before, agg.bytes().length);
    }

    @Test
    void errorsCountPerErrnoAndZeroLatencyCounts() {
        LatencyAggregate agg = LatencyAggregate.empty();
        agg.add(event(0, -2, 1), SKETCHES);
        agg.add(event(10, -2, 2), SKETCHES);
        agg.add(event(10, -13, 1), SKETCHES);
        agg.add(event(10, 5, 1), SKETCHES);
        LatencySummary s = agg.summary(SKETCHES);
        assertEquals(5, s.count());
        assertEquals(4, s.errors());
        assertEquals(2, s.errnoCount());
        assertEquals(2, s.errno(0));
        assertEquals(3, s.errnoTotal(0));
        assertEquals(13, s.errno(1));
        assertEquals(0, s.quantileNs(0));
    }

    @Test
    void mergedSummariesEqualOneAggregateOfAll() {
        Random rnd = new Random(7);
        LatencyAggregate a = LatencyAggregate.empty(), b = LatencyAggregate.empty(), all = LatencyAggregate.empty();
        for (int i = 0; i < 5000; i++) {
            SyscallEvent e = event((long) (1000 * Math.exp(rnd.nextGaussian())), rnd.nextInt(9) == 0 ? -4 : 0, 1);
            (i % 2 == 0 ? a : b).add(e, SKETCHES);
            all.add(e, SKETCHES);
        }
        LatencySummary merged = a.summary(SKETCHES).merge(b.summary(SKETCHES));
        LatencySummary whole = all.summary(SKETCHES);
        assertEquals(whole.count(), merged.count());
        assertEquals(whole.errors(), merged.errors());
        for (double q : new double[]{0.5, 0.99, 0.999}) {
            assertEquals(whole.quantileNs(q), merged.quantileNs(q));
        }
    }

    @Test
    void damagedBytesAreRefused() {
        LatencyAggregate agg = LatencyAggregate.empty().add(event(10, 0, 1), SKETCHES);
        byte[] bytes = agg.bytes();
        assertThrows(WireFormatException.class, () -> LatencyAggregate.wrap(Arrays.copyOf(bytes, bytes.length - 1)));
        byte[] wrongVersion = bytes.clone();
        wrongVersion[0] = 9;
        assertThrows(WireFormatException.class, () -> LatencyAggregate.wrap(wrongVersion));
        assertArrayEquals(bytes, LatencyAggregate.wrap(bytes.clone()).bytes());
    }
}
