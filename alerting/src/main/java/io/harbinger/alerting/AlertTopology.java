package io.harbinger.alerting;

import io.harbinger.alerting.rule.Subject;
import io.harbinger.alerting.silence.SilenceStoreUpdater;
import io.harbinger.alerting.state.Evaluator;
import io.harbinger.schema.Alert;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.Silence;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.topics.SubjectPartitioner;
import io.harbinger.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The alerting service's Kafka Streams topology:
 * <pre>
 *   harbinger.gomap.trends ──────────────────────────────────► evaluate maps  ─┐
 *   harbinger.syscall.latency ─► key by series ─► repartition ► evaluate latency ┴─► harbinger.alerts
 *   harbinger.silences ─► global silence store (read by both evaluators)
 * </pre>
 * Alert state lives in two changelogged stores keyed by dedup key, so a restarted or moved task resumes with every
 * active alert and what was last notified: it neither re-fires nor forgets. Latency windows are keyed by window on
 * their topic, so they are re-keyed by series first: all windows of one series meet in one task.
 */
public final class AlertTopology {
    public static final String MAP_ALERT_STORE = "alerting-map-alerts";
    public static final String LATENCY_ALERT_STORE = "alerting-latency-alerts";
    public static final String SILENCE_STORE = "alerting-silences";
    /** Name of the internal repartition topic (prefixed with the application id by Streams). */
    public static final String LATENCY_REPARTITION = "alerting-latency-by-series";

    private AlertTopology() {}

    /** Adds the topology with the Serdes {@code config.kafka()} selects (see {@link AlertingSerdes#from}). */
    public static void addTo(StreamsBuilder builder, AlertingConfig config) {
        addTo(builder, config, AlertingSerdes.from(config.kafka()));
    }

    public static void addTo(StreamsBuilder builder, AlertingConfig config, AlertingSerdes serdes) {
        AlertPipeline pipeline = new AlertPipeline(config.rules(), config.resolvedRetention());

        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SILENCE_STORE), Serdes.String(),
                        new AvroBinarySerde<>(Silence.class)).withLoggingDisabled(),
                Topics.SILENCES,
                Consumed.with(Serdes.String(), serdes.silence()).withName("alerting-silences-source"),
                () -> new SilenceStoreUpdater(SILENCE_STORE));
        builder.addStateStore(Stores.keyValueStoreBuilder(alertStore(config, MAP_ALERT_STORE),
                Serdes.String(), StoreSerdes.alertEntry()));
        builder.addStateStore(Stores.keyValueStoreBuilder(alertStore(config, LATENCY_ALERT_STORE),
                Serdes.String(), StoreSerdes.alertEntry()));

        KStream<String, Alert> mapAlerts = builder
                .stream(Topics.GOMAP_TRENDS, Consumed.with(serdes.mapKey(), serdes.mapTrend())
                        .withName("alerting-map-trends-source"))
                .process(() -> new AlertProcessor<MapKey, MapTrend>(pipeline, MAP_ALERT_STORE, Subject.Kind.MAP,
                        Evaluator::subject, k -> new Subject.GoMap(k.getHost(), k.getPid(), k.getMapAddr(), null),
                        Evaluator::eventTime, Evaluator::evaluate, config.housekeepingEvery()),
                        Named.as("alerting-evaluate-maps"), MAP_ALERT_STORE);

        KStream<String, Alert> latencyAlerts = builder
                .stream(Topics.SYSCALL_LATENCY, Consumed.with(serdes.latencyKey(), serdes.latency())
                        .withName("alerting-latency-source"))
                .filter((k, v) -> v != null, Named.as("alerting-latency-drop-tombstones"))
                .selectKey((k, v) -> new SyscallKey(v.getHost(), v.getComm(), v.getSyscall()),
                        Named.as("alerting-latency-key-by-series"))
                .repartition(Repartitioned.with(serdes.syscallKey(), serdes.latency())
                        // partition p here = partition p of the latency topic = the series of raw partition p, so a
                        // series' windows arrive in order and one task's stream time follows one upstream task
                        .withStreamPartitioner(SubjectPartitioner.<SyscallLatencyWindow>bySeries(config.kafka()))
                        .withName(LATENCY_REPARTITION))
                .process(() -> new AlertProcessor<SyscallKey, SyscallLatencyWindow>(pipeline, LATENCY_ALERT_STORE,
                        Subject.Kind.LATENCY, Evaluator::subject, null, Evaluator::eventTime, Evaluator::evaluate,
                        config.housekeepingEvery()), Named.as("alerting-evaluate-latency"), LATENCY_ALERT_STORE);

        mapAlerts.to(Topics.ALERTS, Produced.with(Serdes.String(), serdes.alert()).withName("alerting-map-alerts-sink"));
        latencyAlerts.to(Topics.ALERTS, Produced.with(Serdes.String(), serdes.alert())
                .withName("alerting-latency-alerts-sink"));
    }

    /**
     * RocksDB normally; in-memory (still changelogged) when {@code harbinger.state.in.memory} is true, as in the
     * backtest, whose driver checkpoints persistent stores after every record.
     */
    private static org.apache.kafka.streams.state.KeyValueBytesStoreSupplier alertStore(AlertingConfig config,
                                                                                       String name) {
        return Boolean.parseBoolean(String.valueOf(config.kafka().get("harbinger.state.in.memory")))
                ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    /** The topology on its own, with the contract's Serdes. */
    public static Topology build(AlertingConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, config);
        return builder.build();
    }
}
