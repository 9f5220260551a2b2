package io.harbinger.streams.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the topologies need, as data. Built from properties ({@link #from(Map)}) with defaults that work;
 * every key is documented in docs/streams.md.
 *
 * @param window           {@code harbinger.latency.window.ms} (60000): tumbling window, epoch-aligned
 * @param grace            {@code harbinger.latency.grace.ms} (5000): how late an event may arrive and still count
 * @param retention        {@code harbinger.latency.retention.ms} (3600000): how long windows stay queryable
 * @param relativeAccuracy {@code harbinger.latency.relative.accuracy} (0.005): DDSketch relative accuracy
 * @param maxSketchBins    {@code harbinger.latency.max.bins} (2048): bins per sketch; the lowest collapse first
 * @param countThreshold   {@code harbinger.gomap.count.threshold} (1000000): threshold of MapTrend.eta_ms
 * @param mapIdleTimeout   {@code harbinger.gomap.idle.timeout.ms} (3600000): event time without a snapshot after
 *                         which a map is forgotten (a tombstone goes to the trends topic)
 * @param inMemoryStores   {@code harbinger.state.in.memory} (false): in-memory instead of RocksDB stores (both
 *                         changelogged); the backtest uses them, as its driver checkpoints after every record
 * @param serdeConfig      the serde keys ({@code schema.registry.url}, ... or {@code harbinger.serde.format})
 * @param forecastTimeScale {@code harbinger.gomap.forecast.time.scale} (1): how many times faster than real time
 *                         the growth model runs its clock; 20 makes its 20-minute warm-up take one real minute (the
 *                         demo). Published trends stay in real units.
 */
public record ProcessorConfig(Duration window, Duration grace, Duration retention, double relativeAccuracy,
                              int maxSketchBins, double countThreshold, Duration mapIdleTimeout,
                              boolean inMemoryStores, Map<String, Object> serdeConfig,
                              double forecastTimeScale) {

    public static final String WINDOW_MS = "harbinger.latency.window.ms";
    public static final String GRACE_MS = "harbinger.latency.grace.ms";
    public static final String RETENTION_MS = "harbinger.latency.retention.ms";
    public static final String RELATIVE_ACCURACY = "harbinger.latency.relative.accuracy";
    public static final String MAX_BINS = "harbinger.latency.max.bins";
    public static final String COUNT_THRESHOLD = "harbinger.gomap.count.threshold";
    public static final String MAP_IDLE_TIMEOUT_MS = "harbinger.gomap.idle.timeout.ms";
    public static final String IN_MEMORY_STORES = "harbinger.state.in.memory";
    public static final String FORECAST_TIME_SCALE = "harbinger.gomap.forecast.time.scale";

    /** Keys passed through to the serdes. */
    private static final List<String> SERDE_KEYS = List.of("schema.registry.url", "auto.register.schemas",
            "use.latest.version", "basic.auth.credentials.source", "basic.auth.user.info",
            "schema.registry.request.timeout.ms", "schema.registry.retries", "schema.registry.retry.backoff.ms",
            "harbinger.serde.format");

    public ProcessorConfig {
        if (window.toMillis() <= 0) {
            throw new IllegalArgumentException(WINDOW_MS + " must be > 0");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException(GRACE_MS + " must be >= 0");
        }
        if (retention.compareTo(window.plus(grace)) < 0) {
            throw new IllegalArgumentException(RETENTION_MS + " must be at least window + grace ("
                    + window.plus(grace).toMillis() + ")");
        }
        if (!(relativeAccuracy > 0 && relativeAccuracy <= 0.01)) {
            throw new IllegalArgumentException(RELATIVE_ACCURACY + " must be in (0, 0.01], got " + relativeAccuracy);
        }
        if (maxSketchBins < 64) {
            throw new IllegalArgumentException(MAX_BINS + " must be >= 64");
        }
        if (!(countThreshold > 0)) {
            throw new IllegalArgumentException(COUNT_THRESHOLD + " must be > 0");
        }
        if (!(forecastTimeScale >= 1 && forecastTimeScale <= 1000)) {
            throw new IllegalArgumentException(FORECAST_TIME_SCALE + " must be within 1..1000, got " + forecastTimeScale);
        }
        serdeConfig = Map.copyOf(serdeConfig);
    }

    public static ProcessorConfig from(Map<String, ?> props) {
        Map<String, Object> serde = new HashMap<>();
        for (String k : SERDE_KEYS) {
            if (props.get(k) != null) {
                serde.put(k, props.get(k));
            }
        }
        return new ProcessorConfig(
                Duration.ofMillis(longValue(props, WINDOW_MS, 60_000)),
                Duration.ofMillis(longValue(props, GRACE_MS, 5_000)),
                Duration.ofMillis(longValue(props, RETENTION_MS, 3_600_000)),
                doubleValue(props, RELATIVE_ACCURACY, 0.005),
                (int) longValue(props, MAX_BINS, 2048),
                doubleValue(props, COUNT_THRESHOLD, 1_000_000),
                Duration.ofMillis(longValue(props, MAP_IDLE_TIMEOUT_MS, 3_600_000)),
                Boolean.parseBoolean(String.valueOf(props.get(IN_MEMORY_STORES))),
                serde,
                doubleValue(props, FORECAST_TIME_SCALE, 1));
    }

    public ProcessorConfig withGrace(Duration g) {
        return new ProcessorConfig(window, g, retention.compareTo(window.plus(g)) < 0 ? window.plus(g) : retention,
                relativeAccuracy, maxSketchBins, countThreshold, mapIdleTimeout, inMemoryStores, serdeConfig,
                forecastTimeScale);
    }

    public ProcessorConfig withCountThreshold(double t) {
        return new ProcessorConfig(window, grace, retention, relativeAccuracy, maxSketchBins, t, mapIdleTimeout,
                inMemoryStores, serdeConfig, forecastTimeScale);
    }

    /** A key-value store of the configured kind. */
    public org.apache.kafka.streams.state.KeyValueBytesStoreSupplier keyValueStore(String name) {
        return inMemoryStores ? org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(name)
                : org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name);
    }

    static long longValue(Map<String, ?> p, String key, long dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    static double doubleValue(Map<String, ?> p, String key, double dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }
}
