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
 * pipeline at the record's event time, writes the entries back and forwards the alerts.
 *
 * <p>Housekeeping happens at epoch-aligned boundaries every {@code housekeepingEvery} of event time: each subject's
 * latest data is re-evaluated (forecasts count down between records), stale subjects resolve, old RESOLVED entries
 * are purged. So that a live run and the backtest give the same alerts whatever the interleaving of subjects,
 * partitions and topics, every subject sees its records and the boundaries in event-time order: a record first
 * re-checks its subject at the boundaries since the subject's previous record, and the stream-time punctuation
 * handles a boundary only once stream time is {@link #LAG_BOUNDARIES} boundaries past it (by then every record up to
 * the boundary has been processed, here and in the backtest's single task), for subjects that have gone quiet.
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

    /** How many housekeeping periods behind stream time the punctuation works. */
    static final int LAG_BOUNDARIES = 2;

    private ProcessorContext<String, Alert> context;
    /** The last boundary the punctuation handled for every subject (this task, since it started). */
    private long housekeptThrough = Long.MIN_VALUE;
    /** The longest stale_after: re-checks of data older than that are quiet, so no need to go further back. */
    private final long maxStaleMs;
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
        this.maxStaleMs = pipeline.rules().rules().stream().mapToLong(r -> r.staleAfter().toMillis()).max().orElse(0);
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
        recheckUpTo(subject, t);
        metrics.evaluations.labelValues(kind).inc();
        apply(pipeline.evaluate(subject, Instant.ofEpochMilli(t), r -> evaluate.apply(r, value), store::get,
                silences()), t);
    }

    /** Re-checks the subject at each boundary after its latest evaluation and before {@code t}, in order. */
    private void recheckUpTo(Subject subject, long t) {
        long every = housekeepingEvery.toMillis();
        List<AlertEntry> entries = pipeline.entriesOf(subject, store::get);
        long last = Long.MIN_VALUE;
        for (AlertEntry e : entries) {
            if (e.state().lastEvalMs() != null) {
                last = Math.max(last, e.state().lastEvalMs());
            }
        }
        if (last == Long.MIN_VALUE) {
            return;
        }
        long b = Math.floorDiv(last, every) * every + every;
        if (housekeptThrough != Long.MIN_VALUE) {
            b = Math.max(b, housekeptThrough + every);
        }
        for (; b < t && b - last < maxStaleMs; b += every) {
            apply(pipeline.recheck(entries, Instant.ofEpochMilli(b), silences()), b);
            entries = pipeline.entriesOf(subject, store::get);
        }
    }

    private void housekeep(long streamTime) {
        long every = housekeepingEvery.toMillis();
        long upTo = Math.floorDiv(streamTime - LAG_BOUNDARIES * every, every) * every;
        // After a start (or a jump in stream time) the boundaries back to the longest stale_after: a subject that went
        // quiet meanwhile is counted down as it would have been; boundaries already handled before are quiet
        // (AlertLifecycle.recheck), and older ones would be.
        long earliest = Math.floorDiv(upTo - maxStaleMs, every) * every;
        long from = housekeptThrough == Long.MIN_VALUE ? earliest : Math.max(housekeptThrough + every, earliest);
        for (long b = from; b <= upTo; b += every) {
            Instant now = Instant.ofEpochMilli(b);
            List<AlertEntry> entries = entries();
            if (entries.isEmpty()) {
                break;
            }
            apply(pipeline.recheck(entries, now, silences()), b);
            apply(pipeline.expire(entries(), now, silences()), b);
        }
        housekeptThrough = Math.max(housekeptThrough, upTo);
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
