package io.harbinger.streams.maps;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.streams.forecast.MapGrowthModel;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Per Go map: load factor, overflow ratio and its rate, and the growth model's level, trend and forecast, published
 * as a {@link MapTrend} for every snapshot. A new hash seed at a known address starts a fresh model (the address
 * was reused by another map). Maps without a snapshot for the idle timeout (in stream time) are forgotten and a
 * tombstone is published, so the compacted trends topic and the query store drop them too. A snapshot the model
 * refuses (older than the map's newest by more than its late tolerance, {@code lateToleranceMs}) changes nothing and
 * publishes nothing; it is counted ({@code dropped-snapshots-total}, group {@code stream-harbinger-maps-metrics}).
 */
final class MapTrendProcessor implements Processor<MapKey, GoMapEvent, MapKey, MapTrend> {
    private final double threshold;
    private final Duration idleTimeout;
    private final MapGrowthModel.Config tuning = MapGrowthModel.Config.defaults();
    private final ModelClock clock;
    private ProcessorContext<MapKey, MapTrend> context;
    private KeyValueStore<MapKey, byte[]> states;
    private KeyValueStore<MapKey, MapTrend> trends;
    private Sensor dropped;

    MapTrendProcessor(double threshold, Duration idleTimeout, double forecastTimeScale) {
        this.threshold = threshold;
        this.idleTimeout = idleTimeout;
        this.clock = new ModelClock(forecastTimeScale);
    }

    @Override
    public void init(ProcessorContext<MapKey, MapTrend> context) {
        this.context = context;
        this.states = context.getStateStore(MapTrendTopology.STATE_STORE);
        this.trends = context.getStateStore(MapTrendTopology.TRENDS_STORE);
        this.dropped = context.metrics().addRateTotalSensor(MapTrendTopology.METRIC_SCOPE,
                context.taskId().toString(), MapTrendTopology.DROPPED_SNAPSHOTS, Sensor.RecordingLevel.INFO);
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::forgetIdleMaps);
    }

    @Override
    public void process(Record<MapKey, GoMapEvent> record) {
        GoMapEvent e = record.value();
        if (e == null || record.key() == null) {
            return;
        }
        MapKey key = record.key();
        long tsMs = e.getTsNs() / 1_000_000;
        byte[] stored = states.get(key);
        MapState state = stored == null ? null : MapState.fromBytes(stored, tuning);
        if (state == null || (e.getHash0() != null && state.hash0 != null && !e.getHash0().equals(state.hash0))) {
            state = new MapState(new MapGrowthModel(tuning));
        }
        if (e.getHash0() != null) {
            state.hash0 = e.getHash0();
        }
        state.comm = e.getComm();

        if (!state.model.observe(clock.toModelMs(tsMs), e.getCount())) {
            // too late for the model: publishing it would show an older count as the map's latest
            dropped.record();
            return;
        }
        double buckets = Math.pow(2, e.getLog2Buckets());
        double loadFactor = e.getCount() / (8 * buckets);
        double overflowRatio = e.getOverflowBuckets() / buckets;
        state.observeOverflow(tsMs, overflowRatio);
        states.put(key, state.toBytes());

        ModelClock.Forecast f = clock.forecast(state.model, threshold);
        MapTrend trend = MapTrend.newBuilder()
                .setHost(key.getHost())
                .setPid(key.getPid())
                .setMapAddr(key.getMapAddr())
                .setComm(e.getComm())
                .setTsMs(Math.max(tsMs, f.tsMs())) // level, trend and eta refer to the newest snapshot
                .setCount(e.getCount())
                .setLog2Buckets(e.getLog2Buckets())
                .setOverflowBuckets(e.getOverflowBuckets())
                .setLoadFactor(loadFactor)
                .setOverflowRatio(overflowRatio)
                .setOverflowRatioRatePerMin(state.overflowRatePerMin)
                .setLevel(f.level())
                .setTrendPerMin(f.trendPerMin())
                .setThreshold(threshold)
                .setEtaMs(f.etaMs().isPresent() ? f.etaMs().getAsLong() : null)
                .setForecast(f.forecast())
                .build();
        trends.put(key, trend);
        context.forward(record.withValue(trend).withTimestamp(tsMs));
    }

    private void forgetIdleMaps(long streamTimeMs) {
        long cutoff = streamTimeMs - idleTimeout.toMillis();
        List<MapKey> idle = new ArrayList<>();
        try (KeyValueIterator<MapKey, MapTrend> it = trends.all()) {
            while (it.hasNext()) {
                KeyValue<MapKey, MapTrend> kv = it.next();
                if (kv.value.getTsMs() < cutoff) {
                    idle.add(kv.key);
                }
            }
        }
        for (MapKey key : idle) {
            trends.delete(key);
            states.delete(key);
            context.forward(new Record<>(key, (MapTrend) null, streamTimeMs));
        }
    }

    @Override
    public void close() {
        if (dropped != null) {
            context.metrics().removeSensor(dropped);
        }
    }
}
