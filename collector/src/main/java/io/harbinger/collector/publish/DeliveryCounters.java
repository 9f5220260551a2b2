package io.harbinger.collector.publish;

import java.util.concurrent.atomic.LongAdder;

/** Exact per-sink accounting: every event handed to a sink ends up in exactly one of these. */
public final class DeliveryCounters {
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    public void delivered() {
        delivered.increment();
    }

    public void dropped() {
        dropped.increment();
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    public long droppedCount() {
        return dropped.sum();
    }
}
