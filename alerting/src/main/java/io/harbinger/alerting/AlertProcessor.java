package io.harbinger.alerting;

import io.harbinger.alerting.rule.Rule;
import io.harbinger.alerting.rule.Subject;
import io.harbinger.alerting.state.AlertEntry;
import io.harbinger.alerting.state.Evaluation;
import io.harbinger.schema.Alert;
import io.harbinger.schema.Silence;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The Kafka edge of {@link AlertPipeline}: reads the subject's alert entries from the changelogged store, runs the
 * pipeline at the record's event time, writes the entries back and forwards the alerts. A stream-time punctuation
 * re-evaluates every subject's latest data (forecasts count down between records), resolves stale subjects and purges
 * old RESOLVED entries.
 *
 * @param <K> input key (MapKey, or SyscallKey after repartitioning)
 * @param <V> input value (MapTrend or SyscallLatencyWindow)
 */
final class AlertProcessor<K, V> implements Processor<K, V, String, Alert> {
    private final AlertPipeline pipeline;
    private final String storeName;
    private final String kind;
    private final Function<V, Subject> subjectOf;
    private final Function<K, Subject> subjectOfKey;
    private final ToLongFunction<V> timeOf;
    private final BiFunction<Rule, V, Evaluation> evaluate;
    private final Duration housekeepingEvery;
    private final AlertingMetrics metrics = AlertingMetrics.shared();

    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, AlertEntry> store;
    private ReadOnlyKeyValueStore<String, Silence> silences;

    /**
     * @param subjectOfKey the subject a tombstone's key names, or null when tombstones carry no meaning
     */
    AlertProcessor(AlertPipeline pipeline, String storeName, Subject.Kind kind, Function<V, Subject> subjectOf,
                   Function<K, Subject> subjectOfKey, ToLongFunction<V> timeOf,
                   BiFunction<Rule, V, Evaluation> evaluate, Duration housekeepingEvery) {
        this.pipeline = pipeline;
        this.storeName = storeName;
        this.kind = kind.name().toLowerCase(java.util.Locale.ROOT);
        this.subjectOf = subjectOf;
        this.subjectOfKey = subjectOfKey;
        this.timeOf = timeOf;
        this.evaluate = evaluate;
        this.housekeepingEvery = housekeepingEvery;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.silences = context.getStateStore(AlertTopology.SILENCE_STORE);
        context.schedule(housekeepingEvery, PunctuationType.STREAM_TIME, this::housekeep);
    }

    @Override
    public void process(Record<K, V> record) {
        V value = record.value();
        if (value == null) {
            Subject gone = record.key() == null || subjectOfKey == null ? null : subjectOfKey.apply(record.key());
            if (gone != null) {
                apply(pipeline.gone(gone, Instant.ofEpochMilli(record.timestamp()), store::get, silences()),
                        record.timestamp());
            }
            return;
        }
        Subject subject = subjectOf.apply(value);
        long t = timeOf.applyAsLong(value);
        metrics.evaluations.labelValues(kind).inc();
        apply(pipeline.evaluate(subject, Instant.ofEpochMilli(t), r -> evaluate.apply(r, value), store::get,
                silences()), t);
    }

    private void housekeep(long streamTime) {
        Instant now = Instant.ofEpochMilli(streamTime);
        List<AlertEntry> entries = entries();
        if (!entries.isEmpty()) {
            apply(pipeline.recheck(entries, now, silences()), streamTime);
            apply(pipeline.expire(entries(), now, silences()), streamTime);
        }
    }

    private List<AlertEntry> entries() {
        List<AlertEntry> entries = new ArrayList<>();
        try (KeyValueIterator<String, AlertEntry> it = store.all()) {
            it.forEachRemaining(kv -> entries.add(kv.value));
        }
        return entries;
    }

    private void apply(AlertPipeline.Outcome outcome, long timestamp) {
        for (Map.Entry<String, AlertEntry> u : outcome.updates().entrySet()) {
            if (u.getValue() == null) {
                store.delete(u.getKey());
            } else {
                store.put(u.getKey(), u.getValue());
            }
        }
        for (AlertPipeline.Step s : outcome.steps()) {
            metrics.transitions.labelValues(s.reason().name().toLowerCase(java.util.Locale.ROOT)).inc();
            metrics.decisions.labelValues(s.decision().name().toLowerCase(java.util.Locale.ROOT)).inc();
        }
        for (Alert a : outcome.alerts()) {
            metrics.published.labelValues(a.getSeverity().name().toLowerCase(java.util.Locale.ROOT)).inc();
            context.forward(new Record<>(a.getDedupKey(), a, timestamp));
        }
    }

    /** Silences, read from the global store only if some alert is firing and needs the check. */
    private Iterable<Silence> silences() {
        return new Iterable<>() {
            private List<Silence> loaded;

            @Override
            public Iterator<Silence> iterator() {
                if (loaded == null) {
                    loaded = new ArrayList<>();
                    try (KeyValueIterator<String, Silence> it = silences.all()) {
                        while (it.hasNext()) {
                            KeyValue<String, Silence> kv = it.next();
                            if (kv.value != null) {
                                loaded.add(kv.value);
                            }
                        }
                    }
                }
                return loaded.iterator();
            }
        };
    }
}
