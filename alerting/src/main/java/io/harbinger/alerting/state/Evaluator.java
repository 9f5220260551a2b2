package io.harbinger.alerting.state;

import io.harbinger.alerting.rule.Rule;
import io.harbinger.alerting.rule.Subject;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.streams.forecast.ThresholdEta;

import java.util.OptionalLong;

/**
 * Turns the latest trend record of a subject into an {@link Evaluation} for one rule. The forecast comes from the
 * forecaster's pure {@link ThresholdEta} (docs/forecast.md), so alerting and the processor agree on what "crosses"
 * means:
 * <ul>
 *   <li>gomap.count: value = count, ETA = {@code ThresholdEta.etaMs(trend, threshold)};</li>
 *   <li>gomap.load_factor: the count forecast against threshold * 8 * 2^B (the map's current size; Go grows it at
 *       6.5, so thresholds above that are reached only if growth stalls);</li>
 *   <li>gomap.overflow_ratio: linear from overflow_ratio_rate_per_min, no smoothing;</li>
 *   <li>syscall.p99_ns: value = the window's p99_ns, ETA = {@code ThresholdEta.etaMs(window, threshold)} (from the
 *       smoothed P99 level and trend);</li>
 *   <li>syscall.error_rate: errors / count of the window, no forecast (fires CRITICAL when over).</li>
 * </ul>
 * Records that cannot be evaluated raise {@link PoisonRecordException}.
 */
public final class Evaluator {
    private Evaluator() {}

    public static Subject subject(MapTrend t) {
        if (t.getHost() == null || t.getHost().isEmpty()) {
            throw new PoisonRecordException("map trend without host");
        }
        return new Subject.GoMap(t.getHost(), t.getPid(), t.getMapAddr(), t.getComm());
    }

    public static Subject subject(SyscallLatencyWindow w) {
        if (w.getHost() == null || w.getHost().isEmpty() || w.getComm() == null || w.getSyscall() == null) {
            throw new PoisonRecordException("latency window without host, comm or syscall");
        }
        return new Subject.Latency(w.getHost(), w.getComm(), w.getSyscall());
    }

    /** Event time a map trend is evaluated at. */
    public static long eventTime(MapTrend t) {
        return t.getTsMs();
    }

    /** Event time a latency window is evaluated at: its end, when it closed. */
    public static long eventTime(SyscallLatencyWindow w) {
        return w.getWindowEndMs();
    }

    public static Evaluation evaluate(Rule rule, MapTrend t) {
        check(t.getCount() >= 0, "negative count " + t.getCount());
        check(t.getLog2Buckets() >= 0 && t.getLog2Buckets() < 63, "log2_buckets out of range: " + t.getLog2Buckets());
        check(Double.isFinite(t.getLevel()) && Double.isFinite(t.getTrendPerMin()), "level or trend is not finite");
        double thr = rule.threshold();
        return switch (rule.metric()) {
            case GOMAP_COUNT -> evaluation(t.getCount(), ThresholdEta.etaMs(t, thr));
            case GOMAP_LOAD_FACTOR -> {
                double capacity = 8.0 * Math.pow(2, t.getLog2Buckets());
                yield evaluation(t.getLoadFactor(), ThresholdEta.etaMs(t, thr * capacity));
            }
            case GOMAP_OVERFLOW_RATIO -> {
                boolean credible = t.getForecast() == null || t.getForecast().getCredible();
                yield evaluation(t.getOverflowRatio(), ThresholdEta.etaMs(t.getTsMs(), t.getOverflowRatio(),
                        t.getOverflowRatioRatePerMin(), 1.0, credible, thr));
            }
            default -> throw new IllegalArgumentException(rule.metric().id() + " does not apply to a Go map");
        };
    }

    public static Evaluation evaluate(Rule rule, SyscallLatencyWindow w) {
        check(w.getCount() >= 0 && w.getErrors() >= 0, "negative count or errors");
        check(w.getErrors() <= w.getCount(), "more errors (" + w.getErrors() + ") than calls (" + w.getCount() + ")");
        check(w.getWindowEndMs() >= w.getWindowStartMs(), "window ends before it starts");
        return switch (rule.metric()) {
            case SYSCALL_P99_NS -> evaluation(w.getP99Ns(), ThresholdEta.etaMs(w, rule.threshold()));
            case SYSCALL_ERROR_RATE -> new Evaluation(w.getCount() == 0 ? 0.0 : (double) w.getErrors() / w.getCount(),
                    null);
            default -> throw new IllegalArgumentException(rule.metric().id() + " does not apply to a latency series");
        };
    }

    private static Evaluation evaluation(double value, OptionalLong eta) {
        try {
            return new Evaluation(value, eta.isPresent() ? eta.getAsLong() : null);
        } catch (IllegalArgumentException e) {
            throw new PoisonRecordException(e.getMessage());
        }
    }

    private static void check(boolean ok, String reason) {
        if (!ok) {
            throw new PoisonRecordException(reason);
        }
    }
}
