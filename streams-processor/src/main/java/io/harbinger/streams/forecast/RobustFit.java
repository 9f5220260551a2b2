package io.harbinger.streams.forecast;

/**
 * Robust line fitting on short series: Theil–Sen slope (median of pairwise slopes) and median intercept.
 * Up to ~29 % of arbitrarily bad points (spikes, a stray sample) do not move the fit, unlike least squares.
 * Callers pass their own scratch arrays so a fit allocates nothing.
 */
final class RobustFit {

    private RobustFit() {
    }

    /** Median of {@code a[from..to)}; reorders that range in place (quickselect). NaN when empty. */
    static double median(double[] a, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return Double.NaN;
        }
        int mid = from + n / 2;
        double upper = select(a, from, to - 1, mid);
        if (n % 2 == 1) {
            return upper;
        }
        double lower = a[from];
        for (int i = from + 1; i < mid; i++) {
            lower = Math.max(lower, a[i]); // after select, a[from..mid) holds the smaller half
        }
        return 0.5 * (lower + upper);
    }

    /** Hoare's quickselect: the k-th smallest of a[lo..hi], leaving smaller values before k and larger after. */
    private static double select(double[] a, int lo, int hi, int k) {
        while (hi > lo) {
            // median of three as pivot: sorted or nearly sorted input (slopes of a steady trend) stays linear
            int m = (lo + hi) >>> 1;
            if (a[m] < a[lo]) swap(a, m, lo);
            if (a[hi] < a[lo]) swap(a, hi, lo);
            if (a[hi] < a[m]) swap(a, hi, m);
            double pivot = a[m];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
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

    /**
     * Theil's "incomplete" slope: the median of the n/2 slopes between each point of the first half and its
     * counterpart in the second half. O(n) instead of O(n^2), nearly as robust; used to compare candidate models.
     */
    static double halfPairSlope(double[] t, double[] y, int from, int to, double[] scratch) {
        int half = (to - from) / 2;
        int k = 0;
        for (int i = from; i < from + half; i++) {
            int j = i + half + ((to - from) % 2);
            double dt = t[j] - t[i];
            if (dt != 0) {
                scratch[k++] = (y[j] - y[i]) / dt;
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
