package io.harbinger.serde;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the handler decides, per cause (no broker, no registry: the avro-binary format writes the letter). */
class DeadLetterDeserializationHandlerTest {
    /** Without a timestamp (-1), as a non-Java producer may write it. */
    static final ConsumerRecord<byte[], byte[]> RECORD = new ConsumerRecord<>("harbinger.syscall.events", 2, 40L,
            new byte[]{1}, new byte[]{0, 0, 0, 0, 9, 1});

    @Test
    void aBrokenRecordIsDeadLetteredAndSkipped() {
        var r = handler().handleError(context(new TaskId(0, 2)), RECORD,
                new WireFormatException(WireFormatException.Reason.TRUNCATED, "ends early"));
        assertEquals(Result.RESUME, r.result());
        assertEquals(1, r.deadLetterQueueRecords().size());
        assertEquals("harbinger.deadletter", r.deadLetterQueueRecords().get(0).topic());
    }

    @Test
    void aRecordWhoseSchemaCannotBeFetchedNowIsRetriedNotDeadLettered() {
        var r = handler().handleError(context(new TaskId(0, 2)), RECORD,
                new org.apache.kafka.common.errors.SerializationException("wrapped",
                        new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE, "no answer")));
        assertEquals(Result.FAIL, r.result());
        assertEquals(0, r.deadLetterQueueRecords().size());
    }

    static DeadLetterDeserializationHandler handler() {
        DeadLetterDeserializationHandler h = new DeadLetterDeserializationHandler();
        h.configure(Map.of("application.id", "handler-test", "harbinger.serde.format", "avro-binary"));
        return h;
    }

    static ErrorHandlerContext context(TaskId task) {
        return new ErrorHandlerContext() {
            public String topic() { return RECORD.topic(); }
            public int partition() { return RECORD.partition(); }
            public long offset() { return RECORD.offset(); }
            public Headers headers() { return new RecordHeaders(); }
            public String processorNodeId() { return "source"; }
            public TaskId taskId() { return task; }
            public long timestamp() { return 0L; }
            public byte[] sourceRawKey() { return RECORD.key(); }
            public byte[] sourceRawValue() { return RECORD.value(); }
        };
    }
}
