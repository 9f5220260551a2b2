package io.harbinger.streams.forecast;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MapGrowthModelTest {

    static final long T0 = 1_767_225_600_000L;
    static final long MIN = 60_000L;

    /** Feeds count(t) every {@code stepMs} from T0 for {@code minutes}. */
    static MapGrowthModel feed(MapGrowthModel m, long stepMs, double minutes, java.util.function.DoubleUnaryOperator count) {
        for (long t = 0; t <= minutes * MIN; t += stepMs) {
            m.observe(T0 + t, Math.round(count.applyAsDouble(t / (double) MIN)));
        }
        return m;
    }

    @Test
    void linearLeakGivesLevelTrendAndEta() {
        MapGrowthModel m = feed(new MapGrowthModel(), 10_000, 40, t -> 100_000 + 10_000 * t);
        assertTrue(m.credible());
        assertEquals(10_000, m.trendPerMin(), 1);
        assertEquals(500_000, m.level(), 100);
        assertEquals(T0 + 40 * MIN, m.tsMs());
        OptionalLong eta = m.etaMs(1_000_000);
        assertEquals(T0 + 90 * MIN, eta.orElseThrow(), MIN / 2);
    }

    @Test
    void notCredibleDuringTheFirstMinutes() {
        MapGrowthModel m = feed(new MapGrowthModel(), 10_000, 8, t -> 100_000 + 50_000 * t);
        assertFalse(m.credible());
        assertTrue(m.etaMs(1_000_000).isEmpty());
        assertTrue(m.etaMs(100_000).isPresent(), "a level already over the threshold is crossed now");
    }

    @Test
    void lateSnapshotsWithinToleranceCountBeyondAreDropped() {
        MapGrowthModel m = feed(new MapGrowthModel(), 10_000, 30, t -> 1000 * t);
        assertTrue(m.observe(T0 + 30 * MIN - 90_000, 29_000), "90 s late is within tolerance");
        assertFalse(m.observe(T0 + 30 * MIN - 10 * MIN, 20_000), "10 min late is not");
        assertFalse(m.observe(T0 + 31 * MIN, Double.NaN));
        assertEquals(2, m.droppedLate());
    }

    @Test
    void purgeStartsANewSegment() {
        // sawtooth: 20 min ramps from 0 to 400k
        MapGrowthModel m = feed(new MapGrowthModel(), 10_000, 45, t -> 20_000 * (t % 20));
        assertEquals(2, m.purges());
    }

    @Test
    void serializationRoundTripsExactly() {
        MapGrowthModel m = feed(new MapGrowthModel(), 7_000, 50, t -> 200_000 + 3_000 * t + 500 * Math.sin(t));
        byte[] bytes = m.toBytes();
        MapGrowthModel back = MapGrowthModel.fromBytes(bytes);
        assertArrayEquals(bytes, back.toBytes());
        assertEquals(m.level(), back.level());
        assertEquals(m.trendPerMin(), back.trendPerMin());
        assertEquals(m.etaMs(1_000_000), back.etaMs(1_000_000));
        // and both continue identically
        for (int i = 1; i <= 30; i++) {
            m.observe(T0 + 50 * MIN + i * 7_000L, 350_000 + i * 350);
            back.observe(T0 + 50 * MIN + i * 7_000L, 350_000 + i * 350);
        }
        assertArrayEquals(m.toBytes(), back.toBytes());
    }

    @Test
    void corruptBytesAreRejectedWithAReason() {
        byte[] bytes = new MapGrowthModel().toBytes();
        bytes[0] = 99;
        assertThrows(IllegalArgumentException.class, () -> MapGrowthModel.fromBytes(bytes));
        assertThrows(IllegalArgumentException.class, () -> MapGrowthModel.fromBytes(new byte[] {1, 2, 3}));
    }
}
