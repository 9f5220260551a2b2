package io.harbinger.streams.latency;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;

import java.util.function.Supplier;

/**
 * The one sketch layout Harbinger uses: DDSketch with a logarithmic mapping of the configured relative accuracy and
 * a dense store of at most {@code maxBins} bins that collapses its lowest bins first, so the tail quantiles we alert
 * on keep their accuracy and memory per window is bounded. Latencies are never negative, so no negative store.
 */
public final class LatencySketches {
    private final IndexMapping mapping;
    private final Supplier<Store> store;

    public LatencySketches(double relativeAccuracy, int maxBins) {
        this.mapping = new LogarithmicMapping(relativeAccuracy);
        this.store = () -> new CollapsingLowestDenseStore(maxBins);
    }

    public DDSketch newSketch() {
        return new DDSketch(mapping, store);
    }

    IndexMapping mapping() {
        return mapping;
    }

    Supplier<Store> store() {
        return store;
    }
}
