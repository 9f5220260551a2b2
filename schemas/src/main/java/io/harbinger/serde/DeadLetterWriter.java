package io.harbinger.serde;

import io.harbinger.schema.DeadLetter;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Turns a refused record into the {@code harbinger.deadletter} record Kafka Streams should write (inside the task's
 * transaction): the original key as key, a {@link DeadLetter} as value. Shared by the deserialization and processing
 * exception handlers.
 */
public final class DeadLetterWriter {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final Serializer<DeadLetter> serializer;
    private final String consumer;

    /** From a Streams configuration: its serde keys and its application id (named as the consumer). */
    public DeadLetterWriter(Map<String, ?> configs) {
        Object app = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        this.consumer = app == null ? "unknown" : app.toString();
        this.serializer = TopicSpecs.DEADLETTER.valueSerde(configs).serializer();
    }

    public String consumer() {
        return consumer;
    }

    /** The dead-letter record, or null when it cannot be written (the registry is down: failing beats losing). */
    public ProducerRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestampMs, byte[] key,
                                                 byte[] value, Throwable cause) {
        DeadLetter letter = DeadLetters.of(topic, partition, offset, timestampMs, key, value, cause, consumer);
        byte[] bytes;
        try {
            bytes = serializer.serialize(DeadLetters.topic(), letter);
        } catch (RuntimeException e) {
            log.error("cannot dead-letter {}-{}@{} ({}): {}", topic, partition, offset, letter.getReason(),
                    e.getMessage());
            return null;
        }
        log.warn("dead-lettered {}-{}@{}: {}", topic, partition, offset, letter.getReason());
        // a record without a timestamp (-1) must not make the handler itself throw
        return new ProducerRecord<>(DeadLetters.topic(), null, timestampMs < 0 ? null : timestampMs, key, bytes);
    }
}
