package io.harbinger.streams.latency;

import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.schema.SyscallSample;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.time.EventTimeExtractor;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;

/**
 * The latency topology as it was built with Kafka's DSL ({@code windowedBy(...).emitStrategy(onWindowClose())
 * .aggregate(...)} over a cached window store) before {@link LatencyWindowAggregator} replaced it: the reference
 * the aggregator's results are compared with.
 */
final class DslLatencyTopology {
    private DslLatencyTopology() {}

    static void addTo(StreamsBuilder builder, ProcessorConfig config) {
        Serde<SyscallSample> sampleSerde =
                TopicSpecs.SYSCALL_EVENTS.valueProjection(SyscallSample.class, config.serdeConfig());
        Deserializer<SyscallKey> keyDecoder = TopicSpecs.SYSCALL_EVENTS.keySerde(config.serdeConfig()).deserializer();
        Serde<SyscallKey> storeKeySerde = new AvroBinarySerde<>(SyscallKey.class);
        LatencySketches sketches = new LatencySketches(config.relativeAccuracy(), config.maxSketchBins());
        Serde<LatencyAggregate> aggregateSerde = Serdes.serdeFrom((topic, a) -> a == null ? null : a.bytes(),
                (topic, b) -> b == null ? null : LatencyAggregate.wrap(b));

        builder.addStateStore(Stores.keyValueStoreBuilder(config.keyValueStore(SyscallLatencyTopology.P99_TREND_STORE),
                storeKeySerde, Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(config.keyValueStore(SyscallLatencyTopology.LAST_CLOSED_STORE),
                storeKeySerde, new AvroBinarySerde<>(SyscallLatencyWindow.class)));

        builder.stream(TopicSpecs.SYSCALL_EVENTS.name(), Consumed.with(Serdes.Bytes(), sampleSerde)
                        .withTimestampExtractor(new EventTimeExtractor()))
                .groupByKey(Grouped.with(Serdes.Bytes(), sampleSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(config.window(), config.grace()))
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(LatencyAggregate::empty,
                        (key, s, agg) -> s == null ? agg
                                : agg.add(s.getLatencyNs(), s.getRet(), s.getSampleWeight(), sketches),
                        Named.as("latency-aggregate"),
                        (config.inMemoryStores()
                                ? Materialized.<Bytes, LatencyAggregate>as(Stores.inMemoryWindowStore(
                                        SyscallLatencyTopology.WINDOW_STORE, config.retention(), config.window(), false))
                                : Materialized.<Bytes, LatencyAggregate>as(Stores.persistentTimestampedWindowStore(
                                        SyscallLatencyTopology.WINDOW_STORE, config.retention(), config.window(), false)))
                                .withKeySerde(Serdes.Bytes())
                                .withValueSerde(aggregateSerde))
                .toStream(Named.as("closed-windows"))
                .process(() -> new ClosedWindowProcessor(sketches, keyDecoder), Named.as("p99-trend"),
                        SyscallLatencyTopology.P99_TREND_STORE, SyscallLatencyTopology.LAST_CLOSED_STORE)
                .to(TopicSpecs.SYSCALL_LATENCY.name(), Produced.with(
                        TopicSpecs.SYSCALL_LATENCY.keySerde(config.serdeConfig()),
                        TopicSpecs.SYSCALL_LATENCY.valueSerde(config.serdeConfig())));
    }
}
