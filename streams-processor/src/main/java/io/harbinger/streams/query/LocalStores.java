package io.harbinger.streams.query;

import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.WireFormatException;
import io.harbinger.streams.latency.LatencyAggregate;
import io.harbinger.topics.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import io.harbinger.streams.latency.SyscallLatencyTopology;
import io.harbinger.streams.maps.MapTrendTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads this instance's state stores, one partition at a time: active partitions normally, standby partitions
 * ({@code stale}) when the active instance does not answer. Asking per partition keeps fan-out answers free of
 * duplicates, since each partition is read on exactly one instance.
 */
public final class LocalStores {
    private final KafkaStreams streams;
    private final Serde<SyscallKey> syscallKeys;

    /** {@code syscallKeys}: the raw topic's key Serde; the window store is keyed by those bytes as they arrived. */
    public LocalStores(KafkaStreams streams, Serde<SyscallKey> syscallKeys) {
        this.streams = streams;
        this.syscallKeys = syscallKeys;
    }

    private Bytes windowKey(SyscallKey key) {
        return Bytes.wrap(syscallKeys.serializer().serialize(Topics.SYSCALL_EVENTS, key));
    }

    private <T> T store(String name, QueryableStoreType<T> type, int partition, boolean stale) {
        StoreQueryParameters<T> p = StoreQueryParameters.fromNameAndType(name, type).withPartition(partition);
        return streams.store(stale ? p.enableStaleStores() : p);
    }

    /** Windows of one latency key in [from, to] (window start times), open and closed. */
    public List<KeyValue<Long, LatencyAggregate>> latencyWindows(SyscallKey key, long fromMs, long toMs, int partition,
                                                                boolean stale) {
        ReadOnlyWindowStore<Bytes, LatencyAggregate> s =
                store(SyscallLatencyTopology.WINDOW_STORE, QueryableStoreTypes.windowStore(), partition, stale);
        List<KeyValue<Long, LatencyAggregate>> out = new ArrayList<>();
        try (WindowStoreIterator<LatencyAggregate> it = s.fetch(windowKey(key), Instant.ofEpochMilli(fromMs),
                Instant.ofEpochMilli(toMs))) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** The latest closed window of a key, if any. */
    public SyscallLatencyWindow lastClosed(SyscallKey key, int partition, boolean stale) {
        ReadOnlyKeyValueStore<SyscallKey, SyscallLatencyWindow> s =
                store(SyscallLatencyTopology.LAST_CLOSED_STORE, QueryableStoreTypes.keyValueStore(), partition, stale);
        return s.get(key);
    }

    /** Every key's latest closed window in the given partitions. */
    public void eachLastClosed(Collection<Integer> partitions, boolean stale, Consumer<SyscallLatencyWindow> sink) {
        for (int p : partitions) {
            ReadOnlyKeyValueStore<SyscallKey, SyscallLatencyWindow> s =
                    store(SyscallLatencyTopology.LAST_CLOSED_STORE, QueryableStoreTypes.keyValueStore(), p, stale);
            try (KeyValueIterator<SyscallKey, SyscallLatencyWindow> it = s.all()) {
                it.forEachRemaining(kv -> sink.accept(kv.value));
            }
        }
    }

    /** Every window in [from, to] of the given partitions (for rollups), with its key decoded. */
    public void eachWindow(Collection<Integer> partitions, boolean stale, long fromMs, long toMs,
                           WindowSink sink) {
        for (int p : partitions) {
            ReadOnlyWindowStore<Bytes, LatencyAggregate> s =
                    store(SyscallLatencyTopology.WINDOW_STORE, QueryableStoreTypes.windowStore(), p, stale);
            try (KeyValueIterator<Windowed<Bytes>, LatencyAggregate> it =
                         s.fetchAll(Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs))) {
                while (it.hasNext()) {
                    KeyValue<Windowed<Bytes>, LatencyAggregate> kv = it.next();
                    SyscallKey key;
                    try {
                        key = syscallKeys.deserializer().deserialize(Topics.SYSCALL_EVENTS, kv.key.key().get());
                    } catch (WireFormatException e) {
                        continue; // counted where the window closes
                    }
                    sink.accept(key, kv.key.window().start(), kv.value);
                }
            }
        }
    }

    /** Receives one window of {@link #eachWindow}. */
    public interface WindowSink {
        void accept(SyscallKey key, long windowStartMs, LatencyAggregate aggregate);
    }

    public MapTrend mapTrend(MapKey key, int partition, boolean stale) {
        ReadOnlyKeyValueStore<MapKey, MapTrend> s =
                store(MapTrendTopology.TRENDS_STORE, QueryableStoreTypes.keyValueStore(), partition, stale);
        return s.get(key);
    }

    public void eachMapTrend(Collection<Integer> partitions, boolean stale, Consumer<MapTrend> sink) {
        for (int p : partitions) {
            ReadOnlyKeyValueStore<MapKey, MapTrend> s =
                    store(MapTrendTopology.TRENDS_STORE, QueryableStoreTypes.keyValueStore(), p, stale);
            try (KeyValueIterator<MapKey, MapTrend> it = s.all()) {
                it.forEachRemaining(kv -> sink.accept(kv.value));
            }
        }
    }
}
