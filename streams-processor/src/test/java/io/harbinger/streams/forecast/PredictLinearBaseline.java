package io.harbinger.streams.forecast;

import java.util.List;

/**
 * Prometheus's {@code predict_linear(x[30m], 1800) >= threshold for 5m}, once 10 minutes of data exist: a line
 * for line port of {@code baseline()} in shared/eval/eval_forecast.py (same 400-sample cap, same windows).
 */
final class PredictLinearBaseline {

    private PredictLinearBaseline() {
    }

    /** Event time at which the baseline alert fires, or null. {@code samples}: (ts_ms, count) in file order. */
    static Long firesAtMs(List<long[]> samples, double threshold, long horizonS) {
        final long windowMs = 1800_000, holdMs = 300_000, minSpanMs = 600_000;
        Long pend = null;
        for (int i = 0; i < samples.size(); i++) {
            long t = samples.get(i)[0];
            int from = Math.max(0, i - 400);
            // the window: samples[from..i] with t - tt < window
            double n = 0, sumT = 0, sumV = 0;
            long first = Long.MIN_VALUE, last = 0;
            for (int j = from; j <= i; j++) {
                long tt = samples.get(j)[0];
                if (t - tt < windowMs) {
                    if (first == Long.MIN_VALUE) {
                        first = tt;
                    }
                    last = tt;
                    n++;
                    sumT += tt;
                    sumV += samples.get(j)[1];
                }
            }
            if (n < 2 || last - first < minSpanMs) {
                continue;
            }
            double mt = sumT / n, mv = sumV / n, sxx = 0, sxy = 0;
            for (int j = from; j <= i; j++) {
                long tt = samples.get(j)[0];
                if (t - tt < windowMs) {
                    sxx += (tt - mt) * (tt - mt);
                    sxy += (tt - mt) * (samples.get(j)[1] - mv);
                }
            }
            if (sxx == 0) {
                continue;
            }
            double slope = sxy / sxx;
            double pred = mv + slope * (t - mt) + slope * horizonS * 1000;
            if (pred >= threshold) {
                if (pend == null) {
                    pend = t;
                }
                if (t - pend >= holdMs) {
                    return t;
                }
            } else {
                pend = null;
            }
        }
        return null;
    }
}
