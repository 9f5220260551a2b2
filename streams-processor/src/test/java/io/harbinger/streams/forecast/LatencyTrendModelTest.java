package io.harbinger.streams.forecast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyTrendModelTest {

    static final long T0 = 1_767_225_600_000L;

    @Test
    void tracksALinearP99Trend() {
        LatencyTrendModel m = new LatencyTrendModel();
        for (int i = 0; i < 60; i++) {
            m.observe(T0 + i * 60_000L, 100_000 + 2_000.0 * i);
        }
        assertEquals(2_000, m.trendPerMinNs().orElseThrow(), 50);
        assertEquals(100_000 + 2_000.0 * 59, m.levelNs().orElseThrow(), 2_000);
    }

    @Test
    void oneOutlierWindowMovesTheTrendLittle() {
        LatencyTrendModel m = new LatencyTrendModel();
        for (int i = 0; i < 30; i++) {
            m.observe(T0 + i * 60_000L, 100_000 + (i % 2 == 0 ? 1_000 : -1_000));
        }
        m.observe(T0 + 30 * 60_000L, 5_000_000); // one pathological window
        assertTrue(Math.abs(m.trendPerMinNs().orElseThrow()) < 1_000, "trend " + m.trendPerMinNs());
    }

    @Test
    void notReadyBeforeMinWindowsAndIgnoresOutOfOrder() {
        LatencyTrendModel m = new LatencyTrendModel();
        for (int i = 0; i < 4; i++) {
            assertTrue(m.observe(T0 + i * 60_000L, 1000));
        }
        assertTrue(m.levelNs().isEmpty());
        assertFalse(m.observe(T0, 1000));
        m.observe(T0 + 4 * 60_000L, 1000);
        assertTrue(m.levelNs().isPresent());
        assertArrayEquals(m.toBytes(), LatencyTrendModel.fromBytes(m.toBytes()).toBytes());
    }
}
