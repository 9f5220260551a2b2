package io.harbinger.streams.maps;

import io.harbinger.schema.GrowthForecast;
import io.harbinger.streams.forecast.MapGrowthModel;
import io.harbinger.streams.forecast.ThresholdEta;

import java.util.OptionalLong;

/**
 * The growth model's clock ({@code harbinger.gomap.forecast.time.scale}): the model sees event time multiplied by
 * {@code scale}, so everything it measures in minutes (20 minutes of warm-up, 45-minute fit windows, a 1-minute
 * grid) passes {@code scale} times faster. Its forecast is converted back to real minutes here, so published trends,
 * dampings and ETAs stay in real units. Scale 1 (the default) is the identity.
 */
final class ModelClock {
    private final double scale;

    ModelClock(double scale) {
        if (!(scale >= 1)) {
            throw new IllegalArgumentException("time scale must be >= 1, got " + scale);
        }
        this.scale = scale;
    }

    /** Event time as the model sees it. */
    long toModelMs(long tsMs) {
        return scale == 1 ? tsMs : Math.round(tsMs * scale);
    }

    /** The model's forecast as of its newest snapshot, in real units. */
    record Forecast(long tsMs, double level, double trendPerMin, GrowthForecast forecast, OptionalLong etaMs) {}

    Forecast forecast(MapGrowthModel m, double threshold) {
        long tsMs = scale == 1 ? m.tsMs() : Math.round(m.tsMs() / scale);
        GrowthForecast f = m.forecast();
        double trend = m.trendPerMin();
        double phi = m.dampingPerMin();
        if (scale != 1) {
            // model: L + T phi (phi^h - 1) / (phi - 1) with h model minutes = scale * real minutes;
            // real:  L + T' P (P^r - 1) / (P - 1) with P = phi^scale: equal for every r when T' is as below
            double p = Math.pow(phi, scale);
            trend = Math.abs(phi - 1) < 1e-12 ? trend * scale : trend * phi * (p - 1) / ((phi - 1) * p);
            phi = p;
            f = GrowthForecast.newBuilder(f).setDampingPerMin(phi).build();
        }
        OptionalLong eta = ThresholdEta.etaMs(tsMs, m.level(), trend, phi, f.getCredible(), f.getResidualSd(),
                threshold);
        return new Forecast(tsMs, m.level(), trend, f, eta);
    }
}
