package io.harbinger.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Map;

/** Kafka Streams Serdes for generated Avro classes in Confluent's wire format. */
public final class AvroSerdes {
    private AvroSerdes() {}

    /** A configured Serde; {@code config} needs at least {@code schema.registry.url}. */
    public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, Map<String, ?> config, boolean isKey) {
        SpecificAvroSerializer<T> ser = new SpecificAvroSerializer<>(type);
        SpecificAvroDeserializer<T> de = new SpecificAvroDeserializer<>(type);
        ser.configure(config, isKey);
        de.configure(config, isKey);
        return Serdes.serdeFrom(ser, de);
    }

    /** A Serde over an existing client (tests, tools). */
    public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, SchemaRegistryClient registry,
                                                               boolean isKey) {
        return Serdes.serdeFrom(new SpecificAvroSerializer<>(type, registry, isKey),
                new SpecificAvroDeserializer<>(type, registry));
    }
}
