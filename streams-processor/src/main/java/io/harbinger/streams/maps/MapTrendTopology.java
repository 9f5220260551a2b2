package io.harbinger.streams.maps;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.time.EventTimeExtractor;
import io.harbinger.streams.validate.PlausibleEvents;
import io.harbinger.topics.SubjectPartitioner;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Go map trends: every snapshot on {@code harbinger.gomap.events} updates its map's growth model and publishes a
 * {@link MapTrend} (load factor, overflow ratio and rate, level, trend per minute, forecast, {@code eta_ms} for the
 * configured count threshold) to {@code harbinger.gomap.trends}. The latest trend per map is queryable in
 * {@link #TRENDS_STORE}. Input is keyed by (host, pid, map_addr), so no repartition.
 */
public final class MapTrendTopology {
    public static final String STATE_STORE = "gomap-models";
    public static final String TRENDS_STORE = "gomap-trends";
    /** Metric group scope of the map processor's own sensors (Kafka prefixes {@code stream-}, appends {@code -metrics}). */
    public static final String METRIC_SCOPE = "harbinger-maps";
    /** Sensor counting snapshots too late for their map's model. */
    public static final String DROPPED_SNAPSHOTS = "dropped-snapshots";
    /** The Kafka metric (name, group) of that count. */
    public static final String DROPPED_SNAPSHOTS_METRIC = DROPPED_SNAPSHOTS + "-total";
    public static final String DROPPED_SNAPSHOTS_GROUP = "stream-" + METRIC_SCOPE + "-metrics";

    private MapTrendTopology() {}

    public static void addTo(StreamsBuilder builder, ProcessorConfig config) {
        AvroBinarySerde<MapKey> storeKeySerde = new AvroBinarySerde<>(MapKey.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(config.keyValueStore(STATE_STORE),
                storeKeySerde, Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(config.keyValueStore(TRENDS_STORE),
                storeKeySerde, new AvroBinarySerde<>(MapTrend.class)));

        builder.stream(TopicSpecs.GOMAP_EVENTS.name(), Consumed.with(
                                TopicSpecs.GOMAP_EVENTS.keySerde(config.serdeConfig()),
                                PlausibleEvents.goMapEvents(TopicSpecs.GOMAP_EVENTS.valueSerde(config.serdeConfig())))
                        .withTimestampExtractor(new EventTimeExtractor())
                        .withName("gomap-events"))
                .process(() -> new MapTrendProcessor(config.countThreshold(), config.mapIdleTimeout(),
                                config.forecastTimeScale()),
                        Named.as("gomap-trend"), STATE_STORE, TRENDS_STORE)
                .to(TopicSpecs.GOMAP_TRENDS.name(), Produced.with(
                        TopicSpecs.GOMAP_TRENDS.keySerde(config.serdeConfig()),
                        TopicSpecs.GOMAP_TRENDS.valueSerde(config.serdeConfig()))
                        // partition p of the trends = the maps of raw partition p, in processing order
                        .withStreamPartitioner(SubjectPartitioner.byMap(config.serdeConfig()))
                        .withName("gomap-trends-out"));
    }
}
