package io.harbinger.streams.latency;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/** A {@link LatencyAggregate} is its bytes: serializing hands them over, deserializing views them (no copies). */
public final class LatencyAggregateSerde implements Serde<LatencyAggregate>, Serializer<LatencyAggregate>,
        Deserializer<LatencyAggregate> {

    @Override
    public byte[] serialize(String topic, LatencyAggregate a) {
        return a == null ? null : a.bytes();
    }

    @Override
    public LatencyAggregate deserialize(String topic, byte[] data) {
        return data == null ? null : LatencyAggregate.wrap(data);
    }

    @Override
    public Serializer<LatencyAggregate> serializer() {
        return this;
    }

    @Override
    public Deserializer<LatencyAggregate> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
