package io.harbinger.streams.maps;

import io.harbinger.streams.forecast.MapGrowthModel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelClockTest {
    private static final long T0 = 1_767_225_600_000L;

    @Test
    void scaleOneIsTheModelItself() {
        MapGrowthModel m = new MapGrowthModel();
        ModelClock clock = new ModelClock(1);
        for (int s = 0; s <= 40 * 60; s += 5) {
            m.observe(clock.toModelMs(T0 + s * 1000L), 1000 + 50.0 * s);
            ModelClock.Forecast f = clock.forecast(m, 1_000_000);
            assertEquals(m.etaMs(1_000_000), f.etaMs());
            assertEquals(m.trendPerMin(), f.trendPerMin(), 1e-9);
            assertEquals(m.dampingPerMin(), f.forecast().getDampingPerMin(), 1e-12);
        }
    }

    /** A steady leak of 10,000 entries/s (the demo's): credible within about a minute at scale 20, ETA on time. */
    @Test
    void scaledClockWarnsWithinAMinuteAndForecastsInRealTime() {
        MapGrowthModel m = new MapGrowthModel();
        ModelClock clock = new ModelClock(20);
        double rate = 10_000;        // per second
        double threshold = 1_500_000; // crossed at 150 s
        long firstCredibleMs = -1;
        for (int ms = 0; ms <= 140_000; ms += 1000) {
            m.observe(clock.toModelMs(T0 + ms), rate * ms / 1000.0);
            ModelClock.Forecast f = clock.forecast(m, threshold);
            if (f.forecast().getCredible() && firstCredibleMs < 0) {
                firstCredibleMs = ms;
            }
            if (firstCredibleMs >= 0 && ms > firstCredibleMs + 10_000) {
                assertTrue(f.etaMs().isPresent(), "ETA at " + ms);
                assertEquals(T0 + 150_000, f.etaMs().getAsLong(), 3_000, "ETA at " + ms);
                assertEquals(rate * 60, f.trendPerMin(), rate * 60 * 0.02);
            }
        }
        assertTrue(firstCredibleMs > 0 && firstCredibleMs <= 75_000, "first credible at " + firstCredibleMs);
        assertFalse(new ModelClock(20).toModelMs(T0) == T0);
    }
}
