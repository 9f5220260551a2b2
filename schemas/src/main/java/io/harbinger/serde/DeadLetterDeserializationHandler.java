package io.harbinger.serde;

import io.harbinger.schema.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kafka Streams handler that turns a record it cannot deserialize into a {@link DeadLetter} on
 * {@code harbinger.deadletter} (written by Streams itself, inside the task's transaction under exactly-once) and
 * carries on. Counts per application id are exposed through {@link #deadLettered(String)}.
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private Serializer<DeadLetter> serializer;
    private String applicationId = "unknown";
    private LongAdder count;

    @Override
    public void configure(Map<String, ?> configs) {
        Object app = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        if (app != null) {
            applicationId = app.toString();
        }
        serializer = TopicSpecs.DEADLETTER.valueSerde(configs).serializer();
        count = COUNTS.computeIfAbsent(applicationId, a -> new LongAdder());
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        DeadLetter letter = DeadLetters.of(record, exception, applicationId);
        byte[] value;
        try {
            value = serializer.serialize(DeadLetters.topic(), letter);
        } catch (RuntimeException e) {
            // Without a registry we cannot write the letter; failing is better than losing the record silently.
            log.error("cannot dead-letter {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(),
                    letter.getReason(), e.getMessage());
            return Response.fail();
        }
        count.increment();
        log.warn("dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), letter.getReason());
        return Response.resume(List.of(new ProducerRecord<>(DeadLetters.topic(), null, record.timestamp(),
                record.key(), value)));
    }

    /** Records this JVM dead-lettered for the Streams application {@code applicationId}. */
    public static long deadLettered(String applicationId) {
        LongAdder c = COUNTS.get(applicationId);
        return c == null ? 0 : c.sum();
    }
}
