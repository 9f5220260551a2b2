package io.harbinger.collector.publish;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;

/**
 * Where enriched events go (a JSONL file, Kafka). Called from one publisher thread only. Every event handed
 * in is accounted exactly once as delivered or dropped in {@link #counters()}, once {@link #flush()} returns.
 */
public interface EventSink extends AutoCloseable {
    void syscall(SyscallEvent e);

    void goMap(GoMapEvent e);

    /** Blocks until everything handed in is delivered or counted dropped. */
    void flush();

    DeliveryCounters counters();

    @Override
    void close();
}
