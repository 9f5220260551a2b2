package io.harbinger.streams.forecast;

import io.harbinger.schema.GrowthForecast;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallLatencyWindow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdEtaTest {

    static final long NOW = 1_767_225_600_000L;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // case,                         level,   trend, damping, credible, threshold, expected minutes (-1 = empty)
            "'linear 10 min away',          900000,  10000, 1.0,  true,  1000000, 10",
            "'linear 100 min away',         0,       10000, 1.0,  true,  1000000, 100",
            "'already over',                1000001, 0,     1.0,  false, 1000000, 0",
            "'exactly at threshold',        1000000, -5,    1.0,  true,  1000000, 0",
            "'not credible',                900000,  10000, 1.0,  false, 1000000, -1",
            "'shrinking',                   900000,  -100,  1.0,  true,  1000000, -1",
            "'flat',                        900000,  0,     1.0,  true,  1000000, -1",
            "'damped asymptote below',      900000,  10000, 0.9,  true,  1000000, -1",   // asymptote 990000
            "'damped asymptote above',      900000,  10000, 0.95, true,  1000000, 15",   // asymptote 1090000
            "'accelerating',                900000,  5000,  1.05, true,  1000000, 14",   // 5000*1.05*(1.05^h-1)/0.05
            "'beyond max horizon',          0,       0.001, 1.0,  true,  1000000, -1",
            "'bad damping read as linear',  900000,  10000, NaN,  true,  1000000, 10",
    })
    void etaTable(String name, double level, double trend, double damping, boolean credible, double threshold,
                  long expectedMin) {
        OptionalLong eta = ThresholdEta.etaMs(NOW, level, trend, damping, credible, threshold);
        if (expectedMin < 0) {
            assertTrue(eta.isEmpty(), name + ": expected no crossing, got " + eta);
        } else {
            assertTrue(eta.isPresent(), name + ": expected a crossing");
            assertEquals(expectedMin, Math.round((eta.getAsLong() - NOW) / 60_000.0), name);
        }
    }

    @Test
    void etaIsWhereTheForecastReachesTheThreshold() {
        for (double phi : new double[] {0.99, 1.0, 1.02}) {
            OptionalLong eta = ThresholdEta.etaMs(NOW, 500_000, 8_000, phi, true, 1_000_000);
            double minutes = (eta.orElseThrow() - NOW) / 60_000.0;
            assertEquals(1_000_000, ThresholdEta.forecast(500_000, 8_000, phi, minutes), 1.0, "phi " + phi);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // case,                          level,  trend, credible, residualSd, expected minutes (-1 = empty)
            "'noise brings the crossing in', 900000, 10000, true,  20000, 6",   // 900k + 10k h + 2 x 20k = 1M
            "'within two sd: crossing now',  970000, 0,     true,  20000, 0",
            "'noise ignored when not credible', 970000, 10000, false, 20000, -1",
            "'NaN sd reads as none',         900000, 10000, true,  NaN,   10",
    })
    void noiseBand(String name, double level, double trend, boolean credible, double sd, long expectedMin) {
        OptionalLong eta = ThresholdEta.etaMs(NOW, level, trend, 1.0, credible, sd, 1_000_000);
        if (expectedMin < 0) {
            assertTrue(eta.isEmpty(), name + ": expected no crossing, got " + eta);
        } else {
            assertEquals(expectedMin, Math.round((eta.orElseThrow() - NOW) / 60_000.0), name);
        }
    }

    @Test
    void readsMapTrendFields() {
        MapTrend trend = MapTrend.newBuilder().setHost("h").setPid(1).setMapAddr(2).setTsMs(NOW).setCount(900_000)
                .setLoadFactor(0).setOverflowRatio(0).setLevel(900_000).setTrendPerMin(10_000)
                .setForecast(GrowthForecast.newBuilder().setModel("m").setCredible(true).setDampingPerMin(1.0)
                        .setResidualSd(0).build())
                .build();
        assertEquals(NOW + 600_000, ThresholdEta.etaMs(trend, 1_000_000).getAsLong());
        trend.getForecast().setCredible(false);
        assertTrue(ThresholdEta.etaMs(trend, 1_000_000).isEmpty());
        trend.setForecast(null); // no forecast block: plain linear trend
        assertEquals(NOW + 600_000, ThresholdEta.etaMs(trend, 1_000_000).getAsLong());
    }

    @Test
    void readsLatencyWindowFields() {
        SyscallLatencyWindow w = SyscallLatencyWindow.newBuilder().setHost("h").setComm("c").setSyscall("read")
                .setWindowStartMs(NOW - 60_000).setWindowEndMs(NOW).setCount(1).setErrors(0).setP50Ns(1)
                .setP99Ns(1).setP999Ns(1).setMaxNs(1).build();
        assertTrue(ThresholdEta.etaMs(w, 1e6).isEmpty(), "no trend yet");
        w.setP99LevelNs(500_000.0);
        w.setP99TrendPerMin(50_000.0);
        assertEquals(NOW + 600_000, ThresholdEta.etaMs(w, 1e6).getAsLong());
    }
}
