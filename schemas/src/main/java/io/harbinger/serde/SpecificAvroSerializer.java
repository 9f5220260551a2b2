package io.harbinger.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Serializes generated Avro records in Confluent's wire format. The subject is {@code <topic>-key} or
 * {@code <topic>-value} (Confluent's TopicNameStrategy). The id is resolved once per topic and cached, and the
 * output buffer and encoder are reused per thread, so a steady producer allocates only the returned array.
 */
public class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private SchemaRegistryClient registry;
    private SerdeConfig config;
    private boolean isKey;
    private volatile String lastTopic;
    private volatile int lastId;
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    public SpecificAvroSerializer(Class<T> type) {
        this.schema = SpecificRecords.schemaOf(type);
        this.writer = new SpecificDatumWriter<>(schema);
    }

    /** Ready to use without {@link #configure}. */
    public SpecificAvroSerializer(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        this(type);
        this.registry = registry;
        this.config = registry.config();
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = SerdeConfig.from(configs);
        this.registry = SchemaRegistryClient.shared(config);
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Objects.requireNonNull(registry, "serializer not configured: call configure() with schema.registry.url");
        int id = schemaId(topic);
        Buffers b = buffers.get();
        b.out.reset();
        b.out.write(0);
        b.out.write(0);
        b.out.write(0);
        b.out.write(0);
        b.out.write(0);
        try {
            b.encoder = EncoderFactory.get().directBinaryEncoder(b.out, b.encoder);
            writer.write(data, b.encoder);
            b.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                    "cannot encode " + schema.getFullName() + " for " + topic + ": " + e.getMessage(), e);
        }
        byte[] bytes = b.out.toByteArray();
        WireFormat.writeHeader(bytes, id);
        return bytes;
    }

    private int schemaId(String topic) {
        if (topic.equals(lastTopic)) {
            return lastId;
        }
        String subject = topic + (isKey ? "-key" : "-value");
        int id;
        try {
            if (config.useLatestVersion()) {
                id = registry.latest(subject).id();
            } else if (config.autoRegister()) {
                id = registry.register(subject, schema);
            } else {
                id = registry.lookup(subject, schema);
            }
        } catch (SchemaRegistryException e) {
            throw new WireFormatException(e.notFound() ? WireFormatException.Reason.UNKNOWN_SCHEMA_ID
                    : WireFormatException.Reason.REGISTRY_REJECTED,
                    "no usable schema id for subject " + subject + ": " + e.getMessage(), e);
        }
        lastId = id;
        lastTopic = topic;
        return id;
    }

    private static final class Buffers {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder;
    }
}
