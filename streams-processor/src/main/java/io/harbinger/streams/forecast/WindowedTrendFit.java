package io.harbinger.streams.forecast;

/**
 * The window and curve search behind {@link MapGrowthModel}'s refit: which recent window, and which trend shape,
 * explain a map's last minutes.
 *
 * <p>Points are grid slots, time in minutes relative to now (all &lt;= 0), oldest first, filled by the caller into
 * {@link #ts()} / {@link #ys()}. Windows are tried from the longest down; in each, a robust linear trend and
 * damped/accelerating curves {@code y = level + trend * (e^{kt} - 1) / k}, a curve kept only when it cuts the
 * linear error clearly. A window is accepted when its last {@link #RECENT_MIN} minutes sit on its fit; when they
 * do not (a kink: a warm-up levelling off, a leak starting, a spike) it straddles a change and a shorter one is
 * tried.
 *
 * <p>One instance per thread ({@link #forThread(int)}): its arrays are scratch, so a fit allocates nothing.
 */
final class WindowedTrendFit {

    /** Tuning of the search (from {@link MapGrowthModel.Config}). */
    record Params(double longestWindowMin, double minCurveSpanMin, double dampedImprovement,
                  double acceleratingImprovement, double recentSigmas) {
    }

    /**
     * The fit of the accepted window (or, when none was accepted, of the last one tried).
     *
     * @param accepted     whether some window's recent minutes sat on its fit
     * @param windowMin    the accepted window (-1 when none)
     * @param shorter      whether it is shorter than the longest window tried
     * @param longestTrend the trend the longest window tried found
     * @param level        value of the fit now (t = 0)
     * @param trend        slope of the fit now, per minute (continuous form)
     * @param k            curve rate per minute: 0 linear, &lt; 0 damped, &gt; 0 accelerating
     * @param sd           robust sd (1.4826 MAD) of the window's residuals
     * @param recentSd     the same over its last {@link #BAND_WINDOW_MIN} minutes
     * @param recentSlope  Theil–Sen slope of its last {@link #RECENT_MIN} minutes (NaN when they sat off the fit)
     */
    record Result(boolean accepted, double windowMin, boolean shorter, double longestTrend, double level,
                  double trend, double k, double sd, double recentSd, double recentSlope) {
    }

    /** Windows after the longest one, in minutes. */
    static final double[] SHORTER_WINDOWS_MIN = {30, 20, 12, 8};
    /** Minutes at the end of a window that must sit on its fit. */
    static final double RECENT_MIN = 6;
    /** Minutes of recent slots whose spread gives {@link Result#recentSd()}. */
    static final double BAND_WINDOW_MIN = 12;
    /** Continuous curve rates k (phi = e^k per minute) tried besides the line. */
    static final double[] DAMPING_RATES = {
            -0.25, -0.2, -0.15, -0.12, -0.1, -0.08, -0.065, -0.05, -0.04, -0.03, -0.02, -0.01,
            0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.05};
    private static final double STEEPEST = DAMPING_RATES[DAMPING_RATES.length - 1];

    private static final ThreadLocal<WindowedTrendFit> PER_THREAD = ThreadLocal.withInitial(() -> new WindowedTrendFit(0));

    private final double[] ts;
    private final double[] ys;
    private final double[] g;
    private final double[] scratch;

    // the current candidate and the chosen fit of the current window
    private double curveLevel;
    private double curveTrend;
    private double curveMad;
    private double chosenLevel;
    private double chosenTrend;
    private double chosenK;
    private double chosenMad;
    private double recentSlope;

    private WindowedTrendFit(int capacity) {
        ts = new double[capacity];
        ys = new double[capacity];
        g = new double[capacity];
        scratch = new double[Math.max(capacity, capacity * (capacity - 1) / 2)];
    }

    /** This thread's instance, holding at least {@code capacity} points. */
    static WindowedTrendFit forThread(int capacity) {
        WindowedTrendFit f = PER_THREAD.get();
        if (f.ts.length < capacity) {
            f = new WindowedTrendFit(capacity);
            PER_THREAD.set(f);
        }
        return f;
    }

    double[] ts() {
        return ts;
    }

    double[] ys() {
        return ys;
    }

    /** Fits the n points (n &gt;= 3) in {@link #ts()} / {@link #ys()}. */
    Result fit(int n, Params p) {
        boolean accepted = false;
        double longestTrend = Double.NaN;
        double acceptedWindow = -1;
        boolean shorter = false;
        for (int i = 0; i <= SHORTER_WINDOWS_MIN.length; i++) {
            double w = i == 0 ? p.longestWindowMin() : SHORTER_WINDOWS_MIN[i - 1];
            if (i > 0 && w >= p.longestWindowMin()) {
                continue;
            }
            int start = 0;
            while (start < n && ts[start] < -w) {
                start++;
            }
            if (i > 0 && start == 0) {
                continue; // the segment is shorter than this window too: same points as the last one tried
            }
            if (n - start < 3) {
                break;
            }
            fitWindow(start, n, w >= p.minCurveSpanMin(), p);
            if (Double.isNaN(longestTrend)) {
                longestTrend = chosenTrend;
            }
            if (recentOnFit(start, n, p.recentSigmas())) {
                accepted = true;
                acceptedWindow = w;
                shorter = i > 0;
                break;
            }
        }
        double sd = 1.4826 * chosenMad;
        return new Result(accepted, acceptedWindow, shorter, longestTrend, chosenLevel, chosenTrend, chosenK, sd,
                recentResidualSd(n, sd), recentSlope);
    }

