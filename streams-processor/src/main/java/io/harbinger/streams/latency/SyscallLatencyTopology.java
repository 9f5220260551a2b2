package io.harbinger.streams.latency;

import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.SyscallSample;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.time.EventTimeExtractor;
import io.harbinger.streams.validate.PlausibleEvents;
import io.harbinger.topics.SubjectPartitioner;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Syscall latency per (host, comm, syscall): epoch-aligned tumbling windows aggregated into a DDSketch with counts,
 * errors and max ({@link LatencyWindowAggregator}: open windows on the heap, written to {@link #WINDOW_STORE} before
 * each commit); the final result of each window, emitted once when it closes (window end + grace in stream time),
 * gets the key's P99 trend and goes to {@code harbinger.syscall.latency}. Windows stay queryable in
 * {@link #WINDOW_STORE} (open ones as of the last commit); the latest closed result and the P99 trend model per key
 * in {@link #LAST_CLOSED_STORE} and {@link #P99_TREND_STORE}.
 *
 * <p>The input is keyed by (host, comm, syscall) by the collector, so aggregation needs no repartition. Internal
 * stores use plain Avro binary (no registry round trips for changelogs).
 */
public final class SyscallLatencyTopology {
    public static final String WINDOW_STORE = "latency-windows";
    public static final String P99_TREND_STORE = "latency-p99-trends";
    public static final String LAST_CLOSED_STORE = "latency-last-closed";

    private SyscallLatencyTopology() {}

    public static void addTo(StreamsBuilder builder, ProcessorConfig config) {
        // The series is grouped by its key's bytes as they arrive (no key decoding per event) and values are read
        // as a projection that skips the strings (walked directly when the writer layout is known), implausible
        // samples refused (dead-lettered); the key is decoded once per closed window.
        Serde<SyscallSample> projection =
                TopicSpecs.SYSCALL_EVENTS.valueProjection(SyscallSample.class, config.serdeConfig());
        Serde<SyscallSample> sampleSerde = PlausibleEvents.syscallSamples(Serdes.serdeFrom(projection.serializer(),
                new SyscallSampleDeserializer(projection.deserializer(), config.serdeConfig())));
        Deserializer<SyscallKey> keyDecoder = TopicSpecs.SYSCALL_EVENTS.keySerde(config.serdeConfig()).deserializer();
        Serde<SyscallKey> storeKeySerde = new AvroBinarySerde<>(SyscallKey.class);
        LatencySketches sketches = new LatencySketches(config.relativeAccuracy(), config.maxSketchBins());

        builder.addStateStore(Stores.keyValueStoreBuilder(config.keyValueStore(P99_TREND_STORE),
                storeKeySerde, Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(config.keyValueStore(LAST_CLOSED_STORE),
                storeKeySerde, new AvroBinarySerde<>(SyscallLatencyWindow.class)));

        builder.addStateStore(LatencyWindowStore.builder(WINDOW_STORE, config.window(), config.retention(),
                config.inMemoryStores()));

        builder.stream(TopicSpecs.SYSCALL_EVENTS.name(), Consumed.with(CheckedKeyBytes.serde(keyDecoder), sampleSerde)
                        .withTimestampExtractor(new EventTimeExtractor())
                        .withName("syscall-events"))
                .process(() -> new LatencyWindowAggregator(WINDOW_STORE, config.window().toMillis(),
                        config.grace().toMillis(), sketches), Named.as("latency-aggregate"), WINDOW_STORE)
                .process(() -> new ClosedWindowProcessor(sketches, keyDecoder), Named.as("p99-trend"), P99_TREND_STORE,
                        LAST_CLOSED_STORE)
                .to(TopicSpecs.SYSCALL_LATENCY.name(), Produced.with(
                        TopicSpecs.SYSCALL_LATENCY.keySerde(config.serdeConfig()),
                        TopicSpecs.SYSCALL_LATENCY.valueSerde(config.serdeConfig()))
                        // a series' windows stay in one partition, in order (the alerting service relies on it)
                        .withStreamPartitioner(SubjectPartitioner.byWindowSeries(config.serdeConfig()))
                        .withName("syscall-latency-out"));
    }

    /** The published result of one closed window (without the P99 trend, which the trend processor adds). */
    public static SyscallLatencyWindow toWindow(SyscallKey key, long startMs, long endMs, LatencySummary a,
                                                boolean withSketch) {
        java.util.Map<String, Long> byErrno = new java.util.HashMap<>();
        for (int i = 0; i < a.errnoCount(); i++) {
            byErrno.put(Integer.toString(a.errno(i)), a.errnoTotal(i));
        }
        return SyscallLatencyWindow.newBuilder()
                .setHost(key.getHost())
                .setComm(key.getComm())
                .setSyscall(key.getSyscall())
                .setWindowStartMs(startMs)
                .setWindowEndMs(endMs)
                .setCount(a.count())
                .setErrors(a.errors())
                .setErrorsByErrno(byErrno)
                .setP50Ns(a.quantileNs(0.5))
                .setP99Ns(a.quantileNs(0.99))
                .setP999Ns(a.quantileNs(0.999))
                .setMaxNs(a.maxNs())
                .setSketch(withSketch ? java.nio.ByteBuffer.wrap(a.encodedSketch()) : null)
                .build();
    }

    static LatencyWindowKey windowKey(SyscallKey key, long startMs) {
        return new LatencyWindowKey(key.getHost(), key.getComm(), key.getSyscall(), startMs);
    }
}
