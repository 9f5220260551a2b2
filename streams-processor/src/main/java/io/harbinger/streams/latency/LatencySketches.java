package io.harbinger.streams.latency;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;

import java.util.function.Supplier;

/**
 * The one sketch layout Harbinger uses: DDSketch's logarithmic mapping at the configured relative accuracy, at most
 * {@code maxBins} bins, the lowest collapsing first so the tail quantiles we alert on keep their accuracy and memory
 * per window is bounded. Latencies are never negative, so there is no negative store.
 */
public final class LatencySketches {
    private final IndexMapping mapping;
    /** The mapping's {@code minIndexableValue()}, which it recomputes (a {@code Math.pow}) on every call. */
    private final double minIndexable;
    private final int maxBins;
    private final Supplier<Store> store;

    public LatencySketches(double relativeAccuracy, int maxBins) {
        this.mapping = new LogarithmicMapping(relativeAccuracy);
        this.minIndexable = mapping.minIndexableValue();
        this.maxBins = maxBins;
        this.store = () -> new CollapsingLowestDenseStore(maxBins);
    }

    public DDSketch newSketch() {
        return new DDSketch(mapping, store);
    }

    public IndexMapping mapping() {
        return mapping;
    }

    /** Latencies below this have no bin: they count as zeros. */
    public double minIndexableValue() {
        return minIndexable;
    }

    public int maxBins() {
        return maxBins;
    }

    public Supplier<Store> store() {
        return store;
    }
}
