package io.harbinger.streams.forecast;

import java.nio.ByteBuffer;
import java.util.OptionalDouble;

/**
 * Holt (level + trend) smoothing of one latency key's P99, one value per closed window, in event time.
 *
 * <p>P99s are heavy-tailed: an innovation larger than {@link Config#clipSigmas()} robust deviations is clipped
 * before it updates level and trend (a Huber-style update), so one bad window moves the trend little while a
 * sustained shift still gets through. The deviation scale itself is an EWMA of absolute innovations. The trend
 * is in ns per minute; windows may be irregular (gaps), the smoothing weights apply per window.
 * The level and trend are published on {@code SyscallLatencyWindow.p99_level_ns} / {@code p99_trend_per_min}
 * once {@link Config#minWindows()} windows were seen; {@link ThresholdEta#etaMs(io.harbinger.schema.SyscallLatencyWindow, double)}
 * reads them.
 */
public final class LatencyTrendModel {

    /**
     * @param alpha       level smoothing per window
     * @param beta        trend smoothing per window
     * @param clipSigmas  innovations are clipped to this many robust deviations
     * @param minWindows  windows needed before level and trend are published
     */
    public record Config(double alpha, double beta, double clipSigmas, int minWindows) {
        public static Config defaults() {
            return new Config(0.3, 0.1, 3.0, 5);
        }
    }

    static final byte FORMAT_VERSION = 1;

    private final Config config;
    private long windows;
    private long lastEndMs;
    private double level;
    private double trendPerMin;
    private double meanAbsDev;

    public LatencyTrendModel() {
        this(Config.defaults());
    }

    public LatencyTrendModel(Config config) {
        this.config = config;
    }

    /** Adds the P99 of the window ending at {@code windowEndMs}. Windows not after the previous one are ignored. */
    public boolean observe(long windowEndMs, double p99Ns) {
        if (!Double.isFinite(p99Ns) || (windows > 0 && windowEndMs <= lastEndMs)) {
            return false;
        }
        if (windows == 0) {
            level = p99Ns;
            trendPerMin = 0;
            meanAbsDev = 0;
        } else {
            double dtMin = (windowEndMs - lastEndMs) / 60_000.0;
            double predicted = level + trendPerMin * dtMin;
            double innovation = p99Ns - predicted;
            double scale = meanAbsDev > 0 ? meanAbsDev * 1.25 : Math.abs(innovation); // sd ~ 1.25 x mean abs deviation (normal)
            double limit = config.clipSigmas() * scale;
            double clipped = (windows >= 3 && limit > 0) ? Math.max(-limit, Math.min(limit, innovation)) : innovation;
            double newLevel = predicted + config.alpha() * clipped;
            double impliedTrend = (newLevel - level) / dtMin;
            trendPerMin = trendPerMin + config.beta() * (impliedTrend - trendPerMin);
            level = newLevel;
            meanAbsDev = windows == 1 ? Math.abs(innovation) : meanAbsDev + 0.1 * (Math.min(Math.abs(innovation), 4 * scale) - meanAbsDev);
        }
        windows++;
        lastEndMs = windowEndMs;
        return true;
    }

    /** True once enough windows were seen for level and trend to mean something. */
    public boolean ready() {
        return windows >= config.minWindows();
    }

    /** Smoothed P99 at the last window's end, or empty while not {@link #ready()}. */
    public OptionalDouble levelNs() {
        return ready() ? OptionalDouble.of(level) : OptionalDouble.empty();
    }

    /** P99 growth in ns per minute, or empty while not {@link #ready()}. */
    public OptionalDouble trendPerMinNs() {
        return ready() ? OptionalDouble.of(trendPerMin) : OptionalDouble.empty();
    }

    public long windows() {
        return windows;
    }

    public long lastWindowEndMs() {
        return lastEndMs;
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(1 + 8 + 8 + 8 * 3)
                .put(FORMAT_VERSION).putLong(windows).putLong(lastEndMs)
                .putDouble(level).putDouble(trendPerMin).putDouble(meanAbsDev).array();
    }

    public static LatencyTrendModel fromBytes(byte[] bytes) {
        return fromBytes(bytes, Config.defaults());
    }

    /** @throws IllegalArgumentException on an unknown version or wrong length */
    public static LatencyTrendModel fromBytes(byte[] bytes, Config config) {
        if (bytes.length != 41 || bytes[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("latency trend bytes: unknown version or length " + bytes.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        LatencyTrendModel m = new LatencyTrendModel(config);
        m.windows = buf.getLong();
        m.lastEndMs = buf.getLong();
        m.level = buf.getDouble();
        m.trendPerMin = buf.getDouble();
        m.meanAbsDev = buf.getDouble();
        return m;
    }
}
