package io.harbinger.alerting;

import io.harbinger.schema.DeadLetter;
import io.harbinger.serde.DeadLetters;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Kafka Streams processing-exception handler: a record that deserialized but could not be evaluated (a poison
 * trend, see {@code PoisonRecordException}) goes to {@code harbinger.deadletter} with its original bytes and the
 * reason, inside the task's transaction, and processing carries on. Counted in
 * {@code harbinger_alerting_deadletters_total}.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private Serializer<DeadLetter> serializer;
    private String applicationId = "harbinger-alerting";

    @Override
    public void configure(Map<String, ?> configs) {
        Object app = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        if (app != null) {
            applicationId = app.toString();
        }
        serializer = TopicSpecs.DEADLETTER.valueSerde(configs).serializer();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        DeadLetter letter = DeadLetters.of(context.topic(), context.partition(), context.offset(),
                context.timestamp(), context.sourceRawKey(), context.sourceRawValue(), exception, applicationId);
        byte[] value;
        try {
            value = serializer.serialize(DeadLetters.topic(), letter);
        } catch (RuntimeException e) {
            log.error("cannot dead-letter {}-{}@{} ({}): {}", context.topic(), context.partition(), context.offset(),
                    letter.getReason(), e.getMessage());
            return Response.fail();
        }
        AlertingMetrics.shared().deadLettered.labelValues(String.valueOf(context.topic())).inc();
        log.warn("dead-lettered {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
                letter.getReason());
        return Response.resume(List.of(new ProducerRecord<>(DeadLetters.topic(), null, context.timestamp(),
                context.sourceRawKey(), value)));
    }
}
