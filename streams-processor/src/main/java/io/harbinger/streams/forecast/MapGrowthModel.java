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
            double longWindowMin,   // window of the robust trend
            double purgeDropFraction // a drop of more than this fraction of the level is a purge
    ) {
        public static Config defaults() {
            return new Config(60_000, 64, 120_000, 15, 30, 0.2);
        }
    }

    /** What the latest fit saw; named in {@code forecast.model}. */
    public enum Regime { NO_DATA, WARMING_UP, LINEAR, DAMPED, ACCELERATING, PURGING, SPIKE }

    static final byte FORMAT_VERSION = 1;
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
    private int purges;
    private double lastPeak;

    // latest fit, at the end of slot fitBucket
    private long fitBucket = Long.MIN_VALUE;
    private double fitLevel;
    private double fitTrend;
    private double fitDamping = 1.0;
    private double fitSd;
    private Regime regime = Regime.NO_DATA;

    // scratch, never serialized
    private double[] ts;
    private double[] ys;
    private double[] pairScratch;

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
            add(bucket, tsMs, count);
            regime = Regime.WARMING_UP;
            return true;
        }
        if (tsMs < lastTsMs - config.lateToleranceMs() || bucket <= headBucket - config.historySlots()) {
            droppedLate++;
            return false;
        }
        if (bucket > headBucket) {
            fit(headBucket); // the head slot is complete: refit on it
            long clearFrom = Math.max(headBucket + 1, bucket - config.historySlots() + 1);
            for (long b = clearFrom; b <= bucket; b++) {
                int i = slot(b);
                slotMean[i] = Float.NaN;
                slotCount[i] = 0;
            }
            headBucket = bucket;
        }
        add(bucket, tsMs, count);
        if (tsMs >= lastTsMs) {
            lastTsMs = tsMs;
            lastCount = count;
        }
        return true;
    }

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

    /** Refit on the closed slots up to and including {@code closed}. */
    private void fit(long closed) {
        ensureScratch();
        // purge: the closed slot dropped far below the previous one
        double yClosed = slotMean[slot(closed)];
        double yPrev = Double.NaN;
        for (long b = closed - 1; b > closed - config.historySlots() && b >= segmentStartBucket; b--) {
            if (!Float.isNaN(slotMean[slot(b)])) {
                yPrev = slotMean[slot(b)];
                break;
            }
        }
        if (!Double.isNaN(yPrev) && yPrev - yClosed > config.purgeDropFraction() * Math.max(yPrev, 1.0)) {
            purges++;
            lastPeak = maxSince(segmentStartBucket, closed - 1);
            segmentStartBucket = closed;
        }

        long from = Math.max(segmentStartBucket, closed - config.historySlots() + 1);
        long windowFrom = Math.max(from, closed - (long) Math.ceil(config.longWindowMin() / minutesPerSlot()) + 1);
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
            fitLevel = yClosed;
            fitTrend = 0;
            fitSd = 0;
            regime = Regime.WARMING_UP;
            return;
        }
        double slope = RobustFit.theilSenSlope(ts, ys, 0, n, pairScratch);
        double level = RobustFit.interceptAt(ts, ys, 0, n, slope, 0.0, pairScratch);
        fitSd = RobustFit.residualSd(ts, ys, 0, n, slope, level, 0.0, pairScratch);
        fitLevel = level;
        fitTrend = slope;
        double spanMin = (closed - from) * minutesPerSlot();
        regime = spanMin < config.minSpanMin() ? Regime.WARMING_UP : Regime.LINEAR;
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

    private void ensureScratch() {
        if (ts == null) {
            int n = config.historySlots();
            ts = new double[n];
            ys = new double[n];
            pairScratch = new double[Math.max(n, n * (n - 1) / 2)];
        }
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

    /** Robust standard deviation of the count around the fitted trend. */
    public double residualSd() {
        return fitSd;
    }

    /** Whether the forecast is trustworthy (not warming up, not on a spike, not between purges). */
    public boolean credible() {
        return regime == Regime.LINEAR || regime == Regime.DAMPED || regime == Regime.ACCELERATING;
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
        return ThresholdEta.etaMs(tsMs(), level(), trendPerMin(), dampingPerMin(), credible(), threshold);
    }

    // ---- serialization ----

    /** Compact, versioned encoding for a state store (10 bytes per history slot plus ~110 bytes). */
    public byte[] toBytes() {
        int n = config.historySlots();
        ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 4 + 8 * 7 + 4 + 8 * 4 + 1 + n * 10);
        buf.put(FORMAT_VERSION);
        buf.putLong(config.gridStepMs());
        buf.putInt(n);
        buf.putLong(headBucket);
        buf.putLong(lastTsMs);
        buf.putDouble(lastCount);
        buf.putLong(droppedLate);
        buf.putLong(segmentStartBucket);
        buf.putDouble(lastPeak);
        buf.putLong(fitBucket);
        buf.putInt(purges);
        buf.putDouble(fitLevel);
        buf.putDouble(fitTrend);
        buf.putDouble(fitDamping);
        buf.putDouble(fitSd);
        buf.put((byte) regime.ordinal());
        for (int i = 0; i < n; i++) {
            buf.putFloat(slotMean[i]);
        }
        for (int i = 0; i < n; i++) {
            buf.putFloat(slotOffset[i]);
        }
        for (int i = 0; i < n; i++) {
            buf.putShort(slotCount[i]);
        }
        return buf.array();
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
            Config c = new Config(step, n, tuning.lateToleranceMs(), tuning.minSpanMin(), tuning.longWindowMin(),
                    tuning.purgeDropFraction());
            MapGrowthModel m = new MapGrowthModel(c);
            m.headBucket = buf.getLong();
            m.lastTsMs = buf.getLong();
            m.lastCount = buf.getDouble();
            m.droppedLate = buf.getLong();
            m.segmentStartBucket = buf.getLong();
            m.lastPeak = buf.getDouble();
            m.fitBucket = buf.getLong();
            m.purges = buf.getInt();
            m.fitLevel = buf.getDouble();
            m.fitTrend = buf.getDouble();
            m.fitDamping = buf.getDouble();
            m.fitSd = buf.getDouble();
            m.regime = Regime.values()[buf.get()];
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
