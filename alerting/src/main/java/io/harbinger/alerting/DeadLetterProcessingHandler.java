package io.harbinger.alerting;

import io.harbinger.serde.DeadLetterWriter;
import io.harbinger.serde.WireFormatException;
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
 *
 * <p>Except when the registry did not answer: an alert's value is serialized by the sink inside processing, so a
 * registry outage at an alert's first encoding reaches this handler. The trend is fine and the alert must not be
 * lost, so the task fails and the stream thread is replaced ({@link AlertingService}): the transaction aborts and
 * the record is processed again from the last commit, until the registry answers.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private DeadLetterWriter writer;

    @Override
    public void configure(Map<String, ?> configs) {
        writer = new DeadLetterWriter(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (WireFormatException.registryUnavailable(exception)) {
            return Response.fail();
        }
        ProducerRecord<byte[], byte[]> letter = writer.record(context.topic(), context.partition(), context.offset(),
                context.timestamp(), context.sourceRawKey(), context.sourceRawValue(), exception);
        if (letter == null) {
            return Response.fail();
        }
        AlertingMetrics.shared().deadLettered.labelValues(String.valueOf(context.topic())).inc();
        return Response.resume(List.of(letter));
    }
}
