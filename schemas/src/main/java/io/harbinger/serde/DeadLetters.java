package io.harbinger.serde;

import io.harbinger.schema.DeadLetter;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.ByteBuffer;

/** Builds {@link DeadLetter} records: the original bytes, where they came from and why they were refused. */
public final class DeadLetters {
    private DeadLetters() {}

    public static DeadLetter of(ConsumerRecord<byte[], byte[]> rec, Throwable cause, String consumer) {
        return of(rec.topic(), rec.partition(), rec.offset(), rec.timestamp(), rec.key(), rec.value(), cause, consumer);
    }

    public static DeadLetter of(String topic, int partition, long offset, long timestampMs, byte[] key, byte[] value,
                                Throwable cause, String consumer) {
        return DeadLetter.newBuilder()
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setTimestampMs(timestampMs)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setReason(reason(cause))
                .setError(cause == null ? null : cause.getClass().getName())
                .setConsumer(consumer)
                .build();
    }

    /** One line: the typed reason when there is one, else the exception chain's messages. */
    public static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof WireFormatException w) {
                return w.getMessage();
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable t = cause; t != null && sb.length() < 1000; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        return sb.toString();
    }

    /** The topic dead letters go to. */
    public static String topic() {
        return Topics.DEADLETTER;
    }
}
