package io.harbinger.streams.latency;

import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.WireFormatException;
import io.harbinger.streams.forecast.LatencyTrendModel;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
final class ClosedWindowProcessor implements Processor<Windowed<Bytes>, LatencyAggregate, LatencyWindowKey,
        SyscallLatencyWindow> {
    private static final Logger log = LoggerFactory.getLogger(ClosedWindowProcessor.class);
    private final LatencySketches sketches;
    private final Deserializer<SyscallKey> keyDecoder;
    private ProcessorContext<LatencyWindowKey, SyscallLatencyWindow> context;
    private KeyValueStore<SyscallKey, byte[]> trends;
    private KeyValueStore<SyscallKey, SyscallLatencyWindow> lastClosed;

    ClosedWindowProcessor(LatencySketches sketches, Deserializer<SyscallKey> keyDecoder) {
        this.sketches = sketches;
        this.keyDecoder = keyDecoder;
    }

    /** Closed windows dropped because their key did not decode (this JVM). */
    static final java.util.concurrent.atomic.LongAdder UNDECODABLE_KEYS = new java.util.concurrent.atomic.LongAdder();

    public static long undecodableKeys() {
        return UNDECODABLE_KEYS.sum();
    }

    @Override
    public void init(ProcessorContext<LatencyWindowKey, SyscallLatencyWindow> context) {
        this.context = context;
        this.trends = context.getStateStore(SyscallLatencyTopology.P99_TREND_STORE);
        this.lastClosed = context.getStateStore(SyscallLatencyTopology.LAST_CLOSED_STORE);
    }

    @Override
    public void process(Record<Windowed<Bytes>, LatencyAggregate> record) {
        LatencyAggregate agg = record.value();
        if (agg == null || agg.count() == 0) {
            return;
        }
        SyscallKey key;
        try {
            key = keyDecoder.deserialize(TopicSpecs.SYSCALL_EVENTS.name(), record.key().key().get());
        } catch (WireFormatException e) {
            // The values decoded, so their producer is ours; a key that does not is counted and logged, not published.
            UNDECODABLE_KEYS.increment();
            log.warn("closed window [{}, {}) has an undecodable key ({} events): {}", record.key().window().start(),
                    record.key().window().end(), agg.count(), e.getMessage());
            return;
        }
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
        // the top-N and latency queries show the window's figures, never its sketch: the store (and its changelog)
        // keeps them without it, which halves the bytes written when windows close
        lastClosed.put(key, SyscallLatencyWindow.newBuilder(w).setSketch(null).build());
        context.forward(record.withKey(SyscallLatencyTopology.windowKey(key, start)).withValue(w).withTimestamp(end - 1));
    }
}
