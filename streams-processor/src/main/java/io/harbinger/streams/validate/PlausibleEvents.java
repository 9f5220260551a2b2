package io.harbinger.streams.validate;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallSample;
import io.harbinger.serde.WireFormatException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.nio.ByteBuffer;

/**
 * Refuses raw events that decode but cannot be true - a negative latency, a sample weight below 1, a negative
 * count or overflow-bucket count, a bucket exponent outside 0..63 - at the value deserializer, so the processor's
 * deserialization-exception handler sends them to {@code harbinger.deadletter} with the reason
 * ({@code IMPLAUSIBLE: ...}, counted like every dead letter) instead of aggregating them into windows and trends.
 * The bounds are those the JSONL reader enforces, so a replayed recording and a live topic agree.
 */
public final class PlausibleEvents {
    private PlausibleEvents() {}

    /** The syscall value projection, refusing implausible samples. */
    public static Serde<SyscallSample> syscallSamples(Serde<SyscallSample> serde) {
        return Serdes.serdeFrom(serde.serializer(), new Checked<>(serde.deserializer(), PlausibleEvents::check));
    }

    /** Go-map snapshots, refusing implausible ones. */
    public static Serde<GoMapEvent> goMapEvents(Serde<GoMapEvent> serde) {
        return Serdes.serdeFrom(serde.serializer(), new Checked<>(serde.deserializer(), PlausibleEvents::check));
    }

    /** @throws WireFormatException (IMPLAUSIBLE) naming the first field that cannot be true */
    public static void check(SyscallSample s) {
        if (s.getLatencyNs() < 0) {
            throw implausible("latency_ns " + s.getLatencyNs() + " is negative");
        }
        if (s.getSampleWeight() < 1) {
            throw implausible("sample_weight " + s.getSampleWeight() + " is below 1");
        }
    }

    /** @throws WireFormatException (IMPLAUSIBLE) naming the first field that cannot be true */
    public static void check(GoMapEvent e) {
        if (e.getCount() < 0) {
            throw implausible("count " + e.getCount() + " is negative");
        }
        if (e.getLog2Buckets() < 0 || e.getLog2Buckets() > 63) {
            throw implausible("log2_buckets " + e.getLog2Buckets() + " is outside 0..63");
        }
        if (e.getOverflowBuckets() < 0) {
            throw implausible("overflow_buckets " + e.getOverflowBuckets() + " is negative");
        }
    }

    private static WireFormatException implausible(String why) {
        return new WireFormatException(WireFormatException.Reason.IMPLAUSIBLE, why);
    }

    private record Checked<T>(Deserializer<T> inner, java.util.function.Consumer<T> check) implements Deserializer<T> {
        @Override
        public void configure(java.util.Map<String, ?> configs, boolean isKey) {
            inner.configure(configs, isKey);
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            return checked(inner.deserialize(topic, data));
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            return checked(inner.deserialize(topic, headers, data));
        }

        @Override
        public T deserialize(String topic, Headers headers, ByteBuffer data) {
            return checked(inner.deserialize(topic, headers, data));
        }

        private T checked(T value) {
            if (value != null) {
                check.accept(value);
            }
            return value;
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
