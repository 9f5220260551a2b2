package io.harbinger.collector.metrics;

import io.harbinger.collector.CollectorStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** The collector's self-metrics, read from {@link CollectorStats} at scrape time. */
public final class CollectorMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Supplier<CollectorStats> stats;
    private volatile CollectorStats last;
    private volatile long lastAt;

    public CollectorMetrics(Supplier<CollectorStats> stats) {
        this.stats = stats;
        counter("harbinger_collector_events_seen", "Syscalls that passed the in-kernel allowlists", CollectorStats::seen);
        counter("harbinger_collector_events_sampled", "Syscalls kept by the 1-in-N sampler", CollectorStats::sampled);
        counter("harbinger_collector_events_produced", "Events that entered user space (syscalls read from the "
                + "ring buffer plus Go-map snapshots)", CollectorStats::produced);
        counter("harbinger_collector_events_published", "Events delivered to the sink (acknowledged by Kafka)",
                CollectorStats::delivered);
        counter("harbinger_collector_kernel_drops", "Events lost in the kernel (ring buffer full)",
                s -> s.kernelDrops() + s.goMapKernelDrops());
        counter("harbinger_collector_userspace_drops", "Events dropped in user space (queue full, Kafka delivery "
                + "failed)", CollectorStats::dropped);
        counter("harbinger_collector_probe_attach_failures", "Probes that failed to attach",
                CollectorStats::attachFailures);
        counter("harbinger_collector_gomap_snapshots", "Go-map snapshots emitted", CollectorStats::goMapSnapshots);
        counter("harbinger_collector_gomaps_dropped", "Go maps no longer tracked (header unreadable, process exited "
                + "or exec'd)", CollectorStats::goMapsDropped);
        counter("harbinger_collector_gomaps_evicted", "Go maps evicted to stay within gomaps.max_maps",
                CollectorStats::goMapsEvicted);
        GaugeWithCallback.builder().name("harbinger_collector_gomaps_tracked").help("Go maps currently tracked")
                .callback(cb -> cb.call(snapshot().mapsTracked())).register(registry);
        GaugeWithCallback.builder().name("harbinger_collector_go_processes").help("Go processes currently watched")
                .callback(cb -> cb.call(snapshot().goProcesses())).register(registry);
    }

    private void counter(String name, String help, ToDoubleFunction<CollectorStats> f) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(f.applyAsDouble(snapshot()))).register(registry);
    }

    /** One stats read per scrape, shared by every metric. */
    private CollectorStats snapshot() {
        long now = System.nanoTime();
        CollectorStats s = last;
        if (s == null || now - lastAt > 100_000_000L) {
            s = stats.get();
            last = s;
            lastAt = now;
        }
        return s;
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
