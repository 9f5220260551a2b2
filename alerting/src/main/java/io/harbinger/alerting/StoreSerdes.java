package io.harbinger.alerting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harbinger.alerting.state.AlertEntry;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Serdes of this service's own state (store values and their changelogs), not of contract topics: alert entries as
 * JSON (readable, tolerant of added fields), silences in the global store as plain Avro binary of the current schema.
 */
public final class StoreSerdes {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private StoreSerdes() {}

    public static Serde<AlertEntry> alertEntry() {
        return Serdes.serdeFrom((topic, entry) -> {
            if (entry == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(entry);
            } catch (IOException e) {
                throw new SerializationException("cannot write alert entry " + entry.dedupKey(), e);
            }
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JSON.readValue(bytes, AlertEntry.class);
            } catch (IOException e) {
                throw new SerializationException("cannot read alert entry: " + e.getMessage(), e);
            }
        });
    }

    /** Plain Avro binary (no registry, no header) of a generated class; for state the service alone reads. */
    public static <T extends SpecificRecord> Serde<T> plainAvro(Class<T> type) {
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(type);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
                writer.write(value, enc);
                enc.flush();
                return out.toByteArray();
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot write " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, null);
                return reader.read(null, dec);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        });
    }
}
