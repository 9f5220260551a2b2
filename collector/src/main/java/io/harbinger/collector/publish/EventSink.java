package io.harbinger.collector.publish;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;

/**
 * Where enriched events go (a JSONL file, Kafka). Called from one publisher thread only. Every event handed
 * in is accounted exactly once as delivered or dropped in {@link #counters()}, once {@link #flush()} returns.
 */
public interface EventSink extends AutoCloseable {
    void syscall(SyscallEvent e);

    /** The publisher's path: fields as the kernel gave them; sinks that can skip the Avro object override it. */
    default void syscall(String host, long tsNs, int pid, int tid, String comm, long cgroupId, int syscallNr,
                         String syscall, long latencyNs, long ret, int sampleWeight) {
        syscall(new SyscallEvent(host, tsNs, pid, tid, comm, cgroupId, syscallNr, syscall, latencyNs, ret,
                sampleWeight));
    }

    void goMap(GoMapEvent e);

    /** Blocks until everything handed in is delivered or counted dropped. */
    void flush();

    DeliveryCounters counters();

    @Override
    void close();
}
