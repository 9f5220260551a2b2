package io.harbinger.streams.forecast;

import io.harbinger.schema.GrowthForecast;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallLatencyWindow;

import java.util.OptionalLong;

/**
 * When does a trend cross a threshold? A pure function of the fields published on the trend topics, so the
 * alerting service can evaluate any threshold without the model's state.
 *
 * <p>The forecast is a damped (or, for {@code damping > 1}, accelerating) trend, in minutes {@code h} after
 * {@code ts_ms}:
 * <pre>
 *   F(h) = level + trend * phi * (phi^h - 1) / (phi - 1)      (phi = damping_per_min; phi = 1: level + trend * h)
 * </pre>
 * i.e. Holt's damped-trend forecast {@code level + trend * (phi + phi^2 + ... + phi^h)} made continuous in h.
 * With {@code phi < 1} the forecast levels off at {@code level + trend * phi / (1 - phi)}; a threshold above that
 * asymptote is never crossed.
 *
 * <p>The count is noisy around that forecast ({@code residual_sd} per snapshot), so the raw series first touches
 * the threshold before the forecast does: a credible forecast is taken to cross when
 * {@code F(h) + NOISE_Z * residual_sd >= threshold}.
 *
 * <p>Rules: a level already at or over the threshold gives {@code ts_ms} (crossed now); a forecast that is not
 * credible, a trend that is not growing, or a crossing further than {@link #MAX_HORIZON_MS} away gives empty.
 */
public final class ThresholdEta {

    /** Crossings further away than this are not forecast (empty): a week out, no model is worth the number. */
    public static final long MAX_HORIZON_MS = 7L * 24 * 3600 * 1000;

    /** Standard deviations of snapshot noise by which the raw count leads the forecast to the threshold. */
    public static final double NOISE_Z = 2.0;

    static final double MIN_DAMPING = 0.5;
    static final double MAX_DAMPING = 1.2;
    private static final double MS_PER_MIN = 60_000.0;

    private ThresholdEta() {
    }

    /**
     * Forecast event time (epoch ms) at which the trend reaches {@code threshold}, or empty when not forecast.
     *
     * @param tsMs          event time the level refers to
     * @param level         smoothed value at {@code tsMs}
     * @param trendPerMin   growth per minute at {@code tsMs}
     * @param dampingPerMin per-minute factor applied to the trend (1 = linear, &lt; 1 levels off, &gt; 1 accelerates);
     *                      NaN or non-positive is read as 1, and it is clamped to [0.5, 1.2]
     * @param credible      whether the model vouches for the trend; false gives empty unless already crossed
     * @param threshold     the value to reach (crossing upwards)
     */
    public static OptionalLong etaMs(long tsMs, double level, double trendPerMin, double dampingPerMin,
                                     boolean credible, double threshold) {
        return etaMs(tsMs, level, trendPerMin, dampingPerMin, credible, 0.0, threshold);
    }

    /**
     * As {@link #etaMs(long, double, double, double, boolean, double)}, with the snapshot noise: a credible
     * forecast crosses when it comes within {@link #NOISE_Z} × {@code residualSd} of the threshold (a level that
     * close already gives {@code tsMs}). NaN or negative residualSd reads as 0.
     */
    public static OptionalLong etaMs(long tsMs, double level, double trendPerMin, double dampingPerMin,
                                     boolean credible, double residualSd, double threshold) {
        if (!Double.isFinite(level) || !Double.isFinite(threshold)) {
            return OptionalLong.empty();
        }
        if (level >= threshold) {
            return OptionalLong.of(tsMs);
        }
        if (!credible) {
            return OptionalLong.empty();
        }
        double effective = threshold - (residualSd > 0 && Double.isFinite(residualSd) ? NOISE_Z * residualSd : 0);
        if (level >= effective) {
            return OptionalLong.of(tsMs);
        }
        if (!(trendPerMin > 0) || !Double.isFinite(trendPerMin)) {
            return OptionalLong.empty();
        }
        double minutes = minutesToGrow(effective - level, trendPerMin, dampingPerMin);
        if (!(minutes >= 0) || minutes * MS_PER_MIN > MAX_HORIZON_MS) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(tsMs + (long) Math.ceil(minutes * MS_PER_MIN));
    }

    /** ETA of a Go map's count crossing {@code threshold}, from its published trend. */
    public static OptionalLong etaMs(MapTrend trend, double threshold) {
        GrowthForecast f = trend.getForecast();
        boolean credible = f == null || f.getCredible();
        double damping = f == null ? 1.0 : f.getDampingPerMin();
        double sd = f == null ? 0.0 : f.getResidualSd();
        return etaMs(trend.getTsMs(), trend.getLevel(), trend.getTrendPerMin(), damping, credible, sd, threshold);
    }

    /**
     * ETA of a latency key's P99 crossing {@code thresholdNs}, from the window's P99 trend (linear). The level
     * refers to the window's end; windows without a trend (model still warming up) give empty.
     */
    public static OptionalLong etaMs(SyscallLatencyWindow window, double thresholdNs) {
        Double level = window.getP99LevelNs();
        Double trend = window.getP99TrendPerMin();
        if (level == null || trend == null) {
            return OptionalLong.empty();
        }
        return etaMs(window.getWindowEndMs(), level, trend, 1.0, true, thresholdNs);
    }

    /** The forecast value {@code minutes} after the level's time (see the class comment for the formula). */
    public static double forecast(double level, double trendPerMin, double dampingPerMin, double minutes) {
        return level + cumulativeGrowth(trendPerMin, clampDamping(dampingPerMin), minutes);
    }

    /** Growth accumulated over {@code minutes}: trend * (phi + ... + phi^h), continuous in h. */
    static double cumulativeGrowth(double trendPerMin, double phi, double minutes) {
        if (Math.abs(phi - 1.0) < 1e-9) {
            return trendPerMin * minutes;
        }
        return trendPerMin * phi * (Math.pow(phi, minutes) - 1.0) / (phi - 1.0);
    }

    /** Minutes until the cumulative growth reaches {@code gap} (&gt; 0), or NaN when it never does. */
    static double minutesToGrow(double gap, double trendPerMin, double dampingPerMin) {
        double phi = clampDamping(dampingPerMin);
        if (Math.abs(phi - 1.0) < 1e-9) {
            return gap / trendPerMin;
        }
        double x = 1.0 + gap * (phi - 1.0) / (trendPerMin * phi);
        if (!(x > 0)) {
            return Double.NaN; // damped: the asymptote stays below the threshold
        }
        return Math.log(x) / Math.log(phi);
    }

    static double clampDamping(double phi) {
        if (!(phi > 0) || !Double.isFinite(phi)) {
            return 1.0;
        }
        return Math.max(MIN_DAMPING, Math.min(MAX_DAMPING, phi));
    }
}
