package io.harbinger.streams.time;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallSample;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the raw event itself ({@code ts_ns}), so results do not depend on when or how fast records were
 * produced: a recording replayed at any speed gives the same windows as live. Other values keep the record
 * timestamp (which Harbinger's producers set to event time too).
 */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object v = record.value();
        if (v instanceof SyscallEvent s) {
            return s.getTsNs() / 1_000_000;
        }
        if (v instanceof SyscallSample s) {
            return s.getTsNs() / 1_000_000;
        }
        if (v instanceof GoMapEvent g) {
            return g.getTsNs() / 1_000_000;
        }
        long ts = record.timestamp();
        return ts >= 0 ? ts : partitionTime;
    }
}
