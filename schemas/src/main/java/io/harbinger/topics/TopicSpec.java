package io.harbinger.topics;

import org.apache.kafka.common.serialization.Serde;

import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.serde.SpecificAvroDeserializer;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * A topic tied to its key and value Serdes (after kafka-streams-examples' {@code Schemas.Topic}), so every
 * producer, consumer and operator gets its Serdes from one place.
 */
public final class TopicSpec<K, V> {
    private final String name;
    private final BiFunction<Map<String, ?>, Boolean, Serde<K>> keySerde;
    private final BiFunction<Map<String, ?>, Boolean, Serde<V>> valueSerde;
    private final Class<?> valueType;

    TopicSpec(String name, BiFunction<Map<String, ?>, Boolean, Serde<K>> keySerde,
              BiFunction<Map<String, ?>, Boolean, Serde<V>> valueSerde, Class<?> valueType) {
        this.name = name;
        this.valueType = valueType;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
    }

    public String name() {
        return name;
    }

    /** The key Serde, configured from a client config that holds {@code schema.registry.url} where Avro. */
    public Serde<K> keySerde(Map<String, ?> config) {
        return keySerde.apply(config, true);
    }

    public Serde<V> valueSerde(Map<String, ?> config) {
        return valueSerde.apply(config, false);
    }

    /**
     * A read-only Serde that decodes this topic's values as {@code projection}, a reader schema naming the value
     * type in its aliases with a subset of its fields: Avro skips the rest without materializing them.
     */
    public <P extends SpecificRecord> Serde<P> valueProjection(Class<P> projection, Map<String, ?> config) {
        Deserializer<P> de;
        if (TopicSpecs.registryFree(config)) {
            de = new AvroBinarySerde<>(projection, SpecificData.get().getSchema(valueType));
        } else {
            SpecificAvroDeserializer<P> d = new SpecificAvroDeserializer<>(projection);
            d.configure(config, false);
            de = d;
        }
        Serializer<P> readOnly = (topic, value) -> {
            throw new UnsupportedOperationException(projection.getSimpleName() + " is a read-only projection of "
                    + name);
        };
        return Serdes.serdeFrom(readOnly, de);
    }

    @Override
    public String toString() {
        return name;
    }
}
