package io.harbinger.alerting;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The service's Prometheus metrics. One set per JVM ({@link #shared()}), as Streams tasks come and go; what is
 * dropped (dead letters, failed deliveries) is counted here.
 */
public final class AlertingMetrics {
    private static final AlertingMetrics SHARED = new AlertingMetrics();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter evaluations = Counter.builder().name("harbinger_alerting_evaluations_total")
            .help("Trend records evaluated against the rules, by subject kind").labelNames("kind").register(registry);
    final Counter transitions = Counter.builder().name("harbinger_alerting_transitions_total")
            .help("Alert lifecycle steps, by reason").labelNames("reason").register(registry);
    final Counter decisions = Counter.builder().name("harbinger_alerting_decisions_total")
            .help("Notification decisions (muted = silenced or inhibited), by decision").labelNames("decision")
            .register(registry);
    final Counter published = Counter.builder().name("harbinger_alerting_alerts_published_total")
            .help("Alert records sent to harbinger.alerts, by severity").labelNames("severity").register(registry);
    final Counter deadLettered = Counter.builder().name("harbinger_alerting_deadletters_total")
            .help("Records sent to harbinger.deadletter by the processing handler, by input topic")
            .labelNames("topic").register(registry);
    final Counter registryRetries = Counter.builder().name("harbinger_alerting_registry_retries_total")
            .help("Stream threads replaced because the schema registry did not answer (their records are processed "
                    + "again from the last commit, nothing is dropped)").register(registry);
    public final Counter sinkDeliveries = Counter.builder().name("harbinger_alerting_sink_deliveries_total")
            .help("Alerts handled by an HTTP sink: delivered, failed (after retries, dropped and counted), skipped "
                    + "(route not selected)").labelNames("sink", "outcome").register(registry);
    public final Counter sinkRetries = Counter.builder().name("harbinger_alerting_sink_retries_total")
            .help("HTTP sink retries after I/O errors, 429 or 5xx").labelNames("sink").register(registry);

    private final List<Supplier<Map<String, Long>>> statusSources = new CopyOnWriteArrayList<>();
    private final List<DoubleSupplier> deserializationSources = new CopyOnWriteArrayList<>();

    private AlertingMetrics() {
        GaugeWithCallback.builder().name("harbinger_alerting_alerts")
                .help("Alerts held by this JVM's instances, by status").labelNames("status")
                .callback(cb -> {
                    Map<String, Long> sum = new TreeMap<>();
                    statusSources.forEach(src -> src.get().forEach((k, v) -> sum.merge(k, v, Long::sum)));
                    sum.forEach((status, n) -> cb.call(n, status));
                })
                .register(registry);
        CounterWithCallback.builder().name("harbinger_alerting_deserialization_deadletters_total")
                .help("Input records that could not be deserialized, sent to harbinger.deadletter")
                .callback(cb -> cb.call(deserializationSources.stream().mapToDouble(DoubleSupplier::getAsDouble).sum()))
                .register(registry);
    }

    public static AlertingMetrics shared() {
        return SHARED;
    }

    /**
     * Adds a running instance's alert counts by status (read from its stores at scrape time) and its count of
     * undecodable input records; the returned handle removes them.
     */
    public AutoCloseable addInstance(Supplier<Map<String, Long>> countsByStatus, DoubleSupplier undecodable) {
        statusSources.add(countsByStatus);
        deserializationSources.add(undecodable);
        return () -> {
            statusSources.remove(countsByStatus);
            deserializationSources.remove(undecodable);
        };
    }

    public void write(OutputStream out) throws IOException {
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
