package io.harbinger.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.EOFException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads any wire-format record as a {@link GenericRecord} in its writer schema (for tools such as {@code tail}). */
public class GenericAvroDeserializer implements Deserializer<GenericRecord> {
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;

    public GenericAvroDeserializer() {}

    public GenericAvroDeserializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClient.shared(SerdeConfig.from(configs));
    }

    @Override
    public GenericRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.schemaId(data, topic);
        GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(id, i -> {
            Schema writer;
            try {
                writer = registry.byId(i);
            } catch (SchemaRegistryException e) {
                throw new WireFormatException(e.notFound() ? WireFormatException.Reason.UNKNOWN_SCHEMA_ID
                        : WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                        "schema id " + i + " on " + topic + ": " + e.getMessage(), e);
            }
            return new GenericDatumReader<>(writer);
        });
        AvroBounds.check(reader.getSchema(), data, WireFormat.HEADER_SIZE);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                data.length - WireFormat.HEADER_SIZE, null);
        try {
            return reader.read(null, decoder);
        } catch (EOFException e) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED,
                    "Avro body of schema id " + id + " ends early on " + topic, e);
        } catch (WireFormatException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                    "Avro body of schema id " + id + " does not decode on " + topic + ": " + e, e);
        }
    }
}
