package io.harbinger.streams.forecast;

import io.harbinger.schema.GrowthForecast;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Growth model of one Go map's element count, fed snapshots in event time.
 *
 * <p>Snapshots (irregular, possibly late by up to {@link Config#lateToleranceMs()}) are averaged into a regular
 * event-time grid ({@link Config#gridStepMs()}, one minute by default) kept in a fixed ring of
 * {@link Config#historySlots()} slots, so memory per map is constant. Each time a grid slot closes, the model
 * refits: a robust (Theil–Sen) trend on the current segment, where a purge (a large drop) starts a new segment.
 * The published forecast is {@code level}, {@code trendPerMin} and {@code dampingPerMin} at the latest snapshot's
 * time, read by {@link ThresholdEta}.
 *
 * <p>Not thread-safe; one instance per map, serialized into a state store with {@link #toBytes()}.
 */
public final class MapGrowthModel {

    /** Tuning knobs; {@link #defaults()} are what the evaluation in docs/forecast.md measured. */
    public record Config(
            long gridStepMs,        // width of one grid slot
            int historySlots,       // slots kept (history = gridStepMs * historySlots)
            long lateToleranceMs,   // snapshots older than the newest by more than this are dropped (counted)
            double minSpanMin,      // minutes of segment history before a forecast is credible
            double fitWindowMin,    // longest fit window (then 30, 20, 12, 8 min below it), within the segment
            double minCurveSpanMin, // minutes of data before a damped/accelerating trend is considered
            double dampedImprovement,      // a damped trend must cut the mean abs residual by this fraction
            double acceleratingImprovement, // same for an accelerating trend
            double purgeDropFraction, // a drop of more than this fraction of the level is a purge
            double purgeMemoryMin,  // a purge keeps forecasts below its peak non-credible this long
            double peakMargin,      // ... until the level is this fraction above the peak
            double recentSigmas,    // the last minutes of a fit window may sit this many sd off the fit
            double confirmRiseMin,  // a trend revised upwards by a shorter window must persist this long
            double excursionPersistMin // an upward excursion that neither reverts nor confirms is a level shift after this
    ) {
        public static Config defaults() {
            return new Config(60_000, 64, 120_000, 20, 45, 10, 0.15, 0.25, 0.2, 120, 0.1, 2.5, 12, 30);
        }
    }

    /** What the latest fit saw; named in {@code forecast.model}. */
    public enum Regime { NO_DATA, WARMING_UP, LINEAR, DAMPED, ACCELERATING, PURGING, SPIKE }

    /** Version 2: first released layout (version 1 was the pre-release layout of the first days, not read). */
    static final byte FORMAT_VERSION = 2;
    private static final int PEAKS = 3;
    private static final int FIXED_BYTES_MAX = 256; // everything but the history slots, with room to spare
    private static final String MODEL_PREFIX = "robust-trend/";

    private final Config config;
    private final float[] slotMean;   // NaN = no snapshot in that slot
    private final float[] slotOffset; // mean event time of those snapshots, ms after the slot's start
    private final short[] slotCount;  // snapshots averaged into the slot (capped)

    private long headBucket = Long.MIN_VALUE; // newest (open) slot's bucket number; MIN_VALUE = no data yet
    private long lastTsMs;
    private double lastCount;
    private long droppedLate;

    private long segmentStartBucket = Long.MIN_VALUE;
    private long risingSinceBucket = Long.MIN_VALUE; // first fit of an unbroken run of upward trend revisions
    private long excursionStartBucket = Long.MIN_VALUE; // an upward excursion not yet resolved (see trackExcursion)
    private double excursionBase;
    private double excursionPeak;
    private int purges;
    private final double[] peaks = new double[PEAKS];      // most recent purge peaks, newest first
    private final long[] peakBuckets = new long[PEAKS];    // slot of each purge; MIN_VALUE = none

    // latest fit, at the end of slot fitBucket
    private long fitBucket = Long.MIN_VALUE;
    private double fitLevel;
    private double fitTrend;
    private double fitDamping = 1.0;
    private double fitSd;         // robust sd of grid-slot means around the fit
    private double recentSd;      // same over the fit's last WindowedTrendFit.BAND_WINDOW_MIN minutes
    private double noiseVar;      // pooled within-slot variance of snapshots (0 = not measured yet)
    private int openN;            // the open slot's detrended snapshots: count, mean, sum of squared deviations
    private double openMean;
    private double openM2;
    private long surpriseBucket = Long.MIN_VALUE; // slot of the latest snapshot far off the forecast
    private Regime regime = Regime.NO_DATA;

    public MapGrowthModel() {
        this(Config.defaults());
    }

    public MapGrowthModel(Config config) {
        if (config.gridStepMs() <= 0 || config.historySlots() < 4 || config.historySlots() > 1440) {
            throw new IllegalArgumentException("invalid growth model config: " + config);
        }
        this.config = config;
        this.slotMean = new float[config.historySlots()];
        this.slotOffset = new float[config.historySlots()];
        this.slotCount = new short[config.historySlots()];
        Arrays.fill(slotMean, Float.NaN);
        Arrays.fill(peakBuckets, Long.MIN_VALUE);
    }

    /**
     * Adds one snapshot. Returns false (and counts it in {@link #droppedLate()}) when it is older than the newest
     * snapshot by more than the late tolerance, or not a finite count.
     */
    public boolean observe(long tsMs, double count) {
        if (!Double.isFinite(count)) {
            droppedLate++;
            return false;
        }
        long bucket = Math.floorDiv(tsMs, config.gridStepMs());
        if (headBucket == Long.MIN_VALUE) {
            headBucket = bucket;
            segmentStartBucket = bucket;
            lastTsMs = tsMs;
            lastCount = count;
            trackNoise(bucket, tsMs, count);
            add(bucket, tsMs, count);
            regime = Regime.WARMING_UP;
            return true;
        }
        if (tsMs < lastTsMs - config.lateToleranceMs() || bucket <= headBucket - config.historySlots()) {
            droppedLate++;
            return false;
        }
        if (bucket > headBucket) {
            closeNoiseSlot();
            fit(headBucket); // the head slot is complete: refit on it
            long clearFrom = Math.max(headBucket + 1, bucket - config.historySlots() + 1);
            for (long b = clearFrom; b <= bucket; b++) {
                int i = slot(b);
                slotMean[i] = Float.NaN;
                slotCount[i] = 0;
            }
            headBucket = bucket;
        }
        trackNoise(bucket, tsMs, count);
        add(bucket, tsMs, count);
        if (tsMs >= lastTsMs) {
            lastTsMs = tsMs;
            lastCount = count;
        }
        return true;
    }

    /**
     * Per-snapshot noise, measured inside grid slots: the spread of a slot's snapshots around their mean (after
     * removing the fitted trend within the slot), pooled over slots by an EWMA. Unlike forecast errors it does not
     * grow when the model lags a change. A snapshot far off the forecast (a purge, a spike, a restart) is a
     * surprise instead: the forecast is not credible until the next fit has seen it.
     */
    private void trackNoise(long bucket, long tsMs, double count) {
        if (hasFit()) {
            double h = (tsMs - (fitBucket + 1) * (double) config.gridStepMs()) / 60_000.0;
            double predicted = ThresholdEta.forecast(fitLevel, fitTrend, fitDamping, h);
            double sd = snapshotSd();
            if (sd > 0 && Math.abs(count - predicted) > Math.max(8 * sd, config.purgeDropFraction() * Math.abs(predicted))) {
                surpriseBucket = Math.max(surpriseBucket, bucket);
            }
        }
        if (bucket != headBucket || regime == Regime.WARMING_UP || regime == Regime.NO_DATA) {
            return; // a late snapshot, or a trend not known well enough to take out of the spread
        }
        double x = count - (hasFit() ? fitTrend * (tsMs - bucket * config.gridStepMs()) / 60_000.0 : 0);
        openN++;
        double d = x - openMean;
        openMean += d / openN;
        openM2 += d * (x - openMean);
    }

    /** Folds the closing slot's spread into the pooled noise variance. */
    private void closeNoiseSlot() {
        if (openN >= 2) {
            double v = openM2 / (openN - 1);
            if (noiseVar <= 0) {
                noiseVar = v;
            } else if (v < noiseVar) {
                noiseVar += NOISE_WEIGHT_DOWN * (v - noiseVar); // a jump inside an early slot must not linger
            } else {
                noiseVar += NOISE_WEIGHT * (Math.min(v, 9 * noiseVar) - noiseVar);
            }
        }
        openN = 0;
        openMean = 0;
        openM2 = 0;
    }

    /** Per-snapshot noise sd: the within-slot estimate, or with one snapshot per slot the fit's residual sd. */
    private double snapshotSd() {
        return noiseVar > 0 ? Math.sqrt(noiseVar) : fitSd;
    }

    private static final double NOISE_WEIGHT = 0.1;
    private static final double NOISE_WEIGHT_DOWN = 0.3;

    private void add(long bucket, long tsMs, double count) {
        int i = slot(bucket);
        int n = slotCount[i];
        float offset = (float) (tsMs - bucket * config.gridStepMs());
        if (n == 0 || Float.isNaN(slotMean[i])) {
            slotMean[i] = (float) count;
            slotOffset[i] = offset;
            slotCount[i] = 1;
        } else {
            slotMean[i] = (float) (slotMean[i] + (count - slotMean[i]) / (n + 1));
            slotOffset[i] = slotOffset[i] + (offset - slotOffset[i]) / (n + 1);
            if (n < Short.MAX_VALUE) {
                slotCount[i] = (short) (n + 1);
            }
        }
    }

    private int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) config.historySlots());
    }

    private double minutesPerSlot() {
        return config.gridStepMs() / 60_000.0;
    }

    /**
     * Refit on the closed slots up to and including {@code closed} ({@link WindowedTrendFit} on the segment's
     * slots), then decide the regime: warming up, purging, an unconfirmed rise or excursion (SPIKE), or the fit's
     * curve. A faster rise seen only by a shorter window must persist before it is trusted (spikes revert).
     */
    private void fit(long closed) {
        // where the previous fit expected this slot, and how far off it may be
        double expected = hasFit() ? ThresholdEta.forecast(fitLevel, fitTrend, fitDamping, minutesPerSlot()) : lastCount;
        double jumpFloor = Math.max(6 * residualSd(), 0.05 * Math.abs(expected));
        double yClosed = slotMean[slot(closed)];
        detectPurge(closed, yClosed);

        WindowedTrendFit fitter = WindowedTrendFit.forThread(config.historySlots());
        double[] ts = fitter.ts();
        double[] ys = fitter.ys();
        long from = Math.max(segmentStartBucket, closed - config.historySlots() + 1);
        long windowFrom = Math.max(from, closed - (long) Math.ceil(config.fitWindowMin() / minutesPerSlot()) + 1);
        int n = 0;
        for (long b = windowFrom; b <= closed; b++) {
            float v = slotMean[slot(b)];
            if (!Float.isNaN(v)) {
                ts[n] = slotTimeMin(b, closed);
                ys[n] = v;
                n++;
            }
        }
        fitBucket = closed;
        fitDamping = 1.0;
        if (n < 3) {
            fitLevel = Double.isNaN(yClosed) ? lastCount : yClosed;
            fitTrend = 0;
            fitSd = 0;
            regime = Regime.WARMING_UP;
            return;
        }
        WindowedTrendFit.Result r = fitter.fit(n, new WindowedTrendFit.Params(config.fitWindowMin(),
                config.minCurveSpanMin(), config.dampedImprovement(), config.acceleratingImprovement(),
                config.recentSigmas()));
        lastWindowMin = r.windowMin();
        boolean risingNow = r.accepted() && r.shorter() && r.trend() > r.longestTrend() && r.trend() > 0;
        // a rise that has stopped rising (a spike's top) is no rise to confirm: start over
        boolean stillRising = r.recentSlope() >= 0.5 * r.trend();
        if (!risingNow || !stillRising) {
            risingSinceBucket = Long.MIN_VALUE;
        } else if (risingSinceBucket == Long.MIN_VALUE) {
            risingSinceBucket = closed;
        }
        double phi = Math.exp(r.k());
        fitLevel = r.level();
        // publish the discrete Holt form: trend * (phi + ... + phi^h) equals the continuous fit's growth
        fitTrend = r.k() == 0 ? r.trend() : r.trend() * (phi - 1) / (phi * r.k());
        fitDamping = phi;
        fitSd = r.sd();
        recentSd = r.recentSd();
        double segmentMin = (closed - segmentStartBucket + 1) * minutesPerSlot();
        if (segmentMin < config.minSpanMin()) {
            regime = Regime.WARMING_UP;
        } else if (belowRecentPeak(closed, r.level())) {
            regime = Regime.PURGING;
        } else if (!r.accepted()) {
            regime = Regime.SPIKE; // a change too recent to fit
        } else if (risingNow && (!stillRising || risingFor(closed) < config.confirmRiseMin())) {
            regime = Regime.SPIKE; // a faster rise than the long run shows: wait until it persists
        } else {
            regime = r.k() < 0 ? Regime.DAMPED : r.k() > 0 ? Regime.ACCELERATING : Regime.LINEAR;
        }
        trackExcursion(closed, yClosed, expected, jumpFloor, r);
    }

    /**
     * An upward excursion (a slot far above where the previous fit expected it, which the fit could not trust) is
     * watched until it resolves: confirmed as a rise (a credible fit still rising at its pace), persisting for {@link Config#excursionPersistMin()} (a level shift: fit as usual),
     * or reverting to within 30 % of its height above the level before it (a spike: the history holding it is
     * dropped, a new segment starts). Until then the forecast is not credible: a fit over a spike that is
     * still in its window makes up trends from it.
     */
    private void trackExcursion(long closed, double yClosed, double expected, double jumpFloor,
                                WindowedTrendFit.Result r) {
        if (excursionStartBucket == Long.MIN_VALUE) {
            if (regime == Regime.SPIKE && !Double.isNaN(yClosed) && yClosed - expected > jumpFloor) {
                excursionStartBucket = closed;
                excursionBase = expected;
                excursionPeak = yClosed;
            }
            return;
        }
        if (!Double.isNaN(yClosed)) {
            excursionPeak = Math.max(excursionPeak, yClosed);
        }
        // confirmed: a credible fit that is still rising at its own pace, long enough after the jump
        boolean confirmed = (regime == Regime.LINEAR || regime == Regime.DAMPED || regime == Regime.ACCELERATING)
                && r.trend() > 0 && r.recentSlope() >= 0.5 * r.trend()
                && (closed - excursionStartBucket) * minutesPerSlot() >= config.confirmRiseMin();
        if (!Double.isNaN(yClosed) && yClosed <= excursionBase + 0.3 * (excursionPeak - excursionBase)) {
            excursionStartBucket = Long.MIN_VALUE;
            segmentStartBucket = closed; // reverted: forget the spike
            regime = Regime.WARMING_UP;
        } else if (confirmed || (closed - excursionStartBucket) * minutesPerSlot() >= config.excursionPersistMin()) {
            excursionStartBucket = Long.MIN_VALUE; // a confirmed rise, or a level shift that stays
        } else if (regime != Regime.WARMING_UP && regime != Regime.PURGING) {
            regime = Regime.SPIKE;
        }
    }

    /** Minutes an upward revision of the trend has been seen without interruption. */
    private double risingFor(long closed) {
        return risingSinceBucket == Long.MIN_VALUE ? 0 : (closed - risingSinceBucket) * minutesPerSlot();
    }

    private double lastWindowMin; // diagnostics: the window the latest fit accepted (-1: none)

    /** Diagnostics: whether an upward excursion is being watched. */
    boolean excursionActive() {
        return excursionStartBucket != Long.MIN_VALUE;
    }

    /** Diagnostics: minutes of the fit window the latest fit used (-1 when none sat on its fit). */
    double lastWindowMin() {
        return lastWindowMin;
    }

    /**
     * Purge: the closed slot dropped far below the previous one, by more than a fraction of it and well beyond
     * the noise. Starts a new segment and remembers the peak the map had reached.
     */
    private void detectPurge(long closed, double yClosed) {
        if (Double.isNaN(yClosed)) {
            return;
        }
        double yPrev = Double.NaN;
        long bPrev = Long.MIN_VALUE;
        for (long b = closed - 1; b > closed - config.historySlots() && b >= segmentStartBucket; b--) {
            if (!Float.isNaN(slotMean[slot(b)])) {
                yPrev = slotMean[slot(b)];
                bPrev = b;
                break;
            }
        }
        if (Double.isNaN(yPrev)) {
            return;
        }
        double drop = yPrev - yClosed;
        if (drop > config.purgeDropFraction() * Math.max(yPrev, 1.0) && drop > 6 * fitSd) {
            purges++;
            double peak = maxSince(segmentStartBucket, closed - 1);
            if (closed - bPrev > 1 && hasFit() && fitBucket == bPrev && fitTrend > 0) {
                // the purge happened in a sampling gap: the map may have kept growing until then, so its peak is
                // taken as high as the last fit reaches by the first snapshot after the drop
                double gapMin = ((closed - bPrev - 1) * (double) config.gridStepMs() + slotOffset[slot(closed)]) / 60_000.0;
                peak = Math.max(peak, ThresholdEta.forecast(fitLevel, fitTrend, fitDamping, gapMin));
            }
            // keep the highest recent peaks: shift out the oldest
            System.arraycopy(peaks, 0, peaks, 1, peaks.length - 1);
            System.arraycopy(peakBuckets, 0, peakBuckets, 1, peakBuckets.length - 1);
            peaks[0] = peak;
            peakBuckets[0] = closed;
            segmentStartBucket = closed;
        }
    }

    /** Whether the map purged recently and has not yet clearly grown past the peaks it purged from. */
    private boolean belowRecentPeak(long closed, double level) {
        double ref = Double.NEGATIVE_INFINITY;
        long memory = (long) Math.ceil(config.purgeMemoryMin() / minutesPerSlot());
        for (int i = 0; i < peaks.length; i++) {
            if (peakBuckets[i] != Long.MIN_VALUE && closed - peakBuckets[i] <= memory) {
                ref = Math.max(ref, peaks[i]);
            }
        }
        return level <= ref * (1 + config.peakMargin()) + 3 * fitSd;
    }

    /** Mean event time of slot {@code b}'s snapshots, in minutes relative to the end of slot {@code closed}. */
    private double slotTimeMin(long b, long closed) {
        return ((b - closed - 1) * (double) config.gridStepMs() + slotOffset[slot(b)]) / 60_000.0;
    }

    private double maxSince(long fromBucket, long toBucket) {
        double max = Double.NEGATIVE_INFINITY;
        for (long b = Math.max(fromBucket, toBucket - config.historySlots() + 1); b <= toBucket; b++) {
            float v = slotMean[slot(b)];
            if (!Float.isNaN(v)) {
                max = Math.max(max, v);
            }
        }
        return max;
    }

    // ---- published forecast, as of the latest snapshot ----

    private double minutesSinceFit() {
        double fitTimeMs = (fitBucket + 1) * (double) config.gridStepMs();
        return (lastTsMs - fitTimeMs) / 60_000.0;
    }

    private boolean hasFit() {
        return fitBucket != Long.MIN_VALUE;
    }

    /** Event time of the newest snapshot; the forecast refers to it. */
    public long tsMs() {
        return lastTsMs;
    }

    /** The newest snapshot's raw count. */
    public double lastCount() {
        return lastCount;
    }

    /** Smoothed count at {@link #tsMs()}. */
    public double level() {
        if (!hasFit()) {
            return lastCount;
        }
        if (surpriseBucket > fitBucket) {
            // the newest snapshots broke away from the fit (purge, restart, jump after a gap): the fit's
            // extrapolation is no level at all; until the next fit, the level is what the open slot shows
            float open = slotMean[slot(headBucket)];
            return Float.isNaN(open) ? lastCount : open;
        }
        return ThresholdEta.forecast(fitLevel, fitTrend, fitDamping, minutesSinceFit());
    }

    /** Growth per minute at {@link #tsMs()}. */
    public double trendPerMin() {
        if (!hasFit()) {
            return 0;
        }
        return fitTrend * Math.pow(ThresholdEta.clampDamping(fitDamping), Math.max(0, minutesSinceFit()));
    }

    /** Per-minute factor on the trend: 1 linear, below 1 levelling off, above 1 accelerating. */
    public double dampingPerMin() {
        return fitDamping;
    }

    /**
     * Standard deviation of one snapshot's count around the forecast (published as {@code residual_sd}): the
     * larger of the snapshot noise measured inside slots and the spread of the last
     * {@link WindowedTrendFit#BAND_WINDOW_MIN} minutes of slots around the fit (with one snapshot a slot that is
     * the noise; it also holds structure the trend does not model, like a staircase's steps, but not the misfit of
     * a warm-up's early minutes).
     */
    public double residualSd() {
        return Math.max(noiseVar > 0 ? Math.sqrt(noiseVar) : 0, recentSd);
    }

    /** Whether the forecast is trustworthy (not warming up, not on a spike, not between purges). */
    public boolean credible() {
        return (regime == Regime.LINEAR || regime == Regime.DAMPED || regime == Regime.ACCELERATING)
                && surpriseBucket <= fitBucket;
    }

    public Regime regime() {
        return regime;
    }

    /** Purges (large drops) seen so far. */
    public int purges() {
        return purges;
    }

    /** Snapshots dropped as too late or not finite. */
    public long droppedLate() {
        return droppedLate;
    }

    /** Name of the model and its current regime, as published in {@code forecast.model}. */
    public String modelName() {
        return MODEL_PREFIX + regime.name().toLowerCase();
    }

    /** The forecast as published on {@code MapTrend.forecast}. */
    public GrowthForecast forecast() {
        return GrowthForecast.newBuilder()
                .setModel(modelName())
                .setCredible(credible())
                .setDampingPerMin(dampingPerMin())
                .setResidualSd(residualSd())
                .build();
    }

    /** Same as {@link ThresholdEta#etaMs} on this model's published fields. */
    public OptionalLong etaMs(double threshold) {
        return ThresholdEta.etaMs(tsMs(), level(), trendPerMin(), dampingPerMin(), credible(), residualSd(), threshold);
    }

    // ---- serialization ----

    /** Compact, versioned encoding for a state store (10 bytes per history slot plus ~160 bytes). */
    public byte[] toBytes() {
        int n = config.historySlots();
        ByteBuffer buf = ByteBuffer.allocate(FIXED_BYTES_MAX + n * 10);
        buf.put(FORMAT_VERSION);
        buf.putLong(config.gridStepMs());
        buf.putInt(n);
        buf.putLong(headBucket);
        buf.putLong(lastTsMs);
        buf.putDouble(lastCount);
        buf.putLong(droppedLate);
        buf.putLong(segmentStartBucket);
        buf.putLong(risingSinceBucket);
        buf.putLong(excursionStartBucket);
        buf.putDouble(excursionBase);
        buf.putDouble(excursionPeak);
        buf.putLong(fitBucket);
        buf.putInt(purges);
        buf.putDouble(fitLevel);
        buf.putDouble(fitTrend);
        buf.putDouble(fitDamping);
        buf.putDouble(fitSd);
        buf.putDouble(recentSd);
        buf.putDouble(noiseVar);
        buf.putInt(openN);
        buf.putDouble(openMean);
        buf.putDouble(openM2);
        buf.putLong(surpriseBucket);
        buf.put((byte) regime.ordinal());
        for (int i = 0; i < PEAKS; i++) {
            buf.putDouble(peaks[i]);
            buf.putLong(peakBuckets[i]);
        }
        for (int i = 0; i < n; i++) {
            buf.putFloat(slotMean[i]);
        }
        for (int i = 0; i < n; i++) {
            buf.putFloat(slotOffset[i]);
        }
        for (int i = 0; i < n; i++) {
            buf.putShort(slotCount[i]);
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /** Decodes {@link #toBytes()} output with the default config's tuning. */
    public static MapGrowthModel fromBytes(byte[] bytes) {
        return fromBytes(bytes, Config.defaults());
    }

    /**
     * Decodes {@link #toBytes()} output. The grid step and history length come from the bytes (they shape the
     * stored history); the other knobs from {@code tuning}.
     *
     * @throws IllegalArgumentException on an unknown version or truncated input
     */
    public static MapGrowthModel fromBytes(byte[] bytes, Config tuning) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            byte version = buf.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown growth model format version " + version);
            }
            long step = buf.getLong();
            int n = buf.getInt();
            Config c = new Config(step, n, tuning.lateToleranceMs(), tuning.minSpanMin(), tuning.fitWindowMin(),
                    tuning.minCurveSpanMin(), tuning.dampedImprovement(), tuning.acceleratingImprovement(),
                    tuning.purgeDropFraction(), tuning.purgeMemoryMin(), tuning.peakMargin(), tuning.recentSigmas(), tuning.confirmRiseMin(), tuning.excursionPersistMin());
            MapGrowthModel m = new MapGrowthModel(c);
            m.headBucket = buf.getLong();
            m.lastTsMs = buf.getLong();
            m.lastCount = buf.getDouble();
            m.droppedLate = buf.getLong();
            m.segmentStartBucket = buf.getLong();
            m.risingSinceBucket = buf.getLong();
            m.excursionStartBucket = buf.getLong();
            m.excursionBase = buf.getDouble();
            m.excursionPeak = buf.getDouble();
            m.fitBucket = buf.getLong();
            m.purges = buf.getInt();
            m.fitLevel = buf.getDouble();
            m.fitTrend = buf.getDouble();
            m.fitDamping = buf.getDouble();
            m.fitSd = buf.getDouble();
            m.recentSd = buf.getDouble();
            m.noiseVar = buf.getDouble();
            m.openN = buf.getInt();
            m.openMean = buf.getDouble();
            m.openM2 = buf.getDouble();
            m.surpriseBucket = buf.getLong();
            m.regime = Regime.values()[buf.get()];
            for (int i = 0; i < PEAKS; i++) {
                m.peaks[i] = buf.getDouble();
                m.peakBuckets[i] = buf.getLong();
            }
            for (int i = 0; i < n; i++) {
                m.slotMean[i] = buf.getFloat();
            }
            for (int i = 0; i < n; i++) {
                m.slotOffset[i] = buf.getFloat();
            }
            for (int i = 0; i < n; i++) {
                m.slotCount[i] = buf.getShort();
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException("growth model bytes: " + buf.remaining() + " trailing bytes");
            }
            return m;
        } catch (java.nio.BufferUnderflowException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("growth model bytes truncated or corrupt (" + bytes.length + " bytes)", e);
        }
    }
}
