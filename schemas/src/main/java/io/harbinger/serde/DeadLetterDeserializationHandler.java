package io.harbinger.serde;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kafka Streams handler that turns a record it cannot deserialize into a {@code DeadLetter} on
 * {@code harbinger.deadletter} (written by Streams itself, inside the task's transaction under exactly-once) and
 * carries on - except when the registry did not answer: that record is not broken, so the task fails and retries it
 * (the services replace a failed stream thread). Records of a global store's topic are dead-lettered by a producer of
 * this handler's own (Streams cannot take them from the global thread). Counts per application id are exposed through
 * {@link #deadLettered(String)}.
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    /** The subtopology of Kafka Streams' global state task ({@code TaskId(-1, -1)}). */
    private static final int GLOBAL_SUBTOPOLOGY = -1;

    private DeadLetterWriter writer;
    private LongAdder count;
    private Map<String, Object> producerConfig;
    private KafkaProducer<byte[], byte[]> globalProducer;

    @Override
    public void configure(Map<String, ?> configs) {
        writer = new DeadLetterWriter(configs);
        count = COUNTS.computeIfAbsent(writer.consumer(), a -> new LongAdder());
        producerConfig = new HashMap<>();
        configs.forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k) && v != null) {
                producerConfig.put(k, v);
            }
        });
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, writer.consumer() + "-global-deadletter");
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (WireFormatException.registryUnavailable(exception)) {
            // The record may be fine: only its writer schema could not be fetched. Dead-lettering it would take
            // good data out of the pipeline for good; failing makes the task retry it from the last commit.
            log.error("cannot read {}-{}@{} now, will retry: {}", record.topic(), record.partition(), record.offset(),
                    exception.getMessage());
            return Response.fail();
        }
        ProducerRecord<byte[], byte[]> letter = writer.record(record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key(), record.value(), exception);
        if (letter == null) {
            return Response.fail();
        }
        if (context.taskId() != null && context.taskId().subtopology() == GLOBAL_SUBTOPOLOGY) {
            // The global thread (a global store's source, e.g. alerting's silences) cannot produce the records a
            // handler returns: Kafka Streams 4.3 fails it with a ClassCastException and the whole client stops -
            // and again at every restart, while the record is in the topic. Write the letter here instead.
            return globalDeadLetter(record, letter);
        }
        count.increment();
        return Response.resume(List.of(letter));
    }

    private Response globalDeadLetter(ConsumerRecord<byte[], byte[]> record, ProducerRecord<byte[], byte[]> letter) {
        try {
            synchronized (this) {
                if (globalProducer == null) {
                    globalProducer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                            new ByteArraySerializer());
                }
            }
            globalProducer.send(letter).get(30, TimeUnit.SECONDS);
            count.increment();
        } catch (Exception e) {
            // the record stays in its topic; the store carries on without it
            log.error("skipped {}-{}@{} (global store) but could not dead-letter it: {}", record.topic(),
                    record.partition(), record.offset(), e.toString());
        }
        return Response.resume();
    }

    /** Records this JVM dead-lettered for the Streams application {@code applicationId}. */
    public static long deadLettered(String applicationId) {
        LongAdder c = COUNTS.get(applicationId);
        return c == null ? 0 : c.sum();
    }
}