    /**
     * Best of linear and (when {@code curves}) damped/accelerating fits on points [start, n). Candidates are
     * compared with the cheap half-pair slope; the winner is refitted with the full Theil-Sen slope.
     */
    private void fitWindow(int start, int n, boolean curves, Params p) {
        chosenK = 0;
        if (curves && -ts[start] >= p.minCurveSpanMin()) {
            double linearErr = fitCurve(start, n, 0, false);
            double bestErr = linearErr;
            for (double k : DAMPING_RATES) {
                double err = fitCurve(start, n, k, false);
                double needed = k < 0 ? p.dampedImprovement() : p.acceleratingImprovement();
                if (err < bestErr && err < (1 - needed) * linearErr && curveTrend > 0) {
                    bestErr = err;
                    chosenK = k;
                }
            }
        }
        fitCurve(start, n, chosenK, true);
        chosenLevel = curveLevel;
        chosenTrend = curveTrend;
        chosenMad = curveMad;
    }

    /**
     * Whether the last {@link #RECENT_MIN} minutes sit on the chosen fit: their median residual and their own
     * (Theil-Sen) slope against the fit's slope there, both within {@code sigmas} of what the window's own residual
     * spread allows. A staircase leak has a wide spread, so its flat stairs pass; a smooth ramp that has just
     * levelled off (or just taken off) does not.
     */
    private boolean recentOnFit(int start, int n, double sigmas) {
        if (chosenK == STEEPEST) {
            // the steepest acceleration tried fits best: no exponential but a kink (a leak that just started) in
            // the window; a shorter window after it fits the straight line it is
            return false;
        }
        int first = n;
        while (first > start && ts[first - 1] >= -RECENT_MIN) {
            first--;
        }
        int k = n - first;
        if (k < 3) {
            recentSlope = chosenTrend;
            return true;
        }
        for (int i = first; i < n; i++) {
            scratch[i - first] = ys[i] - (chosenLevel + chosenTrend * curve(chosenK, ts[i]));
        }
        double med = RobustFit.median(scratch, 0, k);
        double sd = Math.max(1.4826 * chosenMad, 0.001 * Math.abs(chosenLevel) + 1);
        if (Math.abs(med) > sigmas * sd) {
            recentSlope = Double.NaN;
            return false;
        }
        double slope = RobustFit.theilSenSlope(ts, ys, first, n, scratch);
        recentSlope = slope;
        double span = ts[n - 1] - ts[first];
        double fitSlope = chosenTrend * Math.exp(chosenK * ts[(first + n) / 2]); // the fit's slope mid-recent
        double slopeSe = sd * Math.sqrt(12.0 / (k * span * span));
        if (chosenK > 0 && slope < 0.5 * chosenTrend) {
            return false; // an accelerating forecast needs recent growth behind it (a spike's top has none)
        }
        return Math.abs(slope - fitSlope) <= sigmas * slopeSe + 0.25 * Math.abs(fitSlope);
    }

    /** 1.4826 × MAD of the chosen fit's residuals over its last BAND_WINDOW_MIN minutes ({@code fallback} if few). */
    private double recentResidualSd(int n, double fallback) {
        int k = 0;
        for (int i = n - 1; i >= 0 && ts[i] >= -BAND_WINDOW_MIN; i--) {
            scratch[k++] = Math.abs(ys[i] - (chosenLevel + chosenTrend * curve(chosenK, ts[i])));
        }
        return k < 3 ? fallback : 1.4826 * RobustFit.median(scratch, 0, k);
    }

    /**
     * Robust fit of {@code y = level + trend * (e^{k t} - 1) / k} on points [start, n): Theil-Sen ({@code full})
     * or half-pair slope on the transformed time. Sets curveLevel/curveTrend/curveMad; returns the mean absolute
     * residual.
     */
    private double fitCurve(int start, int n, double k, boolean full) {
        for (int i = start; i < n; i++) {
            g[i] = curve(k, ts[i]);
        }
        double slope = full ? RobustFit.theilSenSlope(g, ys, start, n, scratch)
                : RobustFit.halfPairSlope(g, ys, start, n, scratch);
        double level = RobustFit.interceptAt(g, ys, start, n, slope, 0.0, scratch);
        double sum = 0;
        int m = 0;
        for (int i = start; i < n; i++) {
            double r = Math.abs(ys[i] - (level + slope * g[i]));
            scratch[m++] = r;
            sum += r;
        }
        curveMad = RobustFit.median(scratch, 0, m);
        curveLevel = level;
        curveTrend = slope;
        return sum / m;
    }

    /** The curve's time transform: (e^{kt} - 1) / k, or t for k = 0. */
    private static double curve(double k, double t) {
        return k == 0 ? t : Math.expm1(k * t) / k;
    }
}
