package io.harbinger.streams.latency;

import io.harbinger.schema.SyscallKey;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The raw-event key as it arrives (the latency topology groups by these bytes, without decoding each event's key),
 * except that every distinct key is decoded once: one that does not decode throws its {@code WireFormatException}
 * at the source, so the record goes to harbinger.deadletter like any other poison record, instead of being
 * aggregated into a window whose key cannot be published. Keys repeat (one per series), so after the first event of
 * a series this costs a hash lookup.
 */
final class CheckedKeyBytes {
    /** Bound on remembered keys; past it the set starts over (each key is then decoded once more). */
    static final int MAX_KEYS = 100_000;

    private CheckedKeyBytes() {}

    static Serde<Bytes> serde(Deserializer<SyscallKey> keys) {
        Set<Bytes> decoded = ConcurrentHashMap.newKeySet();
        Deserializer<Bytes> checked = (topic, data) -> {
            if (data == null) {
                return null;
            }
            Bytes b = Bytes.wrap(data);
            if (!decoded.contains(b)) {
                keys.deserialize(topic, data); // throws for a key that is not a SyscallKey in the wire format
                if (decoded.size() >= MAX_KEYS) {
                    decoded.clear();
                }
                decoded.add(b);
            }
            return b;
        };
        return Serdes.serdeFrom(Serdes.Bytes().serializer(), checked);
    }
}
