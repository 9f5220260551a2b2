package io.harbinger.streams.latency;

import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.streams.forecast.LatencyTrendModel;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each closed window into its published {@link SyscallLatencyWindow}: feeds the window's P99 into the key's
 * {@link LatencyTrendModel} (kept in a store, so the trend survives restarts) and attaches level and trend, and
 * remembers the result as the key's latest closed window for the top-N query.
 */
final class ClosedWindowProcessor implements Processor<Windowed<SyscallKey>, LatencyAggregate, LatencyWindowKey,
        SyscallLatencyWindow> {
    private final LatencySketches sketches;
    private ProcessorContext<LatencyWindowKey, SyscallLatencyWindow> context;
    private KeyValueStore<SyscallKey, byte[]> trends;
    private KeyValueStore<SyscallKey, SyscallLatencyWindow> lastClosed;

    ClosedWindowProcessor(LatencySketches sketches) {
        this.sketches = sketches;
    }

    @Override
    public void init(ProcessorContext<LatencyWindowKey, SyscallLatencyWindow> context) {
        this.context = context;
        this.trends = context.getStateStore(SyscallLatencyTopology.P99_TREND_STORE);
        this.lastClosed = context.getStateStore(SyscallLatencyTopology.LAST_CLOSED_STORE);
    }

    @Override
    public void process(Record<Windowed<SyscallKey>, LatencyAggregate> record) {
        LatencyAggregate agg = record.value();
        if (agg == null || agg.count() == 0) {
            return;
        }
        SyscallKey key = record.key().key();
        long start = record.key().window().start();
        long end = record.key().window().end();
        SyscallLatencyWindow w = SyscallLatencyTopology.toWindow(key, start, end, agg.summary(sketches), true);

        byte[] modelBytes = trends.get(key);
        LatencyTrendModel model = modelBytes == null ? new LatencyTrendModel() : LatencyTrendModel.fromBytes(modelBytes);
        if (model.observe(end, w.getP99Ns())) {
            trends.put(key, model.toBytes());
        }
        model.levelNs().ifPresent(w::setP99LevelNs);
        model.trendPerMinNs().ifPresent(w::setP99TrendPerMin);
        lastClosed.put(key, w);
        context.forward(record.withKey(SyscallLatencyTopology.windowKey(key, start)).withValue(w).withTimestamp(end - 1));
    }
}
