package io.harbinger.topics;

import org.apache.kafka.common.serialization.Serde;

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

    TopicSpec(String name, BiFunction<Map<String, ?>, Boolean, Serde<K>> keySerde,
              BiFunction<Map<String, ?>, Boolean, Serde<V>> valueSerde) {
        this.name = name;
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

    @Override
    public String toString() {
        return name;
    }
}
