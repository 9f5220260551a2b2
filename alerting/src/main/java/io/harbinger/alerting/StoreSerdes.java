package io.harbinger.alerting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harbinger.alerting.state.AlertEntry;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.IOException;

/** Serde of the alert store (and its changelog): entries as JSON, readable and tolerant of added fields. */
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
}
