package io.harbinger.alerting;

import io.harbinger.serde.DeadLetterWriter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import java.util.List;
import java.util.Map;

/**
 * Kafka Streams processing-exception handler: a record that deserialized but could not be evaluated (a poison
 * trend, see {@code PoisonRecordException}) goes to {@code harbinger.deadletter} with its original bytes and the
 * reason, inside the task's transaction, and processing carries on. Counted in
 * {@code harbinger_alerting_deadletters_total}.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private DeadLetterWriter writer;

    @Override
    public void configure(Map<String, ?> configs) {
        writer = new DeadLetterWriter(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        ProducerRecord<byte[], byte[]> letter = writer.record(context.topic(), context.partition(), context.offset(),
                context.timestamp(), context.sourceRawKey(), context.sourceRawValue(), exception);
        if (letter == null) {
            return Response.fail();
        }
        AlertingMetrics.shared().deadLettered.labelValues(String.valueOf(context.topic())).inc();
        return Response.resume(List.of(letter));
    }
}
