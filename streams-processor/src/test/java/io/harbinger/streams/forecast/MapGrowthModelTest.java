package io.harbinger.streams.forecast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.OptionalLong;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;

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

    /** What the model must say at the end of a shape: regime, credibility, and the ETA of 1M in minutes (or none). */
    record Expect(MapGrowthModel.Regime regime, boolean credible, Double etaMin, double etaTolMin) {
        static Expect eta(MapGrowthModel.Regime r, double min, double tol) {
            return new Expect(r, true, min, tol);
        }

        static Expect noEta(MapGrowthModel.Regime r, boolean credible) {
            return new Expect(r, credible, null, 0);
        }
    }

    static Stream<Arguments> shapes() {
        MapGrowthModel.Regime LINEAR = MapGrowthModel.Regime.LINEAR, DAMPED = MapGrowthModel.Regime.DAMPED,
                ACCEL = MapGrowthModel.Regime.ACCELERATING, WARM = MapGrowthModel.Regime.WARMING_UP,
                PURGING = MapGrowthModel.Regime.PURGING, SPIKE = MapGrowthModel.Regime.SPIKE;
        return Stream.of(
                // name, count(t min), sampling ms, noise sd, minutes fed, expectation at the end
                Arguments.of("linear leak 10k/min", (DoubleUnaryOperator) t -> 100_000 + 10_000 * t, 10_000, 2_000.0, 40.0,
                        Expect.eta(LINEAR, 50 - 2 * 2_000 / 10_000.0, 1.5)),
                Arguments.of("linear leak, 60 s sampling", (DoubleUnaryOperator) t -> 100_000 + 10_000 * t, 60_000, 2_000.0, 40.0,
                        Expect.eta(LINEAR, 50, 2)),
                Arguments.of("young map: not yet credible", (DoubleUnaryOperator) t -> 50_000 * t, 10_000, 0.0, 12.0,
                        Expect.noEta(WARM, false)),
                Arguments.of("warm-up levelling off at 600k", (DoubleUnaryOperator) t -> 600_000 * (1 - Math.exp(-t / 8)), 10_000,
                        3_000.0, 40.0, Expect.noEta(null, true)),
                Arguments.of("warm-up still decelerating toward 900k", (DoubleUnaryOperator) t -> 900_000 * (1 - Math.exp(-t / 15)),
                        10_000, 2_000.0, 30.0, Expect.noEta(DAMPED, true)),
                Arguments.of("exponential leak, doubling every 30 min",
                        (DoubleUnaryOperator) t -> 100_000 * Math.pow(2, t / 30), 10_000, 1_000.0, 60.0,
                        // 400k now: 1M at 30 * log2(2.5) = 39.7 min ahead (a linear trend would say ~65)
                        Expect.eta(ACCEL, 39.7, 4)),
                // a kink reads as acceleration at first: warned early rather than late (the line crosses in 55)
                Arguments.of("late leak, 15 min after onset", (DoubleUnaryOperator) t -> t < 60 ? 300_000 : 300_000 + 10_000 * (t - 60),
                        10_000, 2_000.0, 75.0, Expect.eta(null, 40, 15)),
                Arguments.of("late leak, 40 min after onset", (DoubleUnaryOperator) t -> t < 60 ? 300_000 : 300_000 + 10_000 * (t - 60),
                        10_000, 2_000.0, 100.0, Expect.eta(null, 30, 6)),
                Arguments.of("noisy plateau", (DoubleUnaryOperator) t -> 500_000, 10_000, 20_000.0, 90.0,
                        Expect.noEta(LINEAR, true)),
                Arguments.of("staircase: +100k every 10 min", (DoubleUnaryOperator) t -> 200_000 + 100_000 * Math.floor(t / 10),
                        10_000, 1_000.0, 55.0, Expect.eta(LINEAR, 25, 5)), // the step to 1M comes at 80 min
                Arguments.of("sawtooth after two purges, mid-ramp", (DoubleUnaryOperator) t -> 30_000 * (t % 25), 10_000, 2_000.0, 72.0,
                        Expect.noEta(PURGING, false)),
                Arguments.of("on top of a spike", (DoubleUnaryOperator) t -> t >= 60 && t < 66 ? 750_000 : 400_000, 10_000, 3_000.0,
                        64.0, Expect.noEta(SPIKE, false)),
                Arguments.of("25 min after a spike", (DoubleUnaryOperator) t -> t >= 60 && t < 66 ? 750_000 : 400_000, 10_000, 3_000.0,
                        91.0, Expect.noEta(null, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shapeTable(String name, DoubleUnaryOperator count, long stepMs, double noiseSd, double minutes, Expect expect) {
        Random rnd = new Random(42);
        MapGrowthModel m = feed(new MapGrowthModel(), stepMs, minutes, t -> count.applyAsDouble(t) + rnd.nextGaussian() * noiseSd);
        String state = name + ": regime " + m.regime() + " level " + Math.round(m.level()) + " trend "
                + Math.round(m.trendPerMin()) + " phi " + m.dampingPerMin() + " sd " + Math.round(m.residualSd());
        if (expect.regime() != null) {
            assertEquals(expect.regime(), m.regime(), state);
        }
        assertEquals(expect.credible(), m.credible(), state);
        OptionalLong eta = m.etaMs(1_000_000);
        if (expect.etaMin() == null) {
            assertTrue(eta.isEmpty(), state + ": expected no crossing, got one in "
                    + (eta.isPresent() ? (eta.getAsLong() - m.tsMs()) / 60_000.0 : 0) + " min");
        } else {
            assertTrue(eta.isPresent(), state + ": expected a crossing");
            assertEquals(expect.etaMin(), (eta.getAsLong() - m.tsMs()) / 60_000.0, expect.etaTolMin(), state);
        }
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
