package io.harbinger.streams.latency;

import io.harbinger.schema.SyscallKey;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;

/**
 * The raw-event key as it arrives (the latency topology groups by these bytes, without decoding each event's key),
 * except that every distinct key is decoded once: one that does not decode throws its {@code WireFormatException}
 * at the source, so the record goes to harbinger.deadletter like any other poison record, instead of being
 * aggregated into a window whose key cannot be published. Keys repeat (one per series), so after the first event of
 * a series this costs a lookup in a {@link KeyInterner}, which returns the remembered instance: its hash is cached
 * and the aggregator's lookup of it matches by identity.
 */
final class CheckedKeyBytes {
    /** Bound on remembered keys; past it the set starts over (each key is then decoded once more). */
    static final int MAX_KEYS = 100_000;

    private CheckedKeyBytes() {}

    static Serde<Bytes> serde(Deserializer<SyscallKey> keys) {
        KeyInterner decoded = new KeyInterner(MAX_KEYS);
        Deserializer<Bytes> checked = (topic, data) -> {
            if (data == null) {
                return null;
            }
            Bytes known = decoded.find(data);
            if (known != null) {
                return known;
            }
            keys.deserialize(topic, data); // throws for a key that is not a SyscallKey in the wire format
            return decoded.add(Bytes.wrap(data));
        };
        return Serdes.serdeFrom(Serdes.Bytes().serializer(), checked);
    }
}
