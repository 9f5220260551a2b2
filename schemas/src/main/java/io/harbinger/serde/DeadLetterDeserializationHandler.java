package io.harbinger.serde;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kafka Streams handler that turns a record it cannot deserialize into a {@code DeadLetter} on
 * {@code harbinger.deadletter} (written by Streams itself, inside the task's transaction under exactly-once) and
 * carries on. Counts per application id are exposed through {@link #deadLettered(String)}.
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private DeadLetterWriter writer;
    private LongAdder count;

    @Override
    public void configure(Map<String, ?> configs) {
        writer = new DeadLetterWriter(configs);
        count = COUNTS.computeIfAbsent(writer.consumer(), a -> new LongAdder());
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        ProducerRecord<byte[], byte[]> letter = writer.record(record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key(), record.value(), exception);
        if (letter == null) {
            return Response.fail();
        }
        count.increment();
        return Response.resume(List.of(letter));
    }

    /** Records this JVM dead-lettered for the Streams application {@code applicationId}. */
    public static long deadLettered(String applicationId) {
        LongAdder c = COUNTS.get(applicationId);
        return c == null ? 0 : c.sum();
    }
}
