package io.harbinger.streams.latency;

import io.harbinger.schema.SyscallSample;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Epoch-aligned tumbling windows per key, aggregated on the heap: each event increments its window's
 * {@link LatencyAggregate} in place (a hash lookup, no store round trip), and each window is forwarded once, as
 * {@code (Windowed<key bytes>, aggregate)}, when the task's stream time passes its end + grace — the semantics of
 * {@code windowedBy(TimeWindows.ofSizeAndGrace(size, grace)).emitStrategy(onWindowClose())}, which this replaces:
 * <ul>
 *   <li>stream time is the largest record timestamp this task has seen (records without a key do not count);</li>
 *   <li>an event whose window ended at or before stream time − grace is late: dropped and counted
 *       ({@code dropped-events-total}, group {@code stream-harbinger-latency-metrics}), as are events without a key;</li>
 *   <li>windows closing together go out by window start, then by key bytes (unsigned), the order in which Kafka's
 *       in-memory window store returned them, so the backtest's output is unchanged;</li>
 *   <li>a record without a value moves stream time (the backtest's end-of-recording marker) and aggregates nothing.</li>
 * </ul>
 *
 * <p>Durability: windows changed since the last commit are written to the {@link LatencyWindowStore} (a logged
 * window store) when Kafka flushes caches before committing, with the stream time; a restarted task reloads the
 * windows that were still open. So the changelog, the offsets and the emitted results commit in one exactly-once
 * transaction, as with the DSL's cached store. The heap holds every open window of the task's keys (bytes per
 * aggregate × keys × open windows per key, see docs/benchmarks.md).
 */
public final class LatencyWindowAggregator implements Processor<Bytes, SyscallSample, Windowed<Bytes>, LatencyAggregate> {
    private static final Logger log = LoggerFactory.getLogger(LatencyWindowAggregator.class);
    /** Metric group scope: Kafka names the group {@code stream-harbinger-latency-metrics}. */
    public static final String METRIC_SCOPE = "harbinger-latency";
    public static final String DROPPED_EVENTS = "dropped-events";
    /** The Kafka metric (name, group) of that count. */
    public static final String DROPPED_EVENTS_METRIC = DROPPED_EVENTS + "-total";
    public static final String DROPPED_EVENTS_GROUP = "stream-" + METRIC_SCOPE + "-metrics";

    private final String storeName;
    private final long sizeMs;
    private final long graceMs;
    private final LatencySketches sketches;

    private ProcessorContext<Windowed<Bytes>, LatencyAggregate> context;
    private LatencyWindowStore store;
    private Sensor dropped;

    /** The newest open window of each key; older open windows of the key hang off it (newest first). */
    private final Map<Bytes, OpenWindow> open = new HashMap<>();
    /** Open windows by start, to close them in order. */
    private final TreeMap<Long, ArrayList<OpenWindow>> byStart = new TreeMap<>();
    /** Windows changed since the last commit (closed ones included: their final state is written too). */
    private final ArrayList<OpenWindow> dirty = new ArrayList<>();
    private long streamTime = -1;
    private long storedStreamTime = -1;
    /** The start of the window of the last event (a cache: most events share their predecessor's window). */
    private long lastStart = Long.MIN_VALUE / 2;
    /** The stream time at which the earliest open window closes. */
    private long closeAt = Long.MAX_VALUE;

    public LatencyWindowAggregator(String storeName, long sizeMs, long graceMs, LatencySketches sketches) {
        this.storeName = storeName;
        this.sizeMs = sizeMs;
        this.graceMs = graceMs;
        this.sketches = sketches;
    }

    private static final class OpenWindow {
        final Bytes key;
        final long start;
        final LatencyAggregate aggregate;
        boolean dirty;
        OpenWindow older;

        OpenWindow(Bytes key, long start, LatencyAggregate aggregate) {
            this.key = key;
            this.start = start;
            this.aggregate = aggregate;
        }
    }

    /** A tumbling window [start, end) as a Kafka {@link Window} (TimeWindow is internal to Kafka Streams). */
    static final class Tumbling extends Window {
        Tumbling(long startMs, long endMs) {
            super(startMs, endMs);
        }

        @Override
        public boolean overlap(Window other) {
            return startMs < other.end() && other.start() < endMs;
        }
    }

    @Override
    public void init(ProcessorContext<Windowed<Bytes>, LatencyAggregate> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.dropped = context.metrics().addRateTotalSensor(METRIC_SCOPE, context.taskId().toString(), DROPPED_EVENTS,
                Sensor.RecordingLevel.INFO);
        restore();
        store.beforeCommit(this::writeDirty);
    }

    /** Reloads the windows still open at the stream time of the last commit. */
    private void restore() {
        streamTime = store.streamTime();
        if (streamTime < 0) {
            // No stream time stored: a new store, or one written before the stream time was kept. Take the newest
            // window's start, so windows already emitted then are not emitted again.
            long[] newest = {-1};
            store.forEachWindowFrom(0, kv -> newest[0] = Math.max(newest[0], kv.key.window().start()));
            streamTime = newest[0];
        }
        storedStreamTime = streamTime;
        store.forEachWindowFrom(streamTime - graceMs - sizeMs + 1, kv -> {
            if (isOpen(kv.key.window().start())) {
                insert(new OpenWindow(kv.key.key(), kv.key.window().start(), kv.value));
            }
        });
        if (!open.isEmpty()) {
            log.info("task {}: {} open latency windows reloaded at stream time {}", context.taskId(), byStart.values()
                    .stream().mapToInt(ArrayList::size).sum(), streamTime);
        }
    }

    private boolean isOpen(long start) {
        return start + sizeMs > streamTime - graceMs;
    }

    @Override
    public void process(Record<Bytes, SyscallSample> record) {
        Bytes key = record.key();
        if (key == null || key.get().length == 0) {
            dropped.record();
            return;
        }
        long ts = record.timestamp();
        if (ts > streamTime) {
            streamTime = ts;
        }
        SyscallSample s = record.value();
        if (s != null) {
            if (ts < lastStart || ts - lastStart >= sizeMs) {
                lastStart = ts - Math.floorMod(ts, sizeMs); // most events share their predecessor's window
            }
            long start = lastStart;
            if (isOpen(start)) {
                OpenWindow w = window(key, start);
                w.aggregate.add(s.getLatencyNs(), s.getRet(), s.getSampleWeight(), sketches);
                if (!w.dirty) {
                    w.dirty = true;
                    dirty.add(w);
                }
            } else {
                dropped.record();
                if (log.isDebugEnabled()) {
                    log.debug("late event dropped: timestamp {} in window [{}, {}), stream time {}, grace {} ms", ts,
                            start, start + sizeMs, streamTime, graceMs);
                }
            }
        }
        if (streamTime >= closeAt) {
            closeWindows();
        }
    }

    private OpenWindow window(Bytes key, long start) {
        for (OpenWindow w = open.get(key); w != null; w = w.older) {
            if (w.start == start) {
                return w;
            }
        }
        OpenWindow w = new OpenWindow(key, start, LatencyAggregate.empty());
        insert(w);
        return w;
    }

    private void insert(OpenWindow w) {
        OpenWindow head = open.get(w.key);
        if (head == null || head.start < w.start) {
            w.older = head;
            open.put(w.key, w);
        } else {
            OpenWindow at = head;
            while (at.older != null && at.older.start > w.start) {
                at = at.older;
            }
            w.older = at.older;
            at.older = w;
        }
        byStart.computeIfAbsent(w.start, s -> new ArrayList<>()).add(w);
        closeAt = Math.min(closeAt, w.start + sizeMs + graceMs);
    }

    /** Forwards and forgets every window whose end + grace stream time has reached. */
    private void closeWindows() {
        while (!byStart.isEmpty() && byStart.firstKey() + sizeMs + graceMs <= streamTime) {
            Map.Entry<Long, ArrayList<OpenWindow>> closing = byStart.pollFirstEntry();
            ArrayList<OpenWindow> windows = closing.getValue();
            windows.sort((a, b) -> a.key.compareTo(b.key));
            for (OpenWindow w : windows) {
                unlink(w);
                long start = closing.getKey();
                context.forward(new Record<>(new Windowed<>(w.key, new Tumbling(start, start + sizeMs)), w.aggregate,
                        start + sizeMs - 1));
            }
        }
        closeAt = byStart.isEmpty() ? Long.MAX_VALUE : byStart.firstKey() + sizeMs + graceMs;
    }

    private void unlink(OpenWindow w) {
        OpenWindow head = open.get(w.key);
        if (head == w) {
            if (w.older == null) {
                open.remove(w.key);
            } else {
                open.put(w.key, w.older);
            }
            return;
        }
        for (OpenWindow at = head; at != null; at = at.older) {
            if (at.older == w) {
                at.older = w.older;
                return;
            }
        }
    }

    /** Before each commit: the changed windows (copies: the heap ones keep changing) and the stream time. */
    private void writeDirty() {
        for (OpenWindow w : dirty) {
            store.put(w.key, w.start, w.aggregate.bytes().clone());
            w.dirty = false;
        }
        dirty.clear();
        if (streamTime != storedStreamTime && streamTime >= 0) {
            store.putStreamTime(streamTime);
            storedStreamTime = streamTime;
        }
    }

    @Override
    public void close() {
        // A clean close has committed (and so written everything) first; after a dirty one the task's state is
        // restored from the changelog, so unwritten windows are rightly forgotten.
        if (store != null) {
            store.beforeCommit(null);
        }
        if (dropped != null) {
            context.metrics().removeSensor(dropped);
        }
        open.clear();
        byStart.clear();
        dirty.clear();
    }
}
