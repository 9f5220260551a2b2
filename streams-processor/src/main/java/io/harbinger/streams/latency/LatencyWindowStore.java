package io.harbinger.streams.latency;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The latency windows' durable home: a normal changelogged window store ((key bytes, window start) → serialized
 * {@link LatencyAggregate}) under a thin layer that lets {@link LatencyWindowAggregator} keep the open windows on the
 * heap and write them here only <em>before each commit</em>, instead of a store round trip per event.
 *
 * <p><b>How "before each commit" works, and why it is pinned by a test.</b> This store implements Kafka's internal
 * {@link CachedStateStore}: Kafka Streams (4.3.1) calls {@link #flushCache()} on every such store from
 * {@code ProcessorStateManager.flushCache()}, which {@code StreamTask.prepareCommit()} runs before the record
 * collector is flushed and the offsets and transaction are committed — on every commit, and on the clean commit that
 * precedes closing or revoking a task. That is how Kafka's own record caches reach the changelog in the same
 * exactly-once transaction as the outputs; our aggregator's dirty windows ride on the same hook. The interface is
 * internal, so {@code LatencyExactlyOnceCrashIT} kills an instance between commits under exactly-once and checks that
 * the restarted one publishes every window exactly once with exact counts: it fails if Kafka ever stops calling
 * {@code flushCache()} before committing.
 *
 * <p>Besides the windows the store holds one reserved entry (an empty key, which no Confluent-framed record key can
 * be): the aggregator's stream time, so a restarted task knows which windows were already closed and emitted and
 * drops late events exactly as before the restart.
 *
 * <p>Reads ({@link ReadOnlyWindowStore}, i.e. {@code QueryableStoreTypes.windowStore()}) see the windows as of the
 * last commit: open windows lag the heap by at most {@code commit.interval.ms} (1 s by default under exactly-once).
 */
public final class LatencyWindowStore implements StateStore, CachedStateStore<Bytes, LatencyAggregate>,
        ReadOnlyWindowStore<Bytes, LatencyAggregate> {
    /** The reserved key of the stream-time entry. Record keys on the input topic are never empty (Confluent framing). */
    static final Bytes STREAM_TIME_KEY = Bytes.wrap(new byte[0]);

    private final WindowStore<Bytes, byte[]> inner;
    private final long windowMs;
    private volatile Runnable beforeCommit;
    private long streamTimeSlot = -1;

    LatencyWindowStore(WindowStore<Bytes, byte[]> inner, long windowMs) {
        this.inner = inner;
        this.windowMs = windowMs;
    }

    /**
     * A builder of this store over a RocksDB or in-memory window store (retention and window size of {@code config}),
     * changelogged like a window store's changelog ({@code compact,delete}, retention + 1 day) but with records
     * stamped with the broker's append time: the retention is checked against record timestamps, and ours would be
     * event times, so a recording replayed days after it was made had its open windows' changelog deleted at the
     * broker's next retention check and a crash lost events already committed. Append time is safe: restores take
     * each window (and the stream-time entry's slot) from the record key, and results take their timestamp from the
     * window.
     */
    public static StoreBuilder<LatencyWindowStore> builder(String name, Duration window, Duration retention,
                                                           boolean inMemory) {
        WindowBytesStoreSupplier supplier = inMemory
                ? Stores.inMemoryWindowStore(name, retention, window, false)
                : Stores.persistentWindowStore(name, retention, window, false);
        return new Builder(supplier, window.toMillis(), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                // Kafka's window-store changelog default: the store's retention plus one day for clock drift
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis() + Duration.ofDays(1).toMillis()),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
    }

    // ------------------------------------------------------------------ the aggregator's side (stream thread)

    /** Runs {@code action} whenever Kafka flushes caches before a commit; null detaches. */
    void beforeCommit(Runnable action) {
        this.beforeCommit = action;
    }

    /** Writes a window's aggregate (its bytes are kept: pass a copy the caller no longer changes). */
    void put(Bytes key, long windowStart, byte[] aggregate) {
        inner.put(key, aggregate, windowStart);
    }

    /** The stream time last written, or -1 when none was. */
    long streamTime() {
        long latest = -1;
        try (WindowStoreIterator<byte[]> it = inner.fetch(STREAM_TIME_KEY, 0, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                long t = ByteBuffer.wrap(kv.value).getLong();
                if (t > latest) {
                    latest = t;
                    streamTimeSlot = kv.key;
                }
            }
        }
        return latest;
    }

    /**
     * Records the stream time. It lives at a window start near itself (the window store drops entries older than its
     * retention), one entry at a time: an overwrite within a window, a move and a delete when a window passes.
     */
    void putStreamTime(long streamTime) {
        long slot = streamTime - Math.floorMod(streamTime, windowMs);
        inner.put(STREAM_TIME_KEY, ByteBuffer.allocate(8).putLong(streamTime).array(), slot);
        if (streamTimeSlot >= 0 && streamTimeSlot != slot) {
            inner.put(STREAM_TIME_KEY, null, streamTimeSlot);
        }
        streamTimeSlot = slot;
    }

    /** Every stored window starting at or after {@code fromStart}, aggregates copied (the caller changes them). */
    void forEachWindowFrom(long fromStart, Consumer<KeyValue<Windowed<Bytes>, LatencyAggregate>> sink) {
        try (KeyValueIterator<Windowed<Bytes>, LatencyAggregate> it = windows(inner.fetchAll(Math.max(0, fromStart),
                Long.MAX_VALUE), true)) {
            it.forEachRemaining(sink);
        }
    }

    // ------------------------------------------------------------------ StateStore: delegate to the logged store

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        beforeCommit = null;
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    // ------------------------------------------------------------------ CachedStateStore: the pre-commit hook

    /** Called by Kafka Streams before every commit (see the class comment): the aggregator writes its dirty windows. */
    @Override
    public void flushCache() {
        Runnable action = beforeCommit;
        if (action != null) {
            action.run();
        }
    }

    @Override
    public void clearCache() {
        // Nothing cached here: the aggregator's windows belong to the task's processor, which is closed (after a
        // clean commit) before Kafka recycles or clears a task's stores.
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Bytes, LatencyAggregate> listener, boolean sendOldValues) {
        return false; // results are forwarded by the aggregator when windows close, not on flush
    }

    // ------------------------------------------------------------------ ReadOnlyWindowStore: interactive queries

    @Override
    public LatencyAggregate fetch(Bytes key, long time) {
        if (key.get().length == 0) {
            return null;
        }
        byte[] v = inner.fetch(key, time);
        return v == null ? null : LatencyAggregate.wrap(v);
    }

    @Override
    public WindowStoreIterator<LatencyAggregate> fetch(Bytes key, Instant timeFrom, Instant timeTo) {
        // the reserved entry is not a window
        WindowStoreIterator<byte[]> it = key.get().length == 0 ? null : inner.fetch(key, timeFrom, timeTo);
        return new WindowStoreIterator<>() {
            @Override
            public void close() {
                if (it != null) {
                    it.close();
                }
            }

            @Override
            public Long peekNextKey() {
                if (it == null) {
                    throw new NoSuchElementException();
                }
                return it.peekNextKey();
            }

            @Override
            public boolean hasNext() {
                return it != null && it.hasNext();
            }

            @Override
            public KeyValue<Long, LatencyAggregate> next() {
                if (it == null) {
                    throw new NoSuchElementException();
                }
                KeyValue<Long, byte[]> kv = it.next();
                return KeyValue.pair(kv.key, LatencyAggregate.wrap(kv.value));
            }
        };
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, LatencyAggregate> fetch(Bytes keyFrom, Bytes keyTo, Instant timeFrom,
                                                                     Instant timeTo) {
        return windows(inner.fetch(keyFrom, keyTo, timeFrom, timeTo), false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, LatencyAggregate> all() {
        return windows(inner.all(), false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, LatencyAggregate> fetchAll(Instant timeFrom, Instant timeTo) {
        return windows(inner.fetchAll(timeFrom, timeTo), false);
    }

    /** The windows of {@code it} as aggregates, without the reserved stream-time entry. */
    private static KeyValueIterator<Windowed<Bytes>, LatencyAggregate> windows(
            KeyValueIterator<Windowed<Bytes>, byte[]> it, boolean copy) {
        return new KeyValueIterator<>() {
            KeyValue<Windowed<Bytes>, byte[]> next;

            private boolean advance() {
                while (next == null && it.hasNext()) {
                    KeyValue<Windowed<Bytes>, byte[]> kv = it.next();
                    if (kv.key.key().get().length != 0) {
                        next = kv;
                    }
                }
                return next != null;
            }

            @Override
            public boolean hasNext() {
                return advance();
            }

            @Override
            public KeyValue<Windowed<Bytes>, LatencyAggregate> next() {
                if (!advance()) {
                    throw new NoSuchElementException();
                }
                KeyValue<Windowed<Bytes>, byte[]> kv = next;
                next = null;
                return KeyValue.pair(kv.key, LatencyAggregate.wrap(copy ? kv.value.clone() : kv.value));
            }

            @Override
            public Windowed<Bytes> peekNextKey() {
                if (!advance()) {
                    throw new NoSuchElementException();
                }
                return next.key;
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }

    /**
     * Builds the store. Kafka Streams creates the changelog topic from this builder ({@link #loggingEnabled()},
     * {@link #logConfig()}); the inner window store logs to it under the same name.
     */
    private static final class Builder implements StoreBuilder<LatencyWindowStore> {
        private final WindowBytesStoreSupplier supplier;
        private final long windowMs;
        private final Map<String, String> logConfig;

        Builder(WindowBytesStoreSupplier supplier, long windowMs, Map<String, String> logConfig) {
            this.supplier = supplier;
            this.windowMs = windowMs;
            this.logConfig = logConfig;
        }

        @Override
        public LatencyWindowStore build() {
            WindowStore<Bytes, byte[]> inner = Stores.windowStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                    .withLoggingEnabled(logConfig)
                    .withCachingDisabled()
                    .build();
            return new LatencyWindowStore(inner, windowMs);
        }

        @Override
        public StoreBuilder<LatencyWindowStore> withCachingEnabled() {
            throw new UnsupportedOperationException("the latency aggregator is this store's cache");
        }

        @Override
        public StoreBuilder<LatencyWindowStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<LatencyWindowStore> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("always logged: exactly-once restores need the changelog");
        }

        @Override
        public StoreBuilder<LatencyWindowStore> withLoggingDisabled() {
            throw new UnsupportedOperationException("always logged: exactly-once restores need the changelog");
        }

        @Override
        public Map<String, String> logConfig() {
            return logConfig;
        }

        @Override
        public boolean loggingEnabled() {
            return true;
        }

        @Override
        public String name() {
            return supplier.name();
        }
    }
}
