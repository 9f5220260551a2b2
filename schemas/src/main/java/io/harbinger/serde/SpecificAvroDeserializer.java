package io.harbinger.serde;

import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.EOFException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Confluent wire-format records into a generated Avro class, resolving the writer schema (by id, from the
 * registry, cached) against the class's schema. Every failure is a {@link WireFormatException} naming the cause:
 * unknown magic byte, unknown id, truncated body, corrupt body (including trailing bytes), schema mismatch.
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Class<T> type;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> writers = new ConcurrentHashMap<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();
    private SchemaRegistryClient registry;

    public SpecificAvroDeserializer(Class<T> type) {
        this.type = type;
        this.readerSchema = SpecificRecords.schemaOf(type);
    }

    /** Ready to use without {@link #configure}. */
    public SpecificAvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this(type);
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClient.shared(SerdeConfig.from(configs));
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Objects.requireNonNull(registry, "deserializer not configured: call configure() with schema.registry.url");
        int id = WireFormat.schemaId(data, topic);
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            reader = readerFor(id, topic);
        }
        AvroBounds.check(writers.get(id), data, WireFormat.HEADER_SIZE);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                data.length - WireFormat.HEADER_SIZE, decoders.get());
        decoders.set(decoder);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED,
                    "Avro body of schema id " + id + " ends early on " + topic, e);
        } catch (Exception | StackOverflowError e) {
            // Avro signals corrupt input with many types (AvroRuntimeException, negative lengths, array bounds...).
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                    "Avro body of schema id " + id + " does not decode as " + type.getSimpleName() + " on " + topic
                            + ": " + e, e);
        }
        return value;
    }

    /** One line (the full description quotes both schemas over dozens of lines, into every dead letter and log). */
    private static String firstIncompatibility(SchemaCompatibility.SchemaPairCompatibility compat) {
        return compat.getResult().getIncompatibilities().stream().findFirst()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage().replace('\n', ' '))
                .orElse(compat.getType().toString());
    }

    private SpecificDatumReader<T> readerFor(int id, String topic) {
        Schema writer;
        try {
            writer = registry.byId(id);
        } catch (SchemaRegistryException e) {
            if (e.notFound()) {
                throw new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID,
                        "schema id " + id + " is not in the registry (record on " + topic + ")", e);
            }
            throw new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                    "cannot fetch schema id " + id + ": " + e.getMessage(), e);
        }
        SchemaCompatibility.SchemaPairCompatibility compat =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compat.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new WireFormatException(WireFormatException.Reason.SCHEMA_MISMATCH,
                    "schema id " + id + " (" + writer.getFullName() + ") cannot be read as "
                            + readerSchema.getFullName() + " on " + topic + ": " + firstIncompatibility(compat));
        }
        SpecificDatumReader<T> reader;
        try {
            reader = new SpecificDatumReader<>(writer, readerSchema);
        } catch (AvroTypeException e) {
            throw new WireFormatException(WireFormatException.Reason.SCHEMA_MISMATCH, e.getMessage(), e);
        }
        writers.putIfAbsent(id, writer);
        readers.putIfAbsent(id, reader);
        return reader;
    }
}
