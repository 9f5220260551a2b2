package io.harbinger.streams.forecast;

import java.util.Arrays;

/**
 * Robust line fitting on short series: Theil–Sen slope (median of pairwise slopes) and median intercept.
 * Up to ~29 % of arbitrarily bad points (spikes, a stray sample) do not move the fit, unlike least squares.
 * Callers pass their own scratch arrays so a fit allocates nothing.
 */
final class RobustFit {

    private RobustFit() {
    }

    /** Median of {@code a[from..to)}; sorts that range in place. NaN when empty. */
    static double median(double[] a, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return Double.NaN;
        }
        Arrays.sort(a, from, to);
        int mid = from + n / 2;
        return (n % 2 == 1) ? a[mid] : 0.5 * (a[mid - 1] + a[mid]);
    }

    /**
     * Theil–Sen slope of points {@code (t[i], y[i])} for i in [from, to); pairs with equal t are skipped.
     * {@code scratch} must hold n*(n-1)/2 values. NaN when fewer than two distinct times.
     */
    static double theilSenSlope(double[] t, double[] y, int from, int to, double[] scratch) {
        int k = 0;
        for (int i = from; i < to; i++) {
            for (int j = i + 1; j < to; j++) {
                double dt = t[j] - t[i];
                if (dt != 0) {
                    scratch[k++] = (y[j] - y[i]) / dt;
                }
            }
        }
        return median(scratch, 0, k);
    }

    /** Median of {@code y - slope * (t - t0)} over [from, to): the robust value of the line at {@code t0}. */
    static double interceptAt(double[] t, double[] y, int from, int to, double slope, double t0, double[] scratch) {
        int k = 0;
        for (int i = from; i < to; i++) {
            scratch[k++] = y[i] - slope * (t[i] - t0);
        }
        return median(scratch, 0, k);
    }

    /** Robust standard deviation (1.4826 × MAD) of residuals around the line {@code level + slope * (t - t0)}. */
    static double residualSd(double[] t, double[] y, int from, int to, double slope, double level, double t0,
                             double[] scratch) {
        int k = 0;
        for (int i = from; i < to; i++) {
            scratch[k++] = Math.abs(y[i] - (level + slope * (t[i] - t0)));
        }
        return 1.4826 * median(scratch, 0, k);
    }
}
