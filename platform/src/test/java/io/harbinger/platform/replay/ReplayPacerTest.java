package io.harbinger.platform.replay;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplayPacerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void maxSpeedNeverWaits() {
        ReplayPacer p = new ReplayPacer(OptionalDouble.empty());
        assertEquals(0, p.waitNanos(0, 0));
        assertEquals(0, p.waitNanos(3600 * S, 1));
    }

    @Test
    void tenTimesRealTimeDividesEventTimeGaps() {
        ReplayPacer p = new ReplayPacer(OptionalDouble.of(10));
        long wall0 = 5_000;
        assertEquals(0, p.waitNanos(100 * S, wall0), "the first event goes at once");
        assertEquals(S, p.waitNanos(110 * S, wall0), "10 s of event time = 1 s of wall time");
        assertEquals(S / 2, p.waitNanos(110 * S, wall0 + S / 2), "time already spent counts");
        assertEquals(0, p.waitNanos(110 * S, wall0 + 2 * S), "late: no wait, no catching up by skipping");
        assertEquals(0, p.waitNanos(90 * S, wall0), "an event out of order goes at once");
    }

    @Test
    void speedValues() {
        assertEquals(OptionalDouble.empty(), ReplayConfig.parseSpeed("max"));
        assertEquals(OptionalDouble.of(10), ReplayConfig.parseSpeed("10"));
        assertEquals(OptionalDouble.of(2.5), ReplayConfig.parseSpeed("2.5x"));
        assertThrows(IllegalArgumentException.class, () -> ReplayConfig.parseSpeed("fast"));
        assertThrows(IllegalArgumentException.class, () -> new ReplayConfig(java.nio.file.Path.of("x"),
                OptionalDouble.of(0), java.util.Map.of()));
    }
}
